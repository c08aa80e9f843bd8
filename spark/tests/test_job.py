"""The job on tiny hand-made inputs, in this process with the shared SparkSession."""
from __future__ import annotations

import json

import numpy as np
import pytest

from runfolder import TINY_RATINGS, check_run, make_run, ratings_csv, read_factors

PICKS = [{"user": "alice", "movies": [1, 2]}, {"user": "bob", "movies": [5, 6, 7]}, {"user": "carol", "movies": [3]}]


def test_a_tiny_run_meets_the_contract(tmp_path, run_job):
    folder = make_run(tmp_path, PICKS)
    result = run_job(folder)
    assert result.code == 0, result.stderr
    out = check_run(folder, PICKS)
    assert out["manifest"]["itemIds"] == list(range(1, 9))
    assert [len(r["items"]) for r in out["recs"]] == [6, 5, 7]  # min(300 candidates, 8 − picks)
    data = out["metrics"]["data"]
    assert data == {
        "datasetUsers": 6, "appUsers": 3, "movies": 8, "addedMovies": 0, "datasetRatings": 24, "appRatings": 6, "rank": 3, "partitions": 2,
    }
    assert out["metrics"]["spark"]["master"] == "local[2]"


def test_seen_movies_train_as_ratings_and_excluded_movies_are_never_recommended(tmp_path, run_job):
    picks = [{"user": "alice", "movies": [1, 2], "rated": [{"movie": 3, "rating": 4}, {"movie": 9, "rating": 3}], "excluded": [4, 5]}]
    folder = make_run(tmp_path, picks)
    result = run_job(folder)
    assert result.code == 0, result.stderr
    out = check_run(folder, picks)
    # Movie 9 nobody rated is learnt from the seen rating; 1–5 are picked, seen or excluded: 6, 7, 8 remain.
    assert out["manifest"]["itemIds"] == list(range(1, 10))
    assert sorted(i["movie"] for i in out["recs"][0]["items"]) == [6, 7, 8]
    assert out["metrics"]["data"]["appRatings"] == 4  # two picks and two seen movies; excluded ones are not trained


def test_a_picked_movie_nobody_rated_becomes_a_new_item(tmp_path, run_job):
    # Movie 99 is in no rating: it is learnt from the two picks of it, recommended to nobody who picked it.
    picks = [{"user": "alice", "movies": [1, 99]}, {"user": "bob", "movies": [2, 99, 3]}, {"user": "carol", "movies": [5]}]
    folder = make_run(tmp_path, picks)
    result = run_job(folder)
    assert result.code == 0, result.stderr
    out = check_run(folder, picks)
    assert out["manifest"]["itemIds"] == [*range(1, 9), 99]
    assert np.any(read_factors(folder)[-1] != 0), "the new movie has factors"
    data = out["metrics"]["data"]
    assert (data["movies"], data["addedMovies"], data["appRatings"]) == (9, 1, 6)
    carol = out["recs"][2]["items"]
    assert 99 in [i["movie"] for i in carol], "the new movie can be recommended to others"


def test_the_same_seed_gives_the_same_outputs(tmp_path, run_job):
    first, second = make_run(tmp_path, PICKS, name="a"), make_run(tmp_path, PICKS, name="b")
    other = make_run(tmp_path, PICKS, name="c", params={"seed": 7})
    for folder in (first, second, other):
        assert run_job(folder).code == 0
    assert (first / "recommendations.jsonl").read_bytes() == (second / "recommendations.jsonl").read_bytes()
    assert (first / "model/item_factors.f32").read_bytes() == (second / "model/item_factors.f32").read_bytes()
    m1, m2 = (json.loads((f / "metrics.json").read_text()) for f in (first, second))
    assert m1["iterations"] == m2["iterations"]
    assert not np.array_equal(read_factors(first), read_factors(other))


def test_zero_app_users_trains_the_base_model(tmp_path, run_job):
    folder = make_run(tmp_path, [])
    assert run_job(folder).code == 0
    out = check_run(folder, [])
    assert (folder / "recommendations.jsonl").read_bytes() == b""
    assert out["metrics"]["data"]["appUsers"] == 0 and out["metrics"]["data"]["appRatings"] == 0


def test_options_engine_name_partitions_ratings_path_and_checkpoint_dir(tmp_path, run_job):
    # 11 iterations pass the checkpoint interval (10), so ALS really writes checkpoint files there
    other = tmp_path / "elsewhere" / "ratings.csv"
    other.parent.mkdir()
    other.write_text(ratings_csv(TINY_RATINGS + [(7, 9, 4.0), (7, 1, 3.0)], crlf=True))  # CRLF as MovieLens ships it
    folder = make_run(tmp_path, PICKS, params={"ratingsPath": "/nonexistent/ratings.csv", "iterations": 11})
    checkpoints = tmp_path / "checkpoints"
    checkpoints.mkdir()
    result = run_job(folder, str(other), "--engine-name", "dataproc", "--partitions", "3", "--checkpoint-dir", str(checkpoints))
    assert result.code == 0, result.stderr
    out = check_run(folder, PICKS, engine="dataproc")
    assert out["manifest"]["itemIds"] == list(range(1, 10))
    assert out["metrics"]["data"]["partitions"] == 3 and out["metrics"]["data"]["datasetUsers"] == 7
    assert list(checkpoints.iterdir()) == []  # the job's own checkpoint sub-folder is removed


def test_threshold_pick_rating_candidates_and_unicode_users(tmp_path, run_job):
    picks = [{"user": "Zoë \"z\" 🎬", "movies": [8]}, *PICKS]
    folder = make_run(tmp_path, picks, params={"ratingThreshold": 3.5, "pickRating": 4.5, "alpha": 1.5, "topN": 2, "candidates": 3})
    assert run_job(folder).code == 0
    out = check_run(folder, picks)
    assert [len(r["items"]) for r in out["recs"]] == [3, 3, 3, 3]  # candidates, not topN
    assert out["recs"][0]["user"] == picks[0]["user"]


def test_an_older_params_json_without_candidates_writes_top_n(tmp_path, run_job):
    folder = make_run(tmp_path, PICKS, params={"topN": 2})
    params = json.loads((folder / "params.json").read_text())
    del params["candidates"]
    (folder / "params.json").write_text(json.dumps(params))
    assert run_job(folder).code == 0
    out = check_run(folder, PICKS)
    assert [len(r["items"]) for r in out["recs"]] == [2, 2, 2]


@pytest.mark.parametrize(
    "name, text",
    [
        ("ratings.dat", "".join(f"{u}::{m}::{int(r) or 1}::97830076{i % 10}\n" for i, (u, m, r) in enumerate(TINY_RATINGS))),
        ("u.data", "".join(f"{u}\t{m}\t{int(r) or 1}\t88125{i:04d}\n" for i, (u, m, r) in enumerate(TINY_RATINGS))),
    ],
)
def test_ml_1m_and_ml_100k_formats(tmp_path, spark, name, text):
    from moviehunter_als.files import LocalFiles
    from moviehunter_als.ratings import load_ratings

    path = tmp_path / name
    path.write_text(text)
    ratings = load_ratings(spark, LocalFiles(), str(path))
    try:
        assert (ratings.count, ratings.users, ratings.movies, ratings.max_user) == (24, 6, 8, 6)
        rows = sorted(tuple(r) for r in ratings.frame.collect())
        assert rows[0] == (1, 1, 5.0)
    finally:
        ratings.frame.unpersist()
