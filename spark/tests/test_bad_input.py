"""Bad input: exit code 1, one clear "als_job: ..." line last on stderr, no traceback, and never _SUCCESS."""
from __future__ import annotations

import json
import re

import pytest

from runfolder import BASE_PARAMS, TINY_RATINGS, make_run, ratings_csv

OK = [{"user": "alice", "movies": [1, 2]}]


def params_text(**over) -> str:
    return json.dumps({**BASE_PARAMS, "ratingsPath": "unused.csv", **over})


def without(key: str) -> str:
    return json.dumps({k: v for k, v in {**BASE_PARAMS, "ratingsPath": "unused.csv"}.items() if k != key})


# (id, make_run keyword arguments, a regex the message must match); picks errors name file and line.
CASES = [
    ("picks-not-json", {"raw_picks": '{"user": "a", "movies": [1]}\n{oops\n'}, r"picks\.jsonl:2: not valid JSON"),
    ("picks-not-object", {"raw_picks": "[1, 2]\n"}, r"picks\.jsonl:1: expected \{"),
    ("picks-user-missing", {"raw_picks": '{"movies": [1]}\n'}, r"picks\.jsonl:1: user is missing, expected a non-empty string"),
    ("picks-user-empty", {"raw_picks": '{"user": "", "movies": [1]}\n'}, r"picks\.jsonl:1: user is \"\""),
    ("picks-user-number", {"raw_picks": '{"user": 7, "movies": [1]}\n'}, r"picks\.jsonl:1: user is 7"),
    ("picks-movies-missing", {"raw_picks": '{"user": "a"}\n'}, r"picks\.jsonl:1: movies is missing"),
    ("picks-movies-empty", {"raw_picks": '{"user": "a", "movies": []}\n'}, r"picks\.jsonl:1: movies is \[\]"),
    ("picks-movies-string", {"raw_picks": '{"user": "a", "movies": "1,2"}\n'}, r"picks\.jsonl:1: movies is \"1,2\""),
    ("picks-movie-zero", {"raw_picks": '{"user": "a", "movies": [1, 0]}\n'}, r"picks\.jsonl:1: movie id 0 is not a positive 32-bit integer"),
    ("picks-movie-negative", {"raw_picks": '{"user": "a", "movies": [-3]}\n'}, r"picks\.jsonl:1: movie id -3"),
    ("picks-movie-fraction", {"raw_picks": '{"user": "a", "movies": [1.5]}\n'}, r"picks\.jsonl:1: movie id 1\.5"),
    ("picks-movie-bool", {"raw_picks": '{"user": "a", "movies": [true]}\n'}, r"picks\.jsonl:1: movie id true"),
    ("picks-movie-too-big", {"raw_picks": '{"user": "a", "movies": [2147483648]}\n'}, r"movie id 2147483648"),
    ("picks-movie-twice", {"raw_picks": '{"user": "a", "movies": [3, 1, 3]}\n'}, r"picks\.jsonl:1: movie 3 is picked twice"),
    (
        "picks-user-twice",
        {"raw_picks": '{"user": "a", "movies": [1]}\n\n{"user": "b", "movies": [2]}\n{"user": "a", "movies": [3]}\n'},
        r"picks\.jsonl:4: user \"a\" appears twice \(first at line 1\)",
    ),
    ("picks-rated-not-list", {"raw_picks": '{"user": "a", "movies": [1], "rated": 3}\n'}, r"picks\.jsonl:1: rated is 3"),
    ("picks-rated-zero", {"raw_picks": '{"user": "a", "movies": [1], "rated": [{"movie": 2, "rating": 0}]}\n'}, r"picks\.jsonl:1: the rating of movie 2 is 0"),
    ("picks-rated-picked", {"raw_picks": '{"user": "a", "movies": [1], "rated": [{"movie": 1, "rating": 4}]}\n'}, r"movie 1 is both picked and rated"),
    ("picks-excluded-rated", {"raw_picks": '{"user": "a", "movies": [1], "rated": [{"movie": 2, "rating": 4}], "excluded": [2]}\n'}, r"movie 2 is both rated and excluded"),
    ("picks-excluded-bad", {"raw_picks": '{"user": "a", "movies": [1], "excluded": [0]}\n'}, r"picks\.jsonl:1: movie id 0"),
    ("picks-not-utf8", {"raw_picks": None, "bytes_picks": b'{"user": "\xff", "movies": [1]}\n'}, r"picks\.jsonl: not valid UTF-8"),
    ("params-not-json", {"raw_params": "{rank: 3}"}, r"params\.json: not valid JSON"),
    ("params-not-object", {"raw_params": "[]"}, r"params\.json: expected a JSON object"),
    ("params-missing-key", {"raw_params": without("seed")}, r"params\.json: seed is missing"),
    ("params-unknown-key", {"raw_params": params_text(rnak=3)}, r"params\.json: unknown key \"rnak\""),
    ("params-rank-string", {"raw_params": params_text(rank="3")}, r"params\.json: rank is \"3\", expected an integer"),
    ("params-rank-zero", {"raw_params": params_text(rank=0)}, r"rank is 0"),
    ("params-iterations-fraction", {"raw_params": params_text(iterations=2.5)}, r"iterations is 2\.5"),
    ("params-regularization-zero", {"raw_params": params_text(regularization=0)}, r"regularization is 0, expected a number > 0"),
    ("params-alpha-negative", {"raw_params": params_text(alpha=-1)}, r"alpha is -1, expected a number >= 0"),
    ("params-threshold-string", {"raw_params": params_text(ratingThreshold="3")}, r"ratingThreshold is \"3\""),
    ("params-scale-string", {"raw_params": params_text(scaleRegularization="yes")}, r"scaleRegularization is \"yes\""),
    ("params-seed-bool", {"raw_params": params_text(seed=True)}, r"seed is true"),
    ("params-topn-missing", {"raw_params": without("topN")}, r"topN is missing"),
    ("params-candidates-zero", {"raw_params": params_text(candidates=0)}, r"candidates is 0, expected an integer from 1"),
    ("params-candidates-below-topn", {"raw_params": params_text(candidates=47)}, r"params\.json: candidates 47 is fewer than topN 48"),
    ("params-pick-rating-zero", {"raw_params": params_text(pickRating=0)}, r"pickRating is 0"),
    ("params-ratings-path-empty", {"raw_params": params_text(ratingsPath="")}, r"ratingsPath is \"\""),
    ("params-nan", {"raw_params": params_text().replace('"alpha": 2', '"alpha": NaN')}, r"params\.json: not valid JSON \(NaN"),
    (
        "params-scale-false",
        {"params": {"scaleRegularization": False}},
        r"scaleRegularization is false, but Spark's ALS always scales regularization",
    ),
    ("ratings-unknown-format", {"ratings_name": "ratings.txt"}, r"ratings\.txt: unknown ratings format"),
]

