"""
The Python side of scripts/bench-peers (scripts/peers/): the original notebook's preparation against a vectorised
equivalent on a tiny frame, the closed-form bias ranking, the confidence and regularization mappings for implicit,
the shared objective, and the exporter. No Spark here (peer_spark.py runs in bench-peers' smoke run).
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np
import pandas as pd
import pytest

PEERS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "scripts", "peers")
if PEERS not in sys.path:
    sys.path.insert(0, PEERS)

import notebook_best_movies as nb  # noqa: E402
import peer_common  # noqa: E402
import peer_implicit  # noqa: E402


@pytest.fixture
def tiny() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "userId": [7, 7, 3, 3, 3, 9, 9, 1],
            "movieId": [50, 20, 20, 50, 40, 20, 40, 40],
            "rating": [5.0, 3.0, 4.0, 4.5, 1.0, 2.0, 3.5, 5.0],
        }
    )


def test_notebook_preparation_equals_the_vectorised_one(tiny):
    slow, slow_ids, slow_users = nb.proc_data_for_model(tiny)
    fast, fast_ids, fast_users = nb.proc_data_vectorized(tiny)
    # Indices in order of first appearance, as the notebook's dicts over unique() give them.
    assert list(slow["user"]) == [0, 0, 1, 1, 1, 2, 2, 3]
    assert list(slow["movie"]) == [0, 1, 1, 0, 2, 1, 2, 2]
    assert list(slow["user"]) == list(fast["user"])
    assert list(slow["movie"]) == list(fast["movie"])
    assert list(slow_ids) == list(fast_ids) == [50, 20, 40]
    assert [sorted(u) for u in slow_users] == [sorted(u) for u in fast_users] == [[0, 1], [0, 1, 2], [1, 2, 3]]
    assert "user" not in tiny.columns  # the input frame is left alone


def test_rank_by_bias_is_the_closed_form(tiny):
    prepared, movie_ids, movie_users = nb.proc_data_for_model(tiny)
    best = nb.rank_by_bias(prepared, movie_ids, movie_users, top=3, min_ratings=1)
    mu = tiny["rating"].mean()
    expected = {}
    for movie, group in tiny.groupby("movieId"):
        expected[movie] = (group["rating"] - mu).sum() / (nb.ITEM_REGULARIZATION + len(group))
    order = sorted(expected, key=lambda m: (-expected[m], m))
    assert [b["movieId"] for b in best] == order
    for b in best:
        assert b["score"] == pytest.approx(mu + expected[b["movieId"]])
    # min_ratings leaves out movies with fewer raters; top cuts the list.
    assert [b["movieId"] for b in nb.rank_by_bias(prepared, movie_ids, movie_users, top=5, min_ratings=3)] == [m for m in order if m != 50]
    assert len(nb.rank_by_bias(prepared, movie_ids, movie_users, top=1, min_ratings=1)) == 1


def test_confidence_is_movieHunters_rule_signed_for_implicit():
    values = np.array([5.0, 0.5, 0.0, -2.0], dtype=np.float32)
    assert list(peer_common.signed_confidence(values, 2.0)) == [11.0, 2.0, -1.0, -5.0]


def test_implicit_regularization_keeps_the_total_weight():
    # Σ over rows of λ·n = λ·2·ratings; spread over users + items rows: λ·2·ratings / (users + items) each.
    assert peer_implicit.mapped_regularization(0.5, 100, 10, 40) == pytest.approx(0.5 * 200 / 50)


def _ratings(users, items, values, n_users, n_items):
    return peer_common.Ratings(
        users=np.array(users, dtype=np.int32), items=np.array(items, dtype=np.int32), values=np.array(values, dtype=np.float32),
        user_ids=np.arange(1, n_users + 1, dtype=np.int32), item_ids=np.arange(1, n_items + 1, dtype=np.int32),
    )


def test_objective_equals_the_sum_over_every_pair():
    rng = np.random.default_rng(1)
    r = _ratings([0, 0, 1, 2], [0, 2, 1, 2], [4.0, 1.0, 5.0, 3.0], 3, 4)
    x = rng.normal(size=(3, 2)).astype(np.float32)
    y = rng.normal(size=(4, 2)).astype(np.float32)
    lam, alpha = 0.3, 2.0
    rated = {(int(u), int(i)): float(v) for u, i, v in zip(r.users, r.items, r.values)}
    total = 0.0
    for u in range(3):
        for i in range(4):
            s = float(np.dot(x[u].astype(np.float64), y[i].astype(np.float64)))
            v = rated.get((u, i))
            c, p = (1.0, 0.0) if v is None else (1.0 + alpha * abs(v), 1.0 if v > 0 else 0.0)
            total += c * (p - s) ** 2
    n_u, n_i = np.bincount(r.users, minlength=3), np.bincount(r.items, minlength=4)
    total += lam * sum(n_u[u] * float(np.dot(x[u], x[u])) for u in range(3))
    total += lam * sum(n_i[i] * float(np.dot(y[i], y[i])) for i in range(4))
    assert peer_common.objective(r, x, y, lam, alpha, chunk=3) == pytest.approx(total, rel=1e-6)


def test_export_writes_the_folder_bench_peers_reads(tmp_path):
    r = _ratings([0, 1], [0, 1], [4.0, 5.0], 2, 2)
    user_factors = np.array([[1, 2], [3, 4]], dtype=np.float32)
    item_factors = np.array([[0.5, -1], [2, 0]], dtype=np.float32)
    out = tmp_path / "export"
    peer_common.export(str(out), r, r.user_ids, user_factors, r.item_ids, item_factors, {"engine": "x", "rank": 2, "trainSeconds": 0.1, "iterations": []})
    assert np.fromfile(out / "item_ids.i32", dtype="<i4").tolist() == [1, 2]
    assert np.fromfile(out / "user_factors.f32", dtype="<f4").tolist() == [1, 2, 3, 4]
    result = json.loads((out / "result.json").read_text())
    assert result["engine"] == "x" and result["users"] == 2 and result["ratings"] == 2 and result["peakRssBytes"] > 0
    with pytest.raises(ValueError, match="not finite"):
        peer_common.export(str(out), r, r.user_ids, np.full((2, 2), np.nan, dtype=np.float32), r.item_ids, item_factors, {})


def test_read_ratings_makes_ids_dense_in_ascending_order(tmp_path):
    path = tmp_path / "ratings.csv"
    path.write_text("userId,movieId,rating,timestamp\n9,300,4.5,0\n2,100,3,0\n9,100,1,0\n")
    r = peer_common.read_ratings(str(path))
    assert r.user_ids.tolist() == [2, 9] and r.item_ids.tolist() == [100, 300]
    assert r.users.tolist() == [1, 0, 1] and r.items.tolist() == [1, 0, 0]
    assert r.values.tolist() == [4.5, 3.0, 1.0]


def test_implicit_trains_with_our_confidence_and_exports(tmp_path, monkeypatch):
    """The peer end to end on a tiny file: every factor finite, ids as in the file, the objective per iteration."""
    path = tmp_path / "ratings.csv"
    rows = [(u, m, float(1 + (u * m) % 5)) for u in range(1, 21) for m in range(1, 31) if (u + m) % 3 == 0]
    path.write_text("userId,movieId,rating,timestamp\n" + "".join(f"{u},{m},{r},0\n" for u, m, r in rows))
    out = tmp_path / "out"
    monkeypatch.setattr(sys, "argv", ["peer_implicit.py", "--ratings", str(path), "--out", str(out), "--rank", "4", "--iterations", "3",
                                      "--regularization", "0.5", "--alpha", "2", "--threads", "1"])
    assert peer_implicit.main() == 0
    result = json.loads((out / "result.json").read_text())
    assert result["engine"] == "implicit" and result["params"]["alpha"] == 1.0
    assert [it["iteration"] for it in result["iterations"]] == [1, 2, 3]
    assert all(np.isfinite(it["loss"]) for it in result["iterations"])
    assert np.fromfile(out / "user_ids.i32", dtype="<i4").tolist() == sorted({u for u, _, _ in rows})
    assert np.all(np.isfinite(np.fromfile(out / "item_factors.f32", dtype="<f4")))
