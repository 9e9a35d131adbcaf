"""Delta tables in the warehouse: create them from the schemas, register their names, read them.

Each logical table (see :data:`enrich.schemas.TABLE_SCHEMAS`) is a Delta table at a location
(``<root>/<name>/`` by default, a local folder or a URI) or a metastore table (see
:class:`enrich.locations.TableRef`), and is reachable in the session under its name, so SQL can say
``SELECT * FROM product_descriptions``. A table written by an older release gains the columns the
code has added since (``ALTER TABLE ... ADD COLUMNS``); a column whose type changed is an error.
"""

from __future__ import annotations

import json
import logging
import random
import time
from contextlib import contextmanager

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as T

from enrich.config import IDENTIFIER, WarehouseConfig
from enrich.locations import TableRef, list_folders, quote_name, same_location
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


def is_delta_table(spark: SparkSession, table: TableRef) -> bool:
    """True when ``table`` exists and is a Delta table.

    Raises:
        TableError: a metastore table of that name exists but is not a Delta table.
    """
    from delta.tables import DeltaTable

    if not table.in_metastore:
        return bool(DeltaTable.isDeltaTable(spark, table.location))
    if not spark.catalog.tableExists(table.qualified):
        return False
    kind = spark.sql(f"DESCRIBE DETAIL {table.sql}").first()["format"]
    if kind != "delta":
        raise TableError(f"table {table.qualified} is a {kind} table, not a Delta table")
    return True


def delta_table(spark: SparkSession, table: TableRef):
    """The :class:`delta.tables.DeltaTable` handle of ``table``."""
    from delta.tables import DeltaTable

    if table.in_metastore:
        return DeltaTable.forName(spark, table.qualified)
    return DeltaTable.forPath(spark, table.location)


def _type_sql(field: T.StructField) -> str:
    return field.dataType.simpleString()


def _column_sql(field: T.StructField) -> str:
    """A column for DDL: quoted name and type (``ADD COLUMNS`` takes no NOT NULL)."""
    return f"{quote_identifier(field.name)} {_type_sql(field)}"


def _add_missing_columns(spark: SparkSession, table: TableRef, schema: T.StructType) -> None:
    current = {f.name: f for f in read_table(spark, table).schema.fields}
    wrong = [
        f"{f.name} is {_type_sql(current[f.name])}, expected {_type_sql(f)}"
        for f in schema.fields
        if f.name in current and current[f.name].dataType != f.dataType
    ]
    if wrong:
        raise TableError(f"table {table} has columns of the wrong type: {'; '.join(wrong)}")
    missing = [f for f in schema.fields if f.name not in current]
    if missing:
        columns = ", ".join(_column_sql(f) for f in missing)
        spark.sql(f"ALTER TABLE {table.sql} ADD COLUMNS ({columns})")
        log.info("added columns %s to %s", [f.name for f in missing], table)


def ensure_table(spark: SparkSession, table: TableRef, schema: T.StructType) -> None:
    """Create ``table`` if absent (else add missing columns), and register its name.

    A location gets a Delta table written there; a metastore name gets a managed table in its
    schema, which must exist or be creatable.

    Raises:
        TableError: the existing table has a column of another type, or the metastore schema is
            missing and cannot be created.
    """
    from delta.tables import DeltaTable

    if is_delta_table(spark, table):
        _add_missing_columns(spark, table, schema)
    else:
        if table.in_metastore:
            # SQL, not DeltaTableBuilder.tableName, which takes at most two name parts.
            _ensure_namespace(spark, table.qualified.rsplit(".", 1)[0])
            columns = ", ".join(
                _column_sql(f) + ("" if f.nullable else " NOT NULL") for f in schema.fields
            )
            spark.sql(f"CREATE TABLE IF NOT EXISTS {table.sql} ({columns}) USING DELTA")
        else:
            DeltaTable.createIfNotExists(spark).location(table.location).addColumns(schema).execute()
        log.info("created table %s at %s", table.name, table)
    register_table(spark, table)