# The same, needing Spark (the ratings are read): slower, so fewer.
SPARK_CASES = [
    ("ratings-header-only", {"ratings": "userId,movieId,rating,timestamp\n"}, r"ratings\.csv: no ratings"),
    ("ratings-empty-file", {"ratings": ""}, r"ratings\.csv: no ratings"),
    ("ratings-not-a-number", {"ratings": ratings_csv() + "7,x,4.0,1\n"}, r"ratings\.csv: malformed ratings row: .*\(For input string: \"x\"\)"),
    ("ratings-too-few-fields", {"ratings": ratings_csv() + "7,3\n"}, r"ratings\.csv: malformed ratings row: .*7,3"),
    ("ratings-missing-value", {"ratings": ratings_csv() + "7,,4.0,1\n"}, r"ratings\.csv: malformed ratings row: 7,,4\.0 \(a missing id"),
    ("ratings-nan", {"ratings": ratings_csv() + "7,3,NaN,1\n"}, r"ratings\.csv: malformed ratings row: 7,3,nan"),
    (
        "ratings-duplicate-pair",
        {"ratings": ratings_csv(TINY_RATINGS + [(2, 4, 1.0)])},
        r"ratings\.csv: user 2 rated movie 4 2 times \(duplicate userId, movieId pairs\)",
    ),
    (
        "app-user-ids-overflow",
        {"ratings": ratings_csv(TINY_RATINGS + [(2**31 - 1, 1, 4.0)])},
        r"app user ids would overflow int32",
    ),
]


