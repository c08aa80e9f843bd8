"""
The MovieLens ratings as a Spark DataFrame (userId int, movieId int, rating double), checked whole, and the app
users added to them as new users past the dataset's largest userId.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Iterator

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType, IntegerType, LongType, StructField, StructType

from .errors import JobError, describe, java_causes
from .files import Files, spark_location
from .inputs import INT32_MAX, AppUser, Params

SCHEMA = StructType(
    [
        StructField("userId", IntegerType()),
        StructField("movieId", IntegerType()),
        StructField("rating", DoubleType()),
        StructField("timestamp", LongType()),
    ]
)
APP_SCHEMA = StructType(
    [StructField("userId", IntegerType(), False), StructField("movieId", IntegerType(), False), StructField("rating", DoubleType(), False)]
)


@dataclass(frozen=True)
class Ratings:
    frame: DataFrame  # userId, movieId, rating: cached
    count: int
    users: int
    movies: int
    max_user: int


def ratings_format(path: str) -> dict[str, object]:
    """CSV reader options by file name: *.csv (ml-latest, header), ratings.dat (ml-1m, '::'), u.data (ml-100k, tab)."""
    name = os.path.basename(path.rstrip("/"))
    if name.lower().endswith(".csv"):
        return {"sep": ",", "header": True}
    if name == "ratings.dat":
        return {"sep": "::", "header": False}
    if name == "u.data":
        return {"sep": "\t", "header": False}
    raise JobError(f"{path}: unknown ratings format (expected *.csv, ratings.dat or u.data)")


_NOISE = re.compile(r"^\[[A-Z_.]+\]\s*|\s*SQLSTATE: \w+\s*$")


def _clean(message: str) -> str:
    return _NOISE.sub("", _NOISE.sub("", message)).strip()


class _Reading:
    """Turns a Spark failure while reading the ratings into one line that names the file."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> "_Reading":
        return self

    def __exit__(self, kind, error, trace) -> bool:
        if error is None or isinstance(error, JobError) or not isinstance(error, Exception):
            return False
        causes = [_clean(c) for c in java_causes(error)] or [_clean(describe(error))]
        malformed = [c for c in causes if "alformed" in c]
        if malformed:
            detail = malformed[0]
            if causes[-1] not in malformed:
                detail += f" ({causes[-1]})"
            raise JobError(f"{self.path}: malformed ratings row: {detail}") from None
        raise JobError(f"{self.path}: cannot read the ratings: {causes[-1]}") from None


def load_ratings(spark: SparkSession, files: Files, path: str) -> Ratings:
    """Reads and checks the ratings (FAILFAST, no nulls, finite, at least one, no duplicate pairs); cached."""
    options = ratings_format(path)
    if not files.exists(path):
        raise JobError(f"{path}: ratings file missing")
    with _Reading(path):
        frame = (
            spark.read.schema(SCHEMA)
            .option("mode", "FAILFAST")
            .csv(spark_location(path), **options)
            .select("userId", "movieId", "rating")
            .cache()
        )
        stats = frame.agg(
            F.count(F.lit(1)).alias("count"),
            F.max("userId").alias("maxUser"),
            F.countDistinct("userId").alias("users"),
            F.countDistinct("movieId").alias("movies"),
            F.sum(_bad_row().cast("long")).alias("bad"),
        ).first()
        if stats["bad"]:
            example = frame.filter(_bad_row()).first()
            frame.unpersist()
            shown = ",".join("" if v is None else str(v) for v in example)
            raise JobError(f"{path}: malformed ratings row: {shown} (a missing id or rating, or a rating that is not finite)")
        if stats["count"] == 0:
            frame.unpersist()
            raise JobError(f"{path}: no ratings (the file holds no rating rows)")
        duplicate = frame.groupBy("userId", "movieId").count().filter(F.col("count") > 1).limit(1).collect()
        if duplicate:
            d = duplicate[0]
            frame.unpersist()
            raise JobError(f"{path}: user {d['userId']} rated movie {d['movieId']} {d['count']} times (duplicate userId, movieId pairs)")
    return Ratings(frame=frame, count=stats["count"], users=stats["users"], movies=stats["movies"], max_user=stats["maxUser"])


def _bad_row():
    return F.col("userId").isNull() | F.col("movieId").isNull() | F.col("rating").isNull() | F.isnan("rating") | F.col("rating").isin(float("inf"), float("-inf"))


def count_unrated_picks(spark: SparkSession, ratings: Ratings, users: list[AppUser]) -> int:
    """How many distinct picked movies the ratings lack: each is welcome and becomes a new item, learnt from its picks."""
    picked = sorted({m for u in users for m in u.movies})
    if not picked:
        return 0
    wanted = spark.createDataFrame([(m,) for m in picked], StructType([StructField("movieId", IntegerType(), False)]))
    return wanted.join(ratings.frame.select("movieId").distinct(), "movieId", "left_anti").count()


def app_user_ids(max_user: int, count: int) -> list[int]:
    """max + 1 + i for the i-th app user; refuses ids past int32."""
    if count and max_user + count > INT32_MAX:
        raise JobError(f"app user ids would overflow int32 (dataset's largest userId {max_user} + {count} app users)")
    return [max_user + 1 + i for i in range(count)]


def _app_rows(users: list[AppUser], ids: list[int], rating: float) -> Iterator[tuple[int, int, float]]:
    """Each pick at pickRating, each seen movie at its own rating; excluded movies are not trained."""
    for user, uid in zip(users, ids):
        for movie in user.movies:
            yield (uid, movie, float(rating))
        for movie, seen_rating in user.rated:
            yield (uid, movie, float(seen_rating))


def with_app_users(spark: SparkSession, ratings: Ratings, users: list[AppUser], ids: list[int], params: Params) -> DataFrame:
    """The dataset plus one row per pick (rated params.pickRating) and per seen movie (its rating); ratingThreshold applied (see README)."""
    frame = ratings.frame
    if users:
        frame = frame.unionByName(spark.createDataFrame(list(_app_rows(users, ids, params.pickRating)), APP_SCHEMA))
    t = params.ratingThreshold
    if t is not None:
        r = F.col("rating")
        frame = frame.withColumn("rating", F.when(r >= F.lit(float(t)), r).otherwise(-(F.lit(float(t)) - r)))
    return frame
