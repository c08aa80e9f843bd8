"""
What every Python peer of scripts/bench-peers shares: the command line, reading the training ratings, the
objective, and the exporter that hands the factors back to the TypeScript side.

Export format (one folder per peer run; bench-peers reads it in scripts/peers/factors.ts):
  user_ids.i32, item_ids.i32          little-endian int32, the dataset's userId / movieId of each factor row
  user_factors.f32, item_factors.f32  little-endian float32, rows × rank, row-major, in the order of the ids
  result.json                         {"engine", "rank", "users", "items", "ratings", "trainSeconds",
                                       "iterations": [{"iteration", "seconds", "loss"}], "peakRssBytes", ...}
result.json is written last: its presence means the factors are complete.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
from dataclasses import dataclass

import numpy as np

RESULT_FILE = "result.json"


@dataclass(frozen=True)
class Ratings:
    """COO triples with dense indices; user_ids[u] / item_ids[i] are the dataset ids, both ascending."""

    users: np.ndarray  # int32, dense user index of each rating
    items: np.ndarray  # int32, dense item index of each rating
    values: np.ndarray  # float32 stars
    user_ids: np.ndarray  # int32
    item_ids: np.ndarray  # int32

    @property
    def count(self) -> int:
        return int(self.values.shape[0])


def parse_args(description: str, extra=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--ratings", required=True, help="ratings.csv (userId,movieId,rating[,timestamp]) with a header")
    parser.add_argument("--out", required=True, help="the export folder (created)")
    parser.add_argument("--rank", type=int, required=True)
    parser.add_argument("--iterations", type=int, required=True)
    parser.add_argument("--regularization", type=float, required=True, help="λ, scaled by each row's number of ratings (ALS-WR)")
    parser.add_argument("--alpha", type=float, required=True, help="confidence c = 1 + alpha·|r|")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=0, help="0: every core")
    parser.add_argument("--no-loss", action="store_true", help="skip the objective (it is never part of the training time)")
    if extra is not None:
        extra(parser)
    return parser.parse_args()


def read_ratings(path: str) -> Ratings:
    """The first three columns of a MovieLens ratings.csv; ids made dense in ascending id order."""
    import pandas as pd

    frame = pd.read_csv(path, usecols=[0, 1, 2], header=0, names=["userId", "movieId", "rating"],
                        dtype={"userId": np.int32, "movieId": np.int32, "rating": np.float32}, engine="c")
    user_ids, users = np.unique(frame["userId"].to_numpy(), return_inverse=True)
    item_ids, items = np.unique(frame["movieId"].to_numpy(), return_inverse=True)
    return Ratings(
        users=users.astype(np.int32), items=items.astype(np.int32), values=frame["rating"].to_numpy(np.float32),
        user_ids=user_ids.astype(np.int32), item_ids=item_ids.astype(np.int32),
    )


def signed_confidence(values: np.ndarray, alpha: float) -> np.ndarray:
    """MovieHunter's (and Spark's) rule as the `implicit` library takes it: r > 0 → +(1 + alpha·r), else −(1 + alpha·|r|)."""
    c = (1.0 + alpha * np.abs(values)).astype(np.float32)
    return np.where(values > 0, c, -c).astype(np.float32)


def objective(r: Ratings, x: np.ndarray, y: np.ndarray, regularization: float, alpha: float, chunk: int = 1 << 16) -> float:
    """
    MovieHunter's implicit objective (src/recommend/als/loss.ts, spark/moviehunter_als/loss.py), the same for every
    engine: Σ_all c(p − x·y)² (unrated: c = 1, p = 0) + Σ_u λ·n_u·‖x_u‖² + Σ_i λ·n_i·‖y_i‖².
    """
    x64 = x.astype(np.float64)
    y64 = y.astype(np.float64)
    total = float(np.sum((x64.T @ x64) * (y64.T @ y64)))
    for start in range(0, r.count, chunk):
        u = r.users[start:start + chunk]
        i = r.items[start:start + chunk]
        v = r.values[start:start + chunk].astype(np.float64)
        s = np.einsum("ij,ij->i", x64[u], y64[i])
        c = 1.0 + alpha * np.abs(v)
        p = (v > 0).astype(np.float64)
        total += float(np.sum(c * (p - s) ** 2 - s * s))
    n_u = np.bincount(r.users, minlength=x.shape[0]).astype(np.float64)
    n_i = np.bincount(r.items, minlength=y.shape[0]).astype(np.float64)
    total += regularization * float(np.dot(n_u, np.einsum("ij,ij->i", x64, x64)))
    total += regularization * float(np.dot(n_i, np.einsum("ij,ij->i", y64, y64)))
    return total


def peak_rss_bytes() -> int:
    """This process's peak RSS (and its waited-for children's), from getrusage; Linux reports KiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return int(max(own, children) * 1024)


def export(out: str, r: Ratings, user_ids: np.ndarray, user_factors: np.ndarray, item_ids: np.ndarray,
           item_factors: np.ndarray, result: dict) -> None:
    """Writes the four binary files, then result.json (last)."""
    os.makedirs(out, exist_ok=True)
    for name, ids, factors in (("user", user_ids, user_factors), ("item", item_ids, item_factors)):
        if factors.shape[0] != ids.shape[0]:
            raise ValueError(f"{name} factors have {factors.shape[0]} rows for {ids.shape[0]} ids")
        if not np.all(np.isfinite(factors)):
            raise ValueError(f"{name} factors hold values that are not finite (training diverged)")
        np.ascontiguousarray(ids, dtype="<i4").tofile(os.path.join(out, f"{name}_ids.i32"))
        np.ascontiguousarray(factors, dtype="<f4").tofile(os.path.join(out, f"{name}_factors.f32"))
    body = {"users": int(user_ids.shape[0]), "items": int(item_ids.shape[0]), "ratings": r.count, **result}
    body.setdefault("peakRssBytes", peak_rss_bytes())
    with open(os.path.join(out, RESULT_FILE), "w", encoding="utf-8") as f:
        json.dump(body, f, indent=2, allow_nan=False)
        f.write("\n")


def training_done() -> None:
    """Tells bench-peers that training is over: its memory sampling keeps the peak so far as the training's peak."""
    print("bench-peers:phase=export", file=sys.stderr, flush=True)


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
