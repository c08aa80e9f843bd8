"""One SparkSession (local[2], no UI, few shuffle partitions) shared by every test, and the job as a function."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import pytest

SPARK_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if SPARK_DIR not in sys.path:
    sys.path.insert(0, SPARK_DIR)


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("moviehunter-als-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("WARN")
    yield session
    session.stop()


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def message(self) -> str:
        """The last stderr line: the job's one-line error."""
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        return lines[-1] if lines else ""


@pytest.fixture
def run_job(spark, capsys):
    """run_job(folder, *args) runs the job's main() in this process with the shared session."""
    from moviehunter_als.cli import main

    def run(folder, *args: str) -> Result:
        capsys.readouterr()
        code = main([str(folder), *args], spark=spark)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
