"""Tiny run folders for the tests, and a reader that checks a finished run against the run-folder contract."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

# 6 users × 8 movies, a fixed pattern: users 1–3 like movies 1–4, users 4–6 like movies 5–8, a few cross ratings.
TINY_RATINGS = [
    (1, 1, 5.0), (1, 2, 4.5), (1, 3, 4.0), (1, 5, 1.0),
    (2, 1, 4.0), (2, 2, 5.0), (2, 4, 4.0), (2, 6, 2.0),
    (3, 2, 4.0), (3, 3, 5.0), (3, 4, 4.5), (3, 8, 1.5),
    (4, 5, 5.0), (4, 6, 4.0), (4, 7, 4.5), (4, 1, 2.0),
    (5, 5, 4.0), (5, 7, 5.0), (5, 8, 4.0), (5, 3, 1.0),
    (6, 6, 5.0), (6, 7, 4.0), (6, 8, 4.5), (6, 2, 0.5),
]

BASE_PARAMS = {
    "rank": 3,
    "iterations": 5,
    "regularization": 0.1,
    "alpha": 2,
    "ratingThreshold": None,
    "scaleRegularization": True,
    "seed": 42,
    "topN": 48,
    "candidates": 300,
    "pickRating": 5,
}

OUTPUTS = ["recommendations.jsonl", "metrics.json", "model/manifest.json", "model/item_factors.f32"]


def ratings_csv(rows=TINY_RATINGS, *, crlf: bool = False) -> str:
    end = "\r\n" if crlf else "\n"
    lines = ["userId,movieId,rating,timestamp"] + [f"{u},{m},{r},{1_000_000_000 + i}" for i, (u, m, r) in enumerate(rows)]
    return end.join(lines) + end


def make_run(
    root: Path,
    picks: list[dict] | None = None,
    *,
    name: str = "run",
    ratings: str | None = None,
    ratings_name: str = "ratings.csv",
    params: dict | None = None,
    raw_params: str | None = None,
    raw_picks: str | None = None,
) -> Path:
    """root/name with picks.jsonl, params.json and (beside it) the ratings file; returns the run folder."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    data = root / f"{name}-data"
    data.mkdir(exist_ok=True)
    ratings_path = data / ratings_name
    ratings_path.write_text(ratings_csv() if ratings is None else ratings)
    full = {**BASE_PARAMS, "ratingsPath": str(ratings_path), **(params or {})}
    (folder / "params.json").write_text(raw_params if raw_params is not None else json.dumps(full, indent=2) + "\n")
    if raw_picks is not None:
        (folder / "picks.jsonl").write_text(raw_picks)
    else:
        (folder / "picks.jsonl").write_text("".join(json.dumps(p) + "\n" for p in (picks or [])))
    return folder


def read_recommendations(folder: Path) -> list[dict]:
    text = (folder / "recommendations.jsonl").read_text()
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def read_factors(folder: Path) -> np.ndarray:
    manifest = json.loads((folder / "model/manifest.json").read_text())
    raw = (folder / "model" / manifest["file"]).read_bytes()
    return np.frombuffer(raw, dtype="<f4").reshape(manifest["itemCount"], manifest["rank"])


def check_run(folder: Path, picks: list[dict], *, engine: str = "spark-local") -> dict:
    """Asserts every rule of the run-folder contract's output side; returns {manifest, metrics, recs}."""
    params = json.loads((folder / "params.json").read_text())
    for name in OUTPUTS + ["_SUCCESS"]:
        assert (folder / name).is_file(), f"{name} missing"
    success = (folder / "_SUCCESS").stat().st_mtime_ns
    for name in OUTPUTS:
        assert (folder / name).stat().st_mtime_ns <= success, f"{name} written after _SUCCESS"
    assert (folder / "model/item_factors.f32").stat().st_mtime_ns <= (folder / "model/manifest.json").stat().st_mtime_ns
    leftovers = [p.name for p in folder.rglob("*") if p.name.startswith(".") or p.name.endswith(".crc") or "_checkpoints" in p.name]
    assert leftovers == []

    manifest = json.loads((folder / "model/manifest.json").read_text())
    assert list(manifest) == [
        "format", "version", "rank", "itemCount", "itemIds", "dtype", "byteOrder", "file", "engine", "trainedAt", "params",
    ]
    assert manifest["format"] == "moviehunter-item-factors"
    assert manifest["version"] == 1
    assert manifest["rank"] == params["rank"]
    assert manifest["dtype"] == "float32" and manifest["byteOrder"] == "little" and manifest["file"] == "item_factors.f32"
    assert manifest["engine"] == engine
    ids = manifest["itemIds"]
    assert manifest["itemCount"] == len(ids) > 0
    assert ids == sorted(set(ids)) and all(isinstance(i, int) for i in ids)
    assert len(manifest["trainedAt"]) == 24 and manifest["trainedAt"].endswith("Z") and manifest["trainedAt"][19] == "."
    keys = ["rank", "iterations", "regularization", "alpha", "ratingThreshold", "scaleRegularization", "seed"]
    assert manifest["params"] == {k: params[k] for k in keys} and list(manifest["params"]) == keys
    size = (folder / "model/item_factors.f32").stat().st_size
    assert size == manifest["itemCount"] * manifest["rank"] * 4
    factors = read_factors(folder)
    assert np.all(np.isfinite(factors))

    recs = read_recommendations(folder)
    assert [r["user"] for r in recs] == [p["user"] for p in picks]
    in_model = set(ids)
    for r, p in zip(recs, picks):
        assert list(r) == ["user", "items"]
        movies = [i["movie"] for i in r["items"]]
        scores = [i["score"] for i in r["items"]]
        assert all(list(i) == ["movie", "score"] for i in r["items"])
        # Candidates (params.json of older runs has none: topN then), the import re-ranks and explains them.
        unwanted = set(p["movies"]) | {r["movie"] for r in p.get("rated", [])} | set(p.get("excluded", []))
        assert len(movies) == min(params.get("candidates", params["topN"]), len(ids) - len(unwanted & in_model))
        assert len(set(movies)) == len(movies)
        assert not set(movies) & unwanted, "a picked, seen or excluded movie was recommended"
        assert set(movies) <= in_model
        assert all(isinstance(s, float) and math.isfinite(s) for s in scores)
        assert scores == sorted(scores, reverse=True), "not best first"

    metrics = json.loads((folder / "metrics.json").read_text())
    assert metrics["engine"] == engine
    assert set(metrics["seconds"]) == {"load", "train", "recommend", "write"}
    assert all(s >= 0 for s in metrics["seconds"].values())
    assert len(metrics["iterations"]) == 1 and metrics["iterations"][0]["iteration"] == params["iterations"]
    assert math.isfinite(metrics["iterations"][0]["loss"]) and metrics["iterations"][0]["loss"] > 0
    assert set(metrics["data"]) == {"datasetUsers", "appUsers", "movies", "addedMovies", "datasetRatings", "appRatings", "rank", "partitions"}
    assert metrics["data"]["appUsers"] == len(picks)
    assert metrics["data"]["appRatings"] == sum(len(p["movies"]) + len(p.get("rated", [])) for p in picks)
    assert metrics["data"]["movies"] == len(ids)
    assert metrics["data"]["rank"] == params["rank"]
    assert set(metrics["spark"]) == {"version", "master", "defaultParallelism"}
    return {"manifest": manifest, "metrics": metrics, "recs": recs}


