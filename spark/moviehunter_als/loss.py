"""
The final implicit objective, the same one the TypeScript engine reports:
  Σ_all pairs c(p − x·y)² (unrated: c = 1, p = 0) + Σ_u λ·n_u·‖x_u‖² + Σ_i λ·n_i·‖y_i‖²
computed as ⟨XᵀX, YᵀY⟩ (the trace trick) plus, over the rated pairs, c(p − s)² − s² + λ(‖x_u‖² + ‖y_i‖²)
with s = x·y, c = 1 + alpha·|r|, p = 1 if r > 0 else 0 (each rating adds λ‖x_u‖² once, so the rated-pair sum
holds λ·n_u·‖x_u‖² for every user, and the same for items). The rated-pair sum is one DataFrame aggregation.
"""
from __future__ import annotations

import numpy as np
from pyspark.ml.recommendation import ALSModel
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from .inputs import Params


def user_gram(model: ALSModel, rank: int, batch: int = 8192) -> np.ndarray:
    """XᵀX (k × k, float64), streaming the user factors to the driver one partition at a time.

    Done on the driver with numpy rather than in Python workers, so executors need no Python packages;
    k·k·8 bytes of state, and a few seconds per million users."""
    gram = np.zeros((rank, rank), dtype=np.float64)
    rows: list = []

    def add() -> None:
        x = np.array(rows, dtype=np.float64).reshape(-1, rank)
        gram.__iadd__(x.T @ x)
        rows.clear()

    for row in model.userFactors.select("features").toLocalIterator(prefetchPartitions=True):
        rows.append(row[0])
        if len(rows) >= batch:
            add()
    if rows:
        add()
    return gram


def _dot(a: str, b: str) -> Column:
    return F.aggregate(F.zip_with(a, b, lambda u, v: u * v), F.lit(0.0).cast("double"), lambda acc, v: acc + v)


def rated_pair_sum(ratings: DataFrame, model: ALSModel, params: Params) -> float:
    users = model.userFactors.select(F.col("id").alias("userId"), F.col("features").cast("array<double>").alias("x"))
    items = model.itemFactors.select(F.col("id").alias("movieId"), F.col("features").cast("array<double>").alias("y"))
    r = F.col("rating")
    s, c = F.col("s"), F.lit(1.0) + F.lit(float(params.alpha)) * F.abs(r)
    p = F.when(r > 0, F.lit(1.0)).otherwise(F.lit(0.0))
    term = c * (p - s) * (p - s) - s * s + F.lit(float(params.regularization)) * (_dot("x", "x") + _dot("y", "y"))
    total = (
        ratings.select("userId", "movieId", "rating")
        .join(users, "userId")
        .join(items, "movieId")
        .withColumn("s", _dot("x", "y"))
        .agg(F.sum(term).alias("total"))
        .first()["total"]
    )
    return float(total or 0.0)


def final_loss(ratings: DataFrame, model: ALSModel, item_factors: np.ndarray, params: Params) -> float:
    """The objective after the last iteration (Spark does not report it per iteration)."""
    y = item_factors.astype(np.float64)
    gram_term = float(np.sum(user_gram(model, params.rank) * (y.T @ y)))
    return gram_term + rated_pair_sum(ratings, model, params)
