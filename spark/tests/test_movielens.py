"""ml-latest-small (MOVIELENS_DIR, read in place): rank 16, 5 iterations, two app users with clear tastes."""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np
import pytest

from runfolder import check_run, make_run, read_factors

MOVIELENS_DIR = Path(os.environ.get("MOVIELENS_DIR", "/work/shared/movielens/ml-latest-small"))
PICKS = [
    {"user": "star-wars-fan", "movies": [260, 1196, 1210, 1240, 2571]},  # Star Wars IV–VI, The Terminator, The Matrix
    {"user": "pixar-fan", "movies": [1, 3114, 2355, 4886, 6377]},  # Toy Story 1–2, A Bug's Life, Monsters Inc., Nemo
]
PARAMS = {"rank": 16, "iterations": 5, "regularization": 0.5, "alpha": 2, "pickRating": 5}

pytestmark = [
    pytest.mark.movielens,
    pytest.mark.skipif(not (MOVIELENS_DIR / "ratings.csv").is_file(), reason=f"no ratings.csv in {MOVIELENS_DIR}"),
]


def genres() -> dict[int, set[str]]:
    with open(MOVIELENS_DIR / "movies.csv", newline="", encoding="utf-8") as f:
        return {int(row["movieId"]): set(row["genres"].split("|")) for row in csv.DictReader(f)}


def test_ml_latest_small(tmp_path, run_job):
    folder = make_run(tmp_path, PICKS, params={**PARAMS, "ratingsPath": str(MOVIELENS_DIR / "ratings.csv")})
    (tmp_path / "run-data" / "ratings.csv").unlink()  # make_run's stand-in: the real file is used in place
    result = run_job(folder)
    assert result.code == 0, result.stderr
    out = check_run(folder, PICKS)
    data = out["metrics"]["data"]
    assert (data["datasetUsers"], data["datasetRatings"], data["movies"], data["appRatings"]) == (610, 100_836, 9_724, 10)
    assert [len(r["items"]) for r in out["recs"]] == [300, 300]  # params.candidates

    ids = out["manifest"]["itemIds"]
    row = {movie: i for i, movie in enumerate(ids)}
    y = read_factors(folder).astype(np.float64)

    # The item factors carry taste: A New Hope's nearest neighbours (cosine) include another film of the trilogy.
    # Random factors would put them anywhere among 9,724 movies.
    unit = y / np.linalg.norm(y, axis=1, keepdims=True)
    nearest = [ids[i] for i in np.argsort(-(unit @ unit[row[260]]))[1:6]]
    assert {1196, 1210} & set(nearest), nearest

    # Each list belongs to its user: the scores are exactly that user's fold-in on the model's item factors
    # (Spark's last half-step), x = (YᵀY + Yᵀ(C − I)Y + λ·n·I)⁻¹ YᵀCp over the picks, c = 1 + alpha·pickRating.
    c = 1 + PARAMS["alpha"] * PARAMS["pickRating"]
    for picks, recs in zip(PICKS, out["recs"]):
        p = y[[row[m] for m in picks["movies"]]]
        a = y.T @ y + (c - 1) * p.T @ p + PARAMS["regularization"] * len(picks["movies"]) * np.eye(PARAMS["rank"])
        x = np.linalg.solve(a, c * p.sum(axis=0))
        expected = y @ x
        for item in recs["items"]:
            assert item["score"] == pytest.approx(expected[row[item["movie"]]], abs=1e-4)
        unpicked = np.delete(expected, [row[m] for m in picks["movies"]])
        assert recs["items"][-1]["score"] >= np.sort(unpicked)[-len(recs["items"])] - 1e-4  # nothing better was left out

    # And the picks steer them: the Pixar fan gets more animated and children's films than the Star Wars fan.
    kinds = genres()
    fan, kid = ([i["movie"] for i in r["items"][:48]] for r in out["recs"])  # the first 48, as shown
    family = lambda movies: sum(bool({"Animation", "Children"} & kinds[m]) for m in movies)  # noqa: E731
    assert family(kid) >= 3 and family(kid) >= family(fan) + 2, (family(kid), family(fan))
    assert len(set(fan) & set(kid)) <= 40