def _ensure_namespace(spark: SparkSession, namespace: str) -> None:
    if spark.catalog.databaseExists(namespace):
        return
    try:
        spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {quote_name(namespace)}")
    except Exception as exc:  # no privilege, or a catalog that does not create schemas
        raise TableError(
            f"metastore schema {namespace} does not exist and could not be created ({exc}); "
            "create it, or point warehouse.catalog / warehouse.locations at one that exists"
        ) from exc


def register_table(spark: SparkSession, table: TableRef) -> None:
    """Make ``table.name`` refer to ``table`` in this session, so the project's SQL finds it.

    A location is registered as an external table of that name; a name already registered for
    another location is re-pointed when it is an external table (dropping an external table's
    entry leaves its files alone, and a temporary view of that name is dropped); a managed table
    of that name is never touched. A metastore table in the current namespace under its own name
    needs nothing; one elsewhere gets a temporary view of that name for the session.

    Raises:
        TableError: ``table.name`` is a managed table somewhere else.
    """
    name = quote_identifier(table.name)
    if table.in_metastore:
        namespace, _, last = table.qualified.rpartition(".")
        if last == table.name and _is_current_namespace(spark, namespace):
            return
        spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW {name} AS SELECT * FROM {table.sql}")
        return
    # A temporary view of that name (an earlier metastore placement) would hide the table.
    spark.catalog.dropTempView(table.name)
    if spark.catalog.tableExists(table.name):
        location = spark.sql(f"DESCRIBE DETAIL {name}").first()["location"]
        if same_location(location, table.location):
            return
        kind = spark.catalog.getTable(table.name).tableType
        if kind != "EXTERNAL":
            raise TableError(
                f"table {table.name} is a {kind.lower()} table at {location}; not re-pointing it "
                f"to {table.location}. Choose another name in warehouse.tables."
            )
        spark.sql(f"DROP TABLE {name}")
    spark.sql(f"CREATE TABLE {name} USING DELTA LOCATION {sql_string(table.location)}")


def _is_current_namespace(spark: SparkSession, namespace: str) -> bool:
    current = spark.catalog.currentDatabase()
    if "." in namespace:
        return namespace == f"{spark.catalog.currentCatalog()}.{current}"
    return namespace == current


def use_namespace(spark: SparkSession, warehouse: WarehouseConfig) -> None:
    """Make ``warehouse.catalog`` the session's current namespace, when one is set."""
    if warehouse.catalog:
        spark.sql(f"USE {quote_name(warehouse.catalog)}")


def ensure_tables(spark: SparkSession, warehouse: WarehouseConfig, *logical: str) -> None:
    """Ensure the given tables of :data:`TABLE_SCHEMAS` (all when none is named) exist, registered."""
    for table in logical or tuple(TABLE_SCHEMAS):
        ensure_table(spark, warehouse.table(table), TABLE_SCHEMAS[table])


def register_existing(spark: SparkSession, warehouse: WarehouseConfig) -> list[str]:
    """Register the warehouse's Delta tables under their names; return the names.

    These are the folders under ``warehouse.root`` that hold a Delta table (or, with
    ``warehouse.catalog``, the tables of that namespace, made current) and every table placed
    by ``warehouse.locations``.
    """
    names = []
    if warehouse.catalog:
        use_namespace(spark, warehouse)
        names += [t.name for t in spark.catalog.listTables() if not t.isTemporary]
    else:
        for folder in list_folders(spark, warehouse.root_location):
            name = folder.rstrip("/").rsplit("/", 1)[-1]
            table = TableRef(name, location=folder)
            if IDENTIFIER.match(name) and name not in warehouse.locations \
                    and is_delta_table(spark, table):
                register_table(spark, table)
                names.append(name)
    for name in warehouse.locations:
        table = warehouse.table(name)
        if is_delta_table(spark, table):
            register_table(spark, table)
            names.append(name)
    return sorted(set(names))


