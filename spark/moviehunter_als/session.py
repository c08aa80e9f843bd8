"""The SparkSession: the caller's (tests), or one built on first use and stopped at the end."""
from __future__ import annotations

import os

from pyspark import SparkConf, SparkContext
from pyspark.sql import SparkSession

APP_NAME = "moviehunter-als"


def build_session(master: str | None) -> SparkSession:
    """--master, else what spark-submit set, else local[*]; no UI when local; log level WARN."""
    SparkContext._ensure_initialized()  # attaches to spark-submit's JVM, or starts one
    conf = SparkConf()  # holds spark-submit's --master and --conf settings
    chosen = master or conf.get("spark.master", None) or "local[*]"
    builder = SparkSession.builder.appName(APP_NAME).master(chosen).config("spark.ui.showConsoleProgress", "false")
    if chosen.startswith("local"):
        builder = builder.config("spark.ui.enabled", "false")
        if not conf.contains("spark.sql.shuffle.partitions"):
            # A local run's shuffles are small: a few partitions per core instead of 200.
            cores = os.cpu_count() or 2
            builder = builder.config("spark.sql.shuffle.partitions", str(max(4, 4 * cores)))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark


class Session:
    """Hands out one SparkSession; stops it at the end only if it built it."""

    def __init__(self, spark: SparkSession | None = None, master: str | None = None) -> None:
        self._spark = spark
        self._master = master
        self._owned = False

    @property
    def started(self) -> bool:
        return self._spark is not None

    def get(self) -> SparkSession:
        if self._spark is None:
            self._spark = build_session(self._master)
            self._owned = True
        return self._spark

    def stop(self) -> None:
        if self._owned and self._spark is not None:
            spark, self._spark = self._spark, None
            spark.stop()
