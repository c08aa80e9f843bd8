#!/usr/bin/env python3
"""
Spark MLlib's ALS as a peer of scripts/bench-peers: the training step of MovieHunter's own Spark job
(spark/moviehunter_als: its ratings reader and checks, its partitions and checkpoints, train()) on local[*],
timed around ALS.fit alone; both factor matrices are then collected and exported (peer_common.export).
Spark reports no loss per iteration: the objective is computed once, after the fit, on the collected factors.
"""
from __future__ import annotations

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "spark"))

import numpy as np  # noqa: E402

from peer_common import Ratings, export, log, objective, parse_args, training_done  # noqa: E402


def extra(parser) -> None:
    parser.add_argument("--master", default="local[*]")
    parser.add_argument("--driver-memory", default="2g", help="the local JVM's heap (driver and executor are one JVM)")


def session(master: str, driver_memory: str):
    """A fresh local session; driver memory must be set before the JVM starts, so no SparkContext exists yet."""
    from pyspark.sql import SparkSession

    cores = os.cpu_count() or 2
    spark = (
        SparkSession.builder.appName("moviehunter-bench-peers").master(master)
        .config("spark.driver.memory", driver_memory)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(max(4, 4 * cores)))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def factors_of(frame, rank: int) -> tuple[np.ndarray, np.ndarray]:
    rows = sorted(frame.collect(), key=lambda row: row["id"])
    ids = np.array([row["id"] for row in rows], dtype=np.int32)
    factors = np.array([row["features"] for row in rows], dtype=np.float32).reshape(len(rows), rank)
    return ids, factors


def main() -> int:
    args = parse_args("Spark MLlib's ALS (local) on a ratings.csv; exports the factors for scripts/bench-peers", extra)
    from moviehunter_als.files import LocalFiles, files_for
    from moviehunter_als.inputs import Params
    from moviehunter_als.ratings import load_ratings
    from moviehunter_als.train import Checkpoints, choose_partitions, train

    spark = session(args.master, args.driver_memory)
    try:
        dataset = load_ratings(spark, LocalFiles(), args.ratings)
        frame = dataset.frame
        params = Params(rank=args.rank, iterations=args.iterations, regularization=args.regularization, alpha=args.alpha,
                        ratingThreshold=None, scaleRegularization=True, seed=args.seed, topN=1, candidates=1, pickRating=5.0,
                        ratingsPath=args.ratings)
        sc = spark.sparkContext
        partitions = choose_partitions(None, dataset.count, sc.defaultParallelism)
        log(f"spark: {dataset.count} ratings, {dataset.users} users, {dataset.movies} items; rank {args.rank}, "
            f"{args.iterations} iterations, λ {args.regularization} (× n), alpha {args.alpha}; {sc.master}, "
            f"{partitions} blocks, driver memory {args.driver_memory}")
        checkpoints = Checkpoints(spark, lambda location: files_for(location, lambda: spark), args.out, None)
        try:
            started = time.perf_counter()
            model = train(frame, params, partitions)  # ALS.fit: runs every iteration and materialises both factor sets
            train_seconds = time.perf_counter() - started
            log(f"spark: trained in {train_seconds:.2f} s")
            training_done()
            user_ids, user_factors = factors_of(model.userFactors, args.rank)
            item_ids, item_factors = factors_of(model.itemFactors, args.rank)
        finally:
            checkpoints.remove()

        # The objective over the same triples, in the factors' row order.
        pdf = frame.select("userId", "movieId", "rating").toPandas()
        r = Ratings(
            users=np.searchsorted(user_ids, pdf["userId"].to_numpy()).astype(np.int32),
            items=np.searchsorted(item_ids, pdf["movieId"].to_numpy()).astype(np.int32),
            values=pdf["rating"].to_numpy(np.float32), user_ids=user_ids, item_ids=item_ids,
        )
        iterations = [{"iteration": args.iterations, "seconds": train_seconds / args.iterations}]
        if not args.no_loss:
            iterations[0]["loss"] = objective(r, user_factors, item_factors, args.regularization, args.alpha)
        export(args.out, r, user_ids, user_factors, item_ids, item_factors, {
            "engine": "spark",
            "rank": args.rank,
            "trainSeconds": train_seconds,
            "iterations": iterations,
            "lossPerIteration": False,
            "params": {"rank": args.rank, "maxIter": args.iterations, "regParam": args.regularization, "alpha": args.alpha,
                       "implicitPrefs": True, "numBlocks": partitions, "master": sc.master,
                       "defaultParallelism": sc.defaultParallelism, "driverMemory": args.driver_memory},
            "version": spark.version,
        })
        dataset.frame.unpersist()
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
