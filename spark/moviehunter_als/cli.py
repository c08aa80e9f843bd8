"""Command line: arguments, the top-level error handling (one "als_job: ..." line on stderr, exit 1)."""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import Sequence

from .errors import JobError, describe, java_causes
from .job import Options, run
from .session import Session

USAGE = (
    "als_job.py RUN_FOLDER [RATINGS_PATH] [--engine-name NAME] [--master URL] [--checkpoint-dir DIR] [--partitions N]"
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print usage and exit 2 with its own prefix
        raise JobError(f"{message} (usage: {USAGE})")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if not 1 <= value <= 100_000:
        raise argparse.ArgumentTypeError(f"{value} is not a partition count from 1 to 100000")
    return value


def _non_empty(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def parse_args(argv: Sequence[str]) -> Options:
    parser = _Parser(prog="als_job.py", usage=USAGE, description="MovieHunter's Spark ALS job over one run folder.")
    parser.add_argument("run_folder", type=_non_empty, help="local path or URI (gs://, file://, hdfs://)")
    parser.add_argument("ratings_path", nargs="?", default=None, help="defaults to params.json's ratingsPath")
    parser.add_argument("--engine-name", default="spark-local", type=_non_empty, help="recorded in the model and metrics")
    parser.add_argument("--master", default=None, help="Spark master; default: spark-submit's, else local[*]")
    parser.add_argument("--checkpoint-dir", default=None, help="default: a temp folder, or RUN_FOLDER/_checkpoints for URIs")
    parser.add_argument("--partitions", type=_positive, default=None, help="ALS user and item blocks")
    a = parser.parse_args(list(argv))
    return Options(a.run_folder, a.ratings_path, a.engine_name, a.master, a.checkpoint_dir, a.partitions)


def main(argv: Sequence[str] | None = None, spark=None) -> int:
    """Runs the job; 0 on success, else one "als_job: ..." line (the last on stderr) and 1 (130 on Ctrl-C)."""
    session = Session(spark)
    message, code = None, 1
    try:
        options = parse_args(sys.argv[1:] if argv is None else argv)
        session = Session(spark, options.master)
        metrics = run(options, session)
        print(f"als_job: done in {sum(metrics['seconds'].values()):.1f}s: {options.run_folder}", flush=True)
    except JobError as err:
        message = str(err)
    except KeyboardInterrupt:
        message, code = "interrupted", 130
    except Exception as err:  # Spark/Java and anything unexpected: one line, no traceback
        if os.environ.get("ALS_JOB_DEBUG"):
            traceback.print_exc()
        message = describe(err) if java_causes(err) else f"{type(err).__name__}: {describe(err)}"
    try:
        session.stop()  # before the message, so Spark's shutdown noise cannot follow it
    except Exception:
        pass
    if message is None:
        return 0
    one_line = " ".join(part.strip() for part in message.splitlines() if part.strip())
    sys.stdout.flush()
    print(f"als_job: {one_line}", file=sys.stderr, flush=True)
    return code