def require_table(spark: SparkSession, warehouse: WarehouseConfig, logical: str) -> TableRef:
    """A table the job reads; raise with the fix when it is not there."""
    table = warehouse.table(logical)
    if not is_delta_table(spark, table):
        raise TableError(
            f"table {table.name} not found: no Delta table at {table}. "
            "Create the demo catalog with `catalog-enrich demo-data`, import data with "
            "`catalog-enrich import`, or point warehouse.root, warehouse.catalog or "
            "warehouse.locations at your tables."
        )
    return table


def table_version(spark: SparkSession, table: TableRef) -> int:
    """The latest committed version of ``table``."""
    return int(delta_table(spark, table).history(1).collect()[0]["version"])


def read_table(spark: SparkSession, table: TableRef, *, version: int | None = None) -> DataFrame:
    """Read a Delta table, at ``version`` when given (time travel keeps a run consistent)."""
    if table.in_metastore:
        at = "" if version is None else f" VERSION AS OF {int(version)}"
        return spark.sql(f"SELECT * FROM {table.sql}{at}")
    reader = spark.read.format("delta")
    if version is not None:
        reader = reader.option("versionAsOf", version)
    return reader.load(table.location)


def _save(writer, table: TableRef) -> None:
    if table.in_metastore:
        writer.saveAsTable(table.qualified)
    else:
        writer.save(table.location)


def overwrite(df: DataFrame, table: TableRef) -> None:
    """Replace ``table``'s rows and columns with ``df`` (one commit; history is kept)."""
    _save(df.write.format("delta").mode("overwrite").option("overwriteSchema", "true"), table)


def append(df: DataFrame, table: TableRef) -> None:
    """Append rows to ``table`` (a location's table is created on first write)."""
    _save(df.write.format("delta").mode("append"), table)


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
    table: TableRef,
    keys: list[str],
    *,
    update_when: str | None = None,
    marker: dict | None = None,
    attempts: int = 1,
    backoff_seconds: float = 1.0,
) -> None:
    """MERGE ``source`` into ``table``: update matching keys, insert the rest.

    Args:
        spark: the session.
        source: rows with the target's columns, at most one per key.
        table: the target table.
        keys: columns that identify a row.
        update_when: optional SQL condition over ``t`` (target) and ``s`` (source) that a
            matched row must meet to be updated, e.g. to make a replayed MERGE a no-op.
        marker: written as JSON into the commit's ``userMetadata``, in the same atomic commit
            as the rows (see :func:`commit_markers`).
        attempts: tries when a concurrent commit conflicts (see :func:`retry_conflicts`).
        backoff_seconds: first wait between tries.
    """
    on = " AND ".join(f"t.{quote_identifier(k)} = s.{quote_identifier(k)}" for k in keys)

    def merge() -> None:
        (
            delta_table(spark, table)
            .alias("t")
            .merge(source.alias("s"), on)
            .whenMatchedUpdateAll(condition=update_when)
            .whenNotMatchedInsertAll()
            .execute()
        )

    with commit_metadata(spark, marker):
        retry_conflicts(merge, attempts=attempts, backoff_seconds=backoff_seconds,
                        what=f"MERGE into {table}")


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


def commit_markers(spark: SparkSession, table: TableRef) -> list[dict]:
    """The markers of the table's commits, oldest first, each with the commit's ``version``."""
    history = delta_table(spark, table).history().select("version", "userMetadata")
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


def restore_table(spark: SparkSession, table: TableRef, version: int) -> None:
    """Restore ``table`` to ``version`` (a new commit; history is kept).

    Raises:
        TableError: the version does not exist or its files were vacuumed.
    """
    latest = table_version(spark, table)
    if not 0 <= version <= latest:
        raise TableError(f"table {table} has versions 0..{latest}; cannot restore to {version}")
    if version == latest:
        return
    try:
        delta_table(spark, table).restoreToVersion(version)
    except Exception as exc:  # Delta raises AnalysisException or a JVM error for vacuumed files
        raise TableError(f"cannot restore {table} to version {version}: {exc}") from exc
