#!/usr/bin/env python3
"""
MovieHunter's Spark ALS job (see spark/README.md):
  python spark/als_job.py RUN_FOLDER [RATINGS_PATH] [--engine-name NAME] [--master URL] [--checkpoint-dir DIR] [--partitions N]
or the same arguments after `spark-submit --py-files moviehunter_als.zip spark/als_job.py`.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from moviehunter_als.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