def _make(tmp_path, kwargs):
    kwargs = dict(kwargs)
    raw = kwargs.pop("bytes_picks", None)
    picks = kwargs.pop("picks", OK)
    folder = make_run(tmp_path, picks, **kwargs)
    if raw is not None:
        (folder / "picks.jsonl").write_bytes(raw)
    params = json.loads((folder / "params.json").read_text()) if "raw_params" not in kwargs else None
    return folder, params


def assert_failed(result, folder, pattern):
    assert result.code == 1, result.stderr
    assert result.message.startswith("als_job: "), result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(pattern, result.message), result.message
    assert not (folder / "_SUCCESS").exists()


@pytest.mark.parametrize("kwargs, pattern", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_run_input(tmp_path, run_job, kwargs, pattern):
    folder, _ = _make(tmp_path, kwargs)
    assert_failed(run_job(folder), folder, pattern)


@pytest.mark.parametrize("kwargs, pattern", [c[1:] for c in SPARK_CASES], ids=[c[0] for c in SPARK_CASES])
def test_bad_ratings(tmp_path, run_job, kwargs, pattern):
    folder, _ = _make(tmp_path, kwargs)
    assert_failed(run_job(folder), folder, pattern)
    assert not (folder / "model").exists() and not (folder / "recommendations.jsonl").exists()


@pytest.mark.parametrize("marker", ["_SUCCESS", "_FAILED"])
def test_a_finished_run_folder_is_refused_before_anything(tmp_path, run_job, marker):
    folder = make_run(tmp_path, OK)
    (folder / "picks.jsonl").unlink()  # would be an error too, but the marker is checked first
    (folder / marker).write_text("earlier run\n")
    result = run_job(folder)
    assert result.code == 1
    assert result.message == f"als_job: {folder}: already holds a finished run ({marker} exists); use a new run folder"
    assert sorted(p.name for p in folder.iterdir()) == sorted(["params.json", marker])


def test_missing_inputs(tmp_path, run_job):
    folder = make_run(tmp_path, OK)
    (folder / "picks.jsonl").unlink()
    assert_failed(run_job(folder), folder, r"picks\.jsonl: missing")
    (folder / "params.json").unlink()
    assert_failed(run_job(folder), folder, r"params\.json: missing")
    assert_failed(run_job(tmp_path / "nowhere"), tmp_path / "nowhere", r"nowhere/params\.json: missing")


def test_missing_ratings_file(tmp_path, run_job):
    folder = make_run(tmp_path, OK, params={"ratingsPath": str(tmp_path / "gone" / "ratings.csv")})
    assert_failed(run_job(folder), folder, r"gone/ratings\.csv: ratings file missing")


@pytest.mark.parametrize(
    "args, pattern",
    [
        ([], r"the following arguments are required: run_folder \(usage: als_job\.py RUN_FOLDER"),
        (["--partitions", "0"], r"argument --partitions: 0 is not a partition count"),
        (["--partitions", "many"], r"argument --partitions: 'many' is not an integer"),
        (["--engine-name", ""], r"argument --engine-name: must not be empty"),
        (["--bogus"], r"unrecognized arguments: --bogus"),
    ],
)
def test_bad_arguments(tmp_path, spark, capsys, args, pattern):
    from moviehunter_als.cli import main

    folder = make_run(tmp_path, OK)
    argv = [str(folder), *args] if args else []
    code = main(argv, spark=spark)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and err[-1].startswith("als_job: ") and re.search(pattern, err[-1]), err
    assert not (folder / "_SUCCESS").exists()
