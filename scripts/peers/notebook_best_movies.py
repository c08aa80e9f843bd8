#!/usr/bin/env python3
"""
The original system's best-movies notebook, its data preparation reproduced from its description and timed:
proc_data_for_model remapped userId and movieId to indices with a per-row apply, then built each movie's users
with a list comprehension that filters the whole frame and calls unique() once per movie (O(movies × ratings)).
The original then trained a Keras model and ranked movies by their learnt bias; TensorFlow is not needed to
compare the lists: movies are ranked by the closed-form regularized bias b_i = Σ(r − μ) / (λ + n_i) instead
(λ = 25, the core's item regularization; movies with fewer than --min-ratings raters left out, as the core does).

  notebook_best_movies.py --ratings ratings.csv [--top 48] [--min-ratings 20] [--out FILE]
prints (or writes) one JSON object: timings per step and the top list.
"""
from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np
import pandas as pd

ITEM_REGULARIZATION = 25.0


def proc_data_for_model(ratings: pd.DataFrame):
    """As the notebook did it: dict lookups row by row, then one boolean filter + unique() per movie."""
    user_ids = ratings["userId"].unique()
    movie_ids = ratings["movieId"].unique()
    user2idx = {o: i for i, o in enumerate(user_ids)}
    movie2idx = {o: i for i, o in enumerate(movie_ids)}
    ratings = ratings.copy()
    ratings["user"] = ratings["userId"].apply(lambda x: user2idx[x])
    ratings["movie"] = ratings["movieId"].apply(lambda x: movie2idx[x])
    movie_users = [ratings[ratings["movie"] == m]["user"].unique() for m in range(len(movie_ids))]
    return ratings, movie_ids, movie_users


def proc_data_vectorized(ratings: pd.DataFrame):
    """The same outputs without the per-row and per-movie Python loops (for the equivalence test)."""
    ratings = ratings.copy()
    users, _ = pd.factorize(ratings["userId"], sort=False)
    movies, movie_ids = pd.factorize(ratings["movieId"], sort=False)
    ratings["user"] = users
    ratings["movie"] = movies
    groups = ratings.groupby("movie", sort=True)["user"].unique()
    return ratings, np.asarray(movie_ids), [groups.iloc[m] for m in range(len(movie_ids))]


def rank_by_bias(ratings: pd.DataFrame, movie_ids, movie_users, top: int, min_ratings: int) -> list[dict]:
    """Closed-form item bias over the notebook's indices; ties by movieId ascending."""
    mu = float(ratings["rating"].mean())
    movie = ratings["movie"].to_numpy()
    count = len(movie_ids)
    sums = np.bincount(movie, weights=ratings["rating"].to_numpy(np.float64) - mu, minlength=count)
    n = np.array([len(u) for u in movie_users], dtype=np.float64)
    bias = sums / (ITEM_REGULARIZATION + n)
    eligible = np.flatnonzero(n >= min_ratings)
    order = sorted(eligible, key=lambda m: (-bias[m], int(movie_ids[m])))[:top]
    return [{"movieId": int(movie_ids[m]), "score": mu + float(bias[m]), "ratings": int(n[m])} for m in order]


def main() -> int:
    parser = argparse.ArgumentParser(description="the original best-movies preparation, timed")
    parser.add_argument("--ratings", required=True)
    parser.add_argument("--top", type=int, default=48)
    parser.add_argument("--min-ratings", type=int, default=20)
    parser.add_argument("--out")
    args = parser.parse_args()

    started = time.perf_counter()
    ratings = pd.read_csv(args.ratings, usecols=["userId", "movieId", "rating"])
    read_seconds = time.perf_counter() - started

    mark = time.perf_counter()
    prepared, movie_ids, movie_users = proc_data_for_model(ratings)
    prepare_seconds = time.perf_counter() - mark

    mark = time.perf_counter()
    best = rank_by_bias(prepared, movie_ids, movie_users, args.top, args.min_ratings)
    rank_seconds = time.perf_counter() - mark

    report = {
        "ratings": int(len(ratings)),
        "movies": int(len(movie_ids)),
        "readSeconds": read_seconds,
        "prepareSeconds": prepare_seconds,
        "rankSeconds": rank_seconds,
        "pandas": pd.__version__,
        "itemRegularization": ITEM_REGULARIZATION,
        "minRatings": args.min_ratings,
        "best": best,
    }
    text = json.dumps(report, indent=2) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
