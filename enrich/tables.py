"""Delta tables in the warehouse: create them from the schemas, register their names, read them.

Each logical table (see :data:`enrich.schemas.TABLE_SCHEMAS`) lives at ``<root>/<name>/`` as a
plain Delta table and is registered in the session catalog under its name, so SQL can say
``SELECT * FROM product_descriptions``. A table written by an older release gains the columns the
code has added since (``ALTER TABLE ... ADD COLUMNS``); a column whose type changed is an error.
"""

from __future__ import annotations

import json
import logging
import random
import time
from contextlib import contextmanager
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as T

from enrich.config import IDENTIFIER, WarehouseConfig
from enrich.schemas import TABLE_SCHEMAS

log = logging.getLogger(__name__)


class TableError(RuntimeError):
    """A table is missing or does not have the shape the job needs."""


def quote_identifier(name: str) -> str:
    """Backtick-quote a plain identifier; anything else is refused."""
    if not IDENTIFIER.match(name):
        raise TableError(f"{name!r} is not a plain identifier (letters, digits, '_')")
    return f"`{name}`"


def sql_string(value: str) -> str:
    """A Spark SQL string literal holding ``value`` exactly."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def is_delta_table(spark: SparkSession, path: Path) -> bool:
    """True when ``path`` holds a Delta table."""
    from delta.tables import DeltaTable

    return path.exists() and DeltaTable.isDeltaTable(spark, str(path))


def _type_sql(data_type: T.DataType) -> str:
    return data_type.simpleString()


def _add_missing_columns(spark: SparkSession, path: Path, schema: T.StructType) -> None:
    current = {f.name: f for f in spark.read.format("delta").load(str(path)).schema.fields}
    wrong = [
        f"{f.name} is {current[f.name].dataType.simpleString()}, expected {_type_sql(f.dataType)}"
        for f in schema.fields
        if f.name in current and current[f.name].dataType != f.dataType
    ]
    if wrong:
        raise TableError(f"table at {path} has columns of the wrong type: {'; '.join(wrong)}")
    missing = [f for f in schema.fields if f.name not in current]
    if missing:
        columns = ", ".join(f"{quote_identifier(f.name)} {_type_sql(f.dataType)}" for f in missing)
        spark.sql(f"ALTER TABLE delta.{quote_identifier_path(path)} ADD COLUMNS ({columns})")
        log.info("added columns %s to %s", [f.name for f in missing], path)


def quote_identifier_path(path: Path) -> str:
    """Backtick-quote a path for ``delta.`<path>``` references."""
    text = str(path)
    if "`" in text:
        raise TableError(f"table path {text!r} must not contain a backtick")
    return f"`{text}`"


def ensure_table(spark: SparkSession, name: str, path: Path, schema: T.StructType) -> None:
    """Create the Delta table at ``path`` if absent (else add missing columns), and register it.

    Args:
        spark: the session.
        name: the name to register in the session catalog.
        path: the table's folder.
        schema: the columns it must have.

    Raises:
        TableError: the existing table has a column of another type.
    """
    from delta.tables import DeltaTable

    if is_delta_table(spark, path):
        _add_missing_columns(spark, path, schema)
    else:
        DeltaTable.createIfNotExists(spark).location(str(path)).addColumns(schema).execute()
        log.info("created table %s at %s", name, path)
    register_table(spark, name, path)


def register_table(spark: SparkSession, name: str, path: Path) -> None:
    """Make ``name`` refer to the Delta table at ``path`` in this session's catalog.

    A name already registered for another location is re-pointed when it is an external table
    (dropping an external table's entry leaves its files alone); a managed table of that name is
    never touched.

    Raises:
        TableError: ``name`` is a managed table somewhere else.
    """
    if spark.catalog.tableExists(name):
        location = spark.sql(f"DESCRIBE DETAIL {quote_identifier(name)}").first()["location"]
        if _same_location(location, path):
            return
        kind = spark.catalog.getTable(name).tableType
        if kind != "EXTERNAL":
            raise TableError(
                f"table {name} is a {kind.lower()} table at {location}; not re-pointing it to "
                f"{path}. Choose another name in warehouse.tables."
            )
        spark.sql(f"DROP TABLE {quote_identifier(name)}")
    spark.sql(
        f"CREATE TABLE {quote_identifier(name)} USING DELTA LOCATION {sql_string(str(path))}"
    )


def _same_location(location: str, path: Path) -> bool:
    return location.removeprefix("file:").rstrip("/") == str(path.resolve()).rstrip("/")


def ensure_tables(spark: SparkSession, warehouse: WarehouseConfig, *logical: str) -> None:
    """Ensure the given tables of :data:`TABLE_SCHEMAS` (all when none is named) exist, registered."""
    for table in logical or tuple(TABLE_SCHEMAS):
        ensure_table(spark, warehouse.name(table), warehouse.path(table), TABLE_SCHEMAS[table])


def register_existing(spark: SparkSession, warehouse: WarehouseConfig) -> list[str]:
    """Register every Delta table in the warehouse under its folder's name; return the names."""
    names = []
    root = warehouse.root.resolve()
    if not root.is_dir():
        return names
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if IDENTIFIER.match(folder.name) and is_delta_table(spark, folder):
            register_table(spark, folder.name, folder)
            names.append(folder.name)
    return names


def require_table(spark: SparkSession, warehouse: WarehouseConfig, table: str) -> Path:
    """The path of a table the job reads; raise with the fix when it is not there."""
    path = warehouse.path(table)
    if not is_delta_table(spark, path):
        raise TableError(
            f"table {warehouse.name(table)} not found: no Delta table at {path}. "
            "Create the demo catalog with `catalog-enrich demo-data`, import data with "
            "`catalog-enrich import`, or point warehouse.root at your tables."
        )
    return path


def table_version(spark: SparkSession, path: Path) -> int:
    """The latest committed version of the Delta table at ``path``."""
    from delta.tables import DeltaTable

    return int(DeltaTable.forPath(spark, str(path)).history(1).collect()[0]["version"])


def read_table(spark: SparkSession, path: Path, *, version: int | None = None) -> DataFrame:
    """Read a Delta table, at ``version`` when given (time travel keeps a run consistent)."""
    reader = spark.read.format("delta")
    if version is not None:
        reader = reader.option("versionAsOf", version)
    return reader.load(str(path))


def append(df: DataFrame, path: Path) -> None:
    """Append rows to the Delta table at ``path`` (created on first write)."""
    df.write.format("delta").mode("append").save(str(path))


CONFLICTS = (
    "ConcurrentAppendException", "ConcurrentDeleteReadException", "ConcurrentDeleteDeleteException",
    "ConcurrentTransactionException", "ConcurrentWriteException", "MetadataChangedException",
    "ProtocolChangedException", "DeltaConcurrentModificationException",
)
USER_METADATA = "spark.databricks.delta.commitInfo.userMetadata"


def _conflict_types() -> tuple[type, ...]:
    import delta.exceptions as errors

    return tuple(getattr(errors, name) for name in CONFLICTS)


def retry_conflicts(action, *, attempts: int, backoff_seconds: float, what: str):
    """Run ``action()``; when a concurrent Delta commit conflicts with it, wait and run it again.

    A conflicting commit leaves nothing behind, so running the action again is safe.

    Raises:
        TableError: the action still conflicted after ``attempts`` tries.
    """
    conflicts = _conflict_types()
    for attempt in range(1, attempts + 1):
        try:
            return action()
        except conflicts as exc:
            if attempt == attempts:
                raise TableError(
                    f"{what}: another job kept writing the same table ({type(exc).__name__}) "
                    f"after {attempts} tries; run again when it has finished, or raise "
                    "writes.conflict_retries"
                ) from exc
            wait = backoff_seconds * 2 ** (attempt - 1) * (1 + random.random())
            log.warning("%s: concurrent write (%s); retrying in %.1fs (try %d of %d)",
                        what, type(exc).__name__, wait, attempt + 1, attempts)
            time.sleep(wait)
    raise AssertionError("unreachable")


def merge_rows(
    spark: SparkSession,
    source: DataFrame,
    path: Path,
    keys: list[str],
    *,
    update_when: str | None = None,
    marker: dict | None = None,
    attempts: int = 1,
    backoff_seconds: float = 1.0,
) -> None:
    """MERGE ``source`` into the Delta table at ``path``: update matching keys, insert the rest.

    Args:
        spark: the session.
        source: rows with the target's columns, at most one per key.
        path: the target table.
        keys: columns that identify a row.
        update_when: optional SQL condition over ``t`` (target) and ``s`` (source) that a
            matched row must meet to be updated, e.g. to make a replayed MERGE a no-op.
        marker: written as JSON into the commit's ``userMetadata``, in the same atomic commit
            as the rows (see :func:`commit_markers`).
        attempts: tries when a concurrent commit conflicts (see :func:`retry_conflicts`).
        backoff_seconds: first wait between tries.
    """
    from delta.tables import DeltaTable

    on = " AND ".join(f"t.{quote_identifier(k)} = s.{quote_identifier(k)}" for k in keys)

    def merge() -> None:
        (
            DeltaTable.forPath(spark, str(path))
            .alias("t")
            .merge(source.alias("s"), on)
            .whenMatchedUpdateAll(condition=update_when)
            .whenNotMatchedInsertAll()
            .execute()
        )

    with commit_metadata(spark, marker):
        retry_conflicts(merge, attempts=attempts, backoff_seconds=backoff_seconds,
                        what=f"MERGE into {path}")


@contextmanager
def commit_metadata(spark: SparkSession, marker: dict | None):
    """Attach ``marker`` (as JSON) to the Delta commits made inside the block."""
    if marker is None:
        yield
        return
    spark.conf.set(USER_METADATA, json.dumps(marker, sort_keys=True))
    try:
        yield
    finally:
        spark.conf.unset(USER_METADATA)


def commit_markers(spark: SparkSession, path: Path) -> list[dict]:
    """The markers of the table's commits, oldest first, each with the commit's ``version``."""
    from delta.tables import DeltaTable

    history = DeltaTable.forPath(spark, str(path)).history().select("version", "userMetadata")
    markers = []
    for row in history.collect():
        if row["userMetadata"]:
            try:
                marker = json.loads(row["userMetadata"])
            except ValueError:
                continue
            if isinstance(marker, dict):
                markers.append({**marker, "version": int(row["version"])})
    return sorted(markers, key=lambda m: m["version"])


def restore_table(spark: SparkSession, path: Path, version: int) -> None:
    """Restore the Delta table at ``path`` to ``version`` (a new commit; history is kept).

    Raises:
        TableError: the version does not exist or its files were vacuumed.
    """
    from delta.tables import DeltaTable

    latest = table_version(spark, path)
    if not 0 <= version <= latest:
        raise TableError(f"table at {path} has versions 0..{latest}; cannot restore to {version}")
    if version == latest:
        return
    try:
        DeltaTable.forPath(spark, str(path)).restoreToVersion(version)
    except Exception as exc:  # Delta raises AnalysisException or a JVM error for vacuumed files
        raise TableError(f"cannot restore {path} to version {version}: {exc}") from exc
