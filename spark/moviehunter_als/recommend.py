"""The app users' candidates: Spark's recommendForUserSubset with room for the movies they must not get (picked, seen,
excluded), those dropped, best first."""
from __future__ import annotations

import json
import math

from pyspark.ml.recommendation import ALSModel
from pyspark.sql import SparkSession
from pyspark.sql.types import IntegerType, StructField, StructType

from .errors import JobError
from .inputs import AppUser


def recommend(
    spark: SparkSession, model: ALSModel, users: list[AppUser], ids: list[int], candidates: int, item_ids: set[int]
) -> list[list[tuple[int, float]]]:
    """For each user (in order): min(candidates, items − unwanted items) (movie, score) pairs, none picked, seen or excluded, best first."""
    if not users:
        return []
    room = candidates + max(len(u.unrecommendable()) for u in users)
    subset = spark.createDataFrame([(i,) for i in ids], StructType([StructField("userId", IntegerType(), False)]))
    found = {row["userId"]: row["recommendations"] for row in model.recommendForUserSubset(subset, room).collect()}
    out: list[list[tuple[int, float]]] = []
    for user, uid in zip(users, ids):
        unwanted = user.unrecommendable()
        items = [(int(r["movieId"]), float(r["rating"])) for r in found.get(uid, []) if r["movieId"] not in unwanted]
        items.sort(key=lambda item: -item[1])  # stable: Spark's order among equal scores
        items = items[:candidates]
        expected = min(candidates, len(item_ids) - len(unwanted & item_ids))
        if len(items) != expected:
            raise JobError(f"user {json.dumps(user.user)}: Spark recommended {len(items)} movies, expected {expected}")
        bad = [m for m, s in items if not math.isfinite(s)]
        if bad:
            raise JobError(f"user {json.dumps(user.user)}: the score of movie {bad[0]} is not finite (training diverged)")
        out.append(items)
    return out
