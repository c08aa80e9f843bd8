"""One run: read the run folder, train, recommend, write the outputs with _SUCCESS last."""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .errors import JobError
from .files import files_for, join
from .inputs import parse_params, parse_picks
from .loss import final_loss
from .outputs import FACTORS_FILE, factors_bytes, iso_now, manifest_json, metrics_json, recommendations_jsonl
from .ratings import app_user_ids, count_unrated_picks, load_ratings, ratings_format, with_app_users
from .recommend import recommend
from .session import Session
from .train import Checkpoints, choose_partitions, train

SUCCESS, FAILED = "_SUCCESS", "_FAILED"


@dataclass(frozen=True)
class Options:
    run_folder: str
    ratings_path: str | None = None
    engine_name: str = "spark-local"
    master: str | None = None
    checkpoint_dir: str | None = None
    partitions: int | None = None


class _Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._mark = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[phase] = round(now - self._mark, 3)
        self._mark = now


def run(options: Options, session: Session) -> dict:
    """Does the whole run; raises JobError (or a Spark error) and then never writes _SUCCESS. Returns the metrics."""
    clock = _Clock()
    folder = options.run_folder.rstrip("/") or "/"
    files = files_for(folder, session.get)
    for marker in (SUCCESS, FAILED):
        if files.exists(join(folder, marker)):
            raise JobError(f"{folder}: already holds a finished run ({marker} exists); use a new run folder")
    params_name, picks_name = join(folder, "params.json"), join(folder, "picks.jsonl")
    params = parse_params(files.read_bytes(params_name), params_name)
    users = parse_picks(files.read_bytes(picks_name), picks_name)
    if not params.scaleRegularization:
        raise JobError(
            f"{params_name}: scaleRegularization is false, but Spark's ALS always scales regularization by each "
            "row's number of ratings (ALS-WR); train this model with the inprocess engine"
        )
    ratings_path = options.ratings_path or params.ratingsPath
    ratings_format(ratings_path)  # an unknown file name fails before Spark starts

    spark = session.get()
    spark.sparkContext.setLogLevel("WARN")
    for_location = lambda location: files_for(location, session.get)  # noqa: E731
    dataset = load_ratings(spark, for_location(ratings_path), ratings_path)
    try:
        added_movies = count_unrated_picks(spark, dataset, users)
        ids = app_user_ids(dataset.max_user, len(users))
        ratings = with_app_users(spark, dataset, users, ids, params).cache()
        total = ratings.count()
    finally:
        dataset.frame.unpersist()
    sc = spark.sparkContext
    partitions = choose_partitions(options.partitions, total, sc.defaultParallelism)
    clock.lap("load")

    checkpoints = Checkpoints(spark, for_location, folder, options.checkpoint_dir)
    try:
        model = train(ratings, params, partitions)
        trained_at = iso_now()
        rows = sorted(model.itemFactors.collect(), key=lambda row: row["id"])
        item_ids = [int(row["id"]) for row in rows]
        factors = np.array([row["features"] for row in rows], dtype="<f4").reshape(len(rows), params.rank)
        loss = final_loss(ratings, model, factors, params)
        clock.lap("train")

        recs = recommend(spark, model, users, ids, params.candidates, set(item_ids))
        clock.lap("recommend")

        files.write_bytes(join(folder, "recommendations.jsonl"), recommendations_jsonl(users, recs))
        files.write_bytes(join(folder, f"model/{FACTORS_FILE}"), factors_bytes(factors))  # before the manifest
        files.write_bytes(
            join(folder, "model/manifest.json"), manifest_json(item_ids, params.rank, options.engine_name, trained_at, params)
        )
        clock.lap("write")
        metrics = {
            "engine": options.engine_name,
            "seconds": clock.seconds,
            "iterations": [{"iteration": params.iterations, "loss": loss}],
            "data": {
                "datasetUsers": dataset.users,
                "appUsers": len(users),
                "movies": len(item_ids),
                "addedMovies": added_movies,
                "datasetRatings": dataset.count,
                "appRatings": total - dataset.count,
                "rank": params.rank,
                "partitions": partitions,
            },
            "spark": {"version": spark.version, "master": sc.master, "defaultParallelism": sc.defaultParallelism},
        }
        files.write_bytes(join(folder, "metrics.json"), metrics_json(metrics))
        checkpoints.remove()
        files.write_bytes(join(folder, SUCCESS), b"")  # last: everything above is complete
        return metrics
    finally:
        checkpoints.remove()
        ratings.unpersist()
