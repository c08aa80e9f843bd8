"""The pieces with Spark but without a whole run: app users, the threshold, the loss, the partitions."""
from __future__ import annotations

import numpy as np
import pytest

from moviehunter_als.errors import JobError
from moviehunter_als.files import LocalFiles
from moviehunter_als.inputs import AppUser, parse_params
from moviehunter_als.loss import final_loss
from moviehunter_als.ratings import app_user_ids, load_ratings, with_app_users
from moviehunter_als.train import choose_partitions, train
from runfolder import BASE_PARAMS, TINY_RATINGS, ratings_csv


def params(**over):
    import json

    return parse_params(json.dumps({**BASE_PARAMS, "ratingsPath": "x.csv", **over}).encode(), "params.json")


@pytest.fixture
def tiny(tmp_path, spark):
    rows = [(u * 100, m, r) for u, m, r in TINY_RATINGS]  # user ids 100 … 600
    path = tmp_path / "ratings.csv"
    path.write_text(ratings_csv(rows))
    ratings = load_ratings(spark, LocalFiles(), str(path))
    yield ratings
    ratings.frame.unpersist()


def test_app_users_get_ids_past_the_dataset_max(spark, tiny):
    users = [AppUser("a", (1, 2), 1), AppUser("b", (8,), 2)]
    ids = app_user_ids(tiny.max_user, len(users))
    assert ids == [601, 602]
    frame = with_app_users(spark, tiny, users, ids, params(pickRating=4.5))
    app = sorted(tuple(r) for r in frame.filter("userId > 600").collect())
    assert app == [(601, 1, 4.5), (601, 2, 4.5), (602, 8, 4.5)]
    assert frame.count() == 27


def test_candidates_default_to_top_n_for_older_params():
    import json

    assert params().candidates == 300 and params().topN == 48
    older = {k: v for k, v in BASE_PARAMS.items() if k != "candidates"}
    assert parse_params(json.dumps({**older, "ratingsPath": "x.csv"}).encode(), "params.json").candidates == 48
    with pytest.raises(JobError, match=r"params\.json: candidates 47 is fewer than topN 48"):
        params(candidates=47)


def test_app_user_ids_must_fit_int32():
    assert app_user_ids(2**31 - 3, 2) == [2**31 - 2, 2**31 - 1]
    with pytest.raises(JobError, match="overflow int32"):
        app_user_ids(2**31 - 3, 3)


def test_rating_threshold_signs_the_ratings(spark, tiny):
    frame = with_app_users(spark, tiny, [], [], params(ratingThreshold=3.5))
    values = {(u, m): r for u, m, r in frame.collect()}
    assert values[(100, 1)] == 5.0  # at or above t: as it is
    assert values[(100, 3)] == 4.0
    assert values[(100, 5)] == -2.5  # below: −(t − r), so c = 1 + alpha·(t − r) and p = 0
    assert values[(600, 2)] == -3.0
    untouched = {(u, m): r for u, m, r in with_app_users(spark, tiny, [], [], params()).collect()}
    assert untouched[(100, 5)] == 1.0


def test_the_loss_is_the_full_implicit_objective(spark, tiny):
    p = params(rank=3, iterations=3, regularization=0.3, alpha=1.5, ratingThreshold=2.5)
    frame = with_app_users(spark, tiny, [], [], p)
    model = train(frame, p, 2)
    users = sorted((r["id"], r["features"]) for r in model.userFactors.collect())
    items = sorted((r["id"], r["features"]) for r in model.itemFactors.collect())
    X = np.array([f for _, f in users], dtype=np.float64)
    Y = np.array([f for _, f in items], dtype=np.float64)
    u_row = {u: i for i, (u, _) in enumerate(users)}
    i_row = {m: i for i, (m, _) in enumerate(items)}
    C = np.ones((len(users), len(items)))
    P = np.zeros_like(C)
    n_u, n_i = np.zeros(len(users)), np.zeros(len(items))
    for u, m, r in frame.collect():
        C[u_row[u], i_row[m]] = 1 + p.alpha * abs(r)
        P[u_row[u], i_row[m]] = 1.0 if r > 0 else 0.0
        n_u[u_row[u]] += 1
        n_i[i_row[m]] += 1
    brute = (C * (P - X @ Y.T) ** 2).sum()
    brute += p.regularization * ((n_u * (X**2).sum(1)).sum() + (n_i * (Y**2).sum(1)).sum())
    got = final_loss(frame, model, Y.astype(np.float32), p)
    assert got == pytest.approx(brute, rel=1e-5)


def test_partitions():
    assert choose_partitions(7, 10, 2) == 7
    assert choose_partitions(None, 100_000, 2) == 2
    assert choose_partitions(None, 25_000_095, 8) == 13
    assert choose_partitions(None, 10**10, 8) == 200
