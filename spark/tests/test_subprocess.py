"""The job as a real process, as the app's spark-local engine and spark-submit run it: exit codes and stderr."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from runfolder import check_run, make_run, ratings_csv

SPARK_DIR = Path(__file__).resolve().parent.parent
JOB = SPARK_DIR / "als_job.py"


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYSPARK_SUBMIT_ARGS": "--master local[2] --driver-memory 1g pyspark-shell"}
    env.pop("ALS_JOB_DEBUG", None)
    return subprocess.run(
        [sys.executable, str(JOB), *args], cwd=SPARK_DIR.parent, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_job_as_a_process(tmp_path):
    picks = [{"user": "alice", "movies": [1, 2]}]
    good = make_run(tmp_path, picks, name="good")
    ok = run(str(good), "--master", "local[2]")
    assert ok.returncode == 0, ok.stderr[-3000:]
    check_run(good, picks)
    assert "Traceback" not in ok.stderr

    # A Spark-side failure (FAILFAST on a malformed row): Spark logs its noise, but the last line is ours.
    bad = make_run(tmp_path, picks, name="bad", ratings=ratings_csv() + "9,oops,4.0,1\n")
    failed = run(str(bad), "--master", "local[2]")
    lines = [line for line in failed.stderr.splitlines() if line.strip()]
    assert failed.returncode == 1
    assert lines[-1].startswith("als_job: ") and "ratings.csv: malformed ratings row" in lines[-1], lines[-5:]
    assert "Traceback" not in failed.stderr
    assert not (bad / "_SUCCESS").exists()
