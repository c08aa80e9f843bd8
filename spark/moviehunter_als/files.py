"""
File access behind one tiny interface (exists / read_bytes / write_bytes / delete), two implementations:
- LocalFiles: plain paths, plain Python I/O (atomic replace on write);
- HadoopFiles: any URI with a scheme (gs://, file://, hdfs://) through Hadoop's FileSystem API in the JVM,
  so the same job runs on Dataproc against Cloud Storage.
files_for(location, get_spark) picks one; the Hadoop one starts Spark only when it is first needed.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from typing import Callable, Protocol

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_CHUNK = 8 * 1024 * 1024  # bytes per py4j call when writing through the gateway


def is_uri(location: str) -> bool:
    """gs://b/x, file:///x, hdfs://nn/x; not /x, not x/y (a Windows drive letter is not expected here)."""
    return bool(_SCHEME.match(location)) and len(location.split(":", 1)[0]) > 1


def join(location: str, name: str) -> str:
    """location/name for both paths and URIs."""
    return f"{location.rstrip('/')}/{name}" if location.rstrip("/") else f"/{name}"


class Files(Protocol):
    def exists(self, location: str) -> bool: ...
    def read_bytes(self, location: str) -> bytes | None: ...  # None when missing
    def write_bytes(self, location: str, data: bytes) -> None: ...
    def delete(self, location: str) -> None: ...  # files and folders; missing is fine


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class LocalFiles:
    def exists(self, location: str) -> bool:
        return os.path.exists(location)

    def read_bytes(self, location: str) -> bytes | None:
        try:
            with open(location, "rb") as f:
                return f.read()
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            return None

    def write_bytes(self, location: str, data: bytes) -> None:
        folder = os.path.dirname(os.path.abspath(location))
        os.makedirs(folder, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{os.path.basename(location)}.tmp-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes it 0600; give it a normal file's mode
            os.replace(temp, location)
        except BaseException:
            if os.path.exists(temp):
                os.unlink(temp)
            raise

    def delete(self, location: str) -> None:
        if os.path.isdir(location) and not os.path.islink(location):
            shutil.rmtree(location, ignore_errors=True)
        elif os.path.lexists(location):
            os.unlink(location)


class HadoopFiles:
    """Hadoop FileSystem through the Spark JVM gateway; checksum (.crc) files are turned off for the local FS."""

    def __init__(self, spark) -> None:
        self._spark = spark
        self._jvm = spark._jvm
        self._conf = spark._jsc.hadoopConfiguration()

    def _fs(self, location: str):
        path = self._jvm.org.apache.hadoop.fs.Path(location)
        fs = path.getFileSystem(self._conf)
        fs.setWriteChecksum(False)
        fs.setVerifyChecksum(False)
        return fs, path

    def exists(self, location: str) -> bool:
        fs, path = self._fs(location)
        return bool(fs.exists(path))

    def read_bytes(self, location: str) -> bytes | None:
        fs, path = self._fs(location)
        if not fs.exists(path) or fs.getFileStatus(path).isDirectory():
            return None
        stream = fs.open(path)
        try:
            return bytes(stream.readAllBytes())
        finally:
            stream.close()

    def write_bytes(self, location: str, data: bytes) -> None:
        fs, path = self._fs(location)
        out = fs.create(path, True)  # overwrite; an object store shows it only once closed
        try:
            view = memoryview(data)
            for start in range(0, len(view), _CHUNK):
                out.write(bytearray(view[start : start + _CHUNK]))
        finally:
            out.close()

    def delete(self, location: str) -> None:
        fs, path = self._fs(location)
        if fs.exists(path):
            fs.delete(path, True)


def files_for(location: str, get_spark: Callable[[], object]) -> Files:
    """HadoopFiles for URIs (starting Spark if need be), LocalFiles for plain paths."""
    return HadoopFiles(get_spark()) if is_uri(location) else LocalFiles()


def spark_location(location: str) -> str:
    """What Spark should read: URIs as they are, local paths as file: URIs (not the cluster's default FS)."""
    return location if is_uri(location) else "file://" + os.path.abspath(location)
