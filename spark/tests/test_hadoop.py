"""The Hadoop FileSystem path (what gs:// uses on Dataproc), exercised with file:// URIs."""
from __future__ import annotations

from moviehunter_als.files import HadoopFiles, LocalFiles, files_for, is_uri, join, spark_location
from runfolder import check_run, make_run

PICKS = [{"user": "alice", "movies": [1, 2]}, {"user": "bob", "movies": [7]}]


def test_uri_or_path():
    assert is_uri("gs://bucket/runs/x") and is_uri("file:///tmp/x") and is_uri("hdfs://nn:8020/x")
    assert not is_uri("/tmp/x") and not is_uri("runs/x") and not is_uri("C:/runs")
    assert join("gs://b/runs/x/", "model/manifest.json") == "gs://b/runs/x/model/manifest.json"
    assert spark_location("gs://b/r.csv") == "gs://b/r.csv"
    assert spark_location("/data/ratings.csv") == "file:///data/ratings.csv"
    assert isinstance(files_for("/tmp/x", lambda: None), LocalFiles)


def test_hadoop_files_read_write_exists_delete(tmp_path, spark):
    files = HadoopFiles(spark)
    base = (tmp_path / "h").as_uri()
    target = join(base, "model/data.bin")
    assert not files.exists(target) and files.read_bytes(target) is None
    payload = bytes(range(256)) * 40_000  # ~10 MB: more than one write through the gateway
    files.write_bytes(target, payload)
    assert files.exists(target) and files.read_bytes(target) == payload
    assert (tmp_path / "h/model/data.bin").read_bytes() == payload
    files.write_bytes(target, b"short")
    assert files.read_bytes(target) == b"short"
    files.write_bytes(join(base, "_SUCCESS"), b"")
    assert files.read_bytes(join(base, "_SUCCESS")) == b""
    assert sorted(p.name for p in (tmp_path / "h").rglob("*")) == ["_SUCCESS", "data.bin", "model"]  # no .crc files
    files.delete(join(base, "model"))
    files.delete(join(base, "missing"))
    assert not files.exists(target) and files.read_bytes(base) is None


def test_a_file_uri_run_folder_end_to_end(tmp_path, run_job):
    folder = make_run(tmp_path, PICKS)
    ratings = tmp_path / "run-data" / "ratings.csv"
    result = run_job(folder.as_uri(), ratings.as_uri())
    assert result.code == 0, result.stderr
    check_run(folder, PICKS)  # also: no .crc files, no _checkpoints left behind
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["_SUCCESS", "metrics.json", "model", "params.json", "picks.jsonl", "recommendations.jsonl"]
    )
    again = run_job(folder.as_uri())
    assert again.code == 1 and again.message.endswith("already holds a finished run (_SUCCESS exists); use a new run folder")


def test_a_file_uri_run_folder_with_bad_input(tmp_path, run_job):
    folder = make_run(tmp_path, raw_picks='{"user": "a", "movies": [1]}\n{"user": "a", "movies": [2]}\n')
    result = run_job(folder.as_uri())
    assert result.code == 1
    assert result.message == f'als_job: {folder.as_uri()}/picks.jsonl:2: user "a" appears twice (first at line 1)'
    assert not (folder / "_SUCCESS").exists()
