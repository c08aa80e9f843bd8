"""Spark ALS (implicit feedback) with the run's parameters; partitions and the checkpoint folder."""
from __future__ import annotations

import math
import tempfile
from typing import Callable

from pyspark.ml.recommendation import ALS, ALSModel
from pyspark.sql import DataFrame, SparkSession

from .files import Files, is_uri, join
from .inputs import Params

CHECKPOINT_INTERVAL = 10
MAX_PARTITIONS = 200
RATINGS_PER_PARTITION = 2_000_000


def choose_partitions(requested: int | None, ratings: int, default_parallelism: int) -> int:
    """--partitions, else max(defaultParallelism, ceil(ratings / 2M)), at most 200."""
    if requested is not None:
        return requested
    return max(1, min(MAX_PARTITIONS, max(default_parallelism, math.ceil(ratings / RATINGS_PER_PARTITION))))


class Checkpoints:
    """The checkpoint folder: --checkpoint-dir, else a temp folder (local runs), else RUN_FOLDER/_checkpoints."""

    def __init__(self, spark: SparkSession, files_for: Callable[[str], Files], run_folder: str, requested: str | None) -> None:
        self._files_for = files_for
        self._remove: str | None = None
        if requested:
            base = requested
        elif is_uri(run_folder):
            base = self._remove = join(run_folder, "_checkpoints")
        else:
            base = self._remove = tempfile.mkdtemp(prefix="moviehunter-als-checkpoints-")
        spark.sparkContext.setCheckpointDir(base)
        # Spark checkpoints into a fresh sub-folder of base; with --checkpoint-dir only that sub-folder is ours.
        if self._remove is None:
            own = spark.sparkContext._jsc.sc().getCheckpointDir()
            self._remove = own.get() if own.isDefined() else None

    def remove(self) -> None:
        """Deletes what this run checkpointed (idempotent)."""
        if self._remove is None:
            return
        location, self._remove = self._remove, None
        self._files_for(location).delete(location)


def train(ratings: DataFrame, params: Params, partitions: int) -> ALSModel:
    als = ALS(
        rank=params.rank,
        maxIter=params.iterations,
        regParam=params.regularization,
        alpha=params.alpha,
        implicitPrefs=True,
        seed=params.seed,
        userCol="userId",
        itemCol="movieId",
        ratingCol="rating",
        numUserBlocks=partitions,
        numItemBlocks=partitions,
        checkpointInterval=CHECKPOINT_INTERVAL,
        nonnegative=False,
    )
    return als.fit(ratings)
