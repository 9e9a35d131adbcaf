"""Where a table or a folder lives: a local path, a URI, or a metastore name.

A table is either *at a location* (a local folder or a URI that Spark's Hadoop filesystems read:
``s3a://``, ``abfss://``, ``gs://``, ``file:``) or *a metastore table* named
``catalog.schema.table`` (Unity Catalog style) or ``schema.table``. :class:`TableRef` holds one
of the two; :mod:`enrich.tables` reads and writes either. Folders the job writes itself (staging)
are always locations, deleted through the same Hadoop filesystem Spark wrote them with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_NAME_PART = r"[A-Za-z_][A-Za-z0-9_]*"
METASTORE_NAME = re.compile(rf"^{_NAME_PART}(\.{_NAME_PART}){{1,2}}$")
NAMESPACE = re.compile(rf"^{_NAME_PART}(\.{_NAME_PART})?$")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def is_uri(text: str) -> bool:
    """True for ``scheme:...`` locations (``s3a://b/k``, ``file:/x``); False for plain paths."""
    return bool(_SCHEME.match(text)) and not _WINDOWS_DRIVE.match(text)


def is_metastore_name(text: str) -> bool:
    """True for ``schema.table`` and ``catalog.schema.table`` (plain identifiers, no path)."""
    return bool(METASTORE_NAME.match(text))


def spark_location(text: str) -> str:
    """A location as Spark should see it: URIs as given (no trailing '/'; ``file:///x`` spelt
    ``file:/x``, as Hadoop does, so Delta sees one location), paths made absolute."""
    if text.startswith("file:"):
        return "file:" + str(local_path(text)).rstrip("/")
    if is_uri(text):
        return text.rstrip("/")
    return str(Path(text).expanduser().resolve())


def join(base: str, *parts: str) -> str:
    """``base/part/...`` for a URI or an absolute path."""
    return "/".join([base.rstrip("/"), *(p.strip("/") for p in parts)])


def is_local(loc: str) -> bool:
    """True when ``loc`` is on this machine's filesystem (a path or a ``file:`` URI)."""
    return not is_uri(loc) or loc.startswith("file:")


def local_path(loc: str) -> Path:
    """The filesystem path of a local location (``file:///x`` -> ``/x``)."""
    if loc.startswith("file:"):
        from urllib.parse import urlparse

        return Path(urlparse(loc).path)
    return Path(loc)


def same_location(a: str, b: str) -> bool:
    """True when two spellings name one location (``file:/x/`` and ``/x`` do)."""

    def norm(loc: str) -> str:
        return str(local_path(loc)).rstrip("/") if is_local(loc) else loc.rstrip("/")

    return norm(a) == norm(b)


def quote_name(dotted: str) -> str:
    """A metastore name for SQL, each part backtick-quoted: ``a.b`` -> ```a`.`b```."""
    return ".".join(f"`{part}`" for part in dotted.split("."))


@dataclass(frozen=True)
class TableRef:
    """One Delta table: ``name`` is what SQL in this project calls it; exactly one of
    ``location`` (path or URI) and ``qualified`` (metastore name) says where it is."""

    name: str
    location: str | None = None
    qualified: str | None = None

    def __post_init__(self):
        if (self.location is None) == (self.qualified is None):
            raise ValueError("a table has either a location or a metastore name")

    @property
    def in_metastore(self) -> bool:
        return self.qualified is not None

    @property
    def sql(self) -> str:
        """The table in a SQL statement: ``delta.`<location>``` or ```catalog`.`schema`.`t```."""
        if self.qualified is not None:
            return quote_name(self.qualified)
        if "`" in self.location:
            raise ValueError(f"table location {self.location!r} must not contain a backtick")
        return f"delta.`{self.location}`"

    def __str__(self) -> str:
        return self.qualified or self.location


def _hadoop_path(spark: SparkSession, loc: str):
    """``loc`` as a Hadoop path, with the filesystem Spark reads it through."""
    path = spark.sparkContext._jvm.org.apache.hadoop.fs.Path(loc)
    return path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), path


def delete_tree(spark: SparkSession, loc: str) -> None:
    """Delete the folder at ``loc`` and everything in it, through Spark's Hadoop filesystem.

    Missing folders are fine. Used for the job's own staging data only.
    """
    fs, path = _hadoop_path(spark, loc)
    fs.delete(path, True)


def list_folders(spark: SparkSession, loc: str) -> list[str]:
    """The sub-folders of ``loc`` (full locations, sorted); none when ``loc`` does not exist."""
    fs, path = _hadoop_path(spark, loc)
    if not fs.exists(path):
        return []
    return sorted(join(loc, s.getPath().getName()) for s in fs.listStatus(path) if s.isDirectory())
