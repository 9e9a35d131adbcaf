"""Reading a run's inputs: the source tables at one Delta version each, checked against the tasks.

Every job (enrich, train, evaluate) reads its inputs here, so they all pin the same versions,
record them, and refuse tables that do not fit their tasks before any model is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from enrich import schemas as S
from enrich.config import JobConfig
from enrich.contracts import check_task_inputs
from enrich.tables import is_delta_table, read_table, require_table, table_version
from enrich.tasks import Task

SOURCE_TABLES = ("products", "reviews")


def valid_text(frame: DataFrame) -> DataFrame:
    """``frame`` with every string (also inside maps and arrays) made valid UTF-8.

    Upstream systems can write bytes that are not UTF-8 into string columns; Arrow refuses them
    on the way to the Python workers, which would fail a whole partition. Invalid sequences are
    replaced with U+FFFD instead, so the row goes through and the damage stays visible.
    """
    columns = []
    for field in frame.schema.fields:
        column = F.col(field.name)
        kind = field.dataType
        if isinstance(kind, T.StringType):
            column = F.make_valid_utf8(column)
        elif isinstance(kind, T.MapType) and isinstance(kind.keyType, T.StringType) and isinstance(
            kind.valueType, T.StringType
        ):
            column = F.transform_values(
                F.transform_keys(column, lambda k, _: F.make_valid_utf8(k)),
                lambda _, v: F.make_valid_utf8(v),
            )
        elif isinstance(kind, T.ArrayType) and isinstance(kind.elementType, T.StringType):
            column = F.transform(column, F.make_valid_utf8)
        columns.append(column.alias(field.name))
    return frame.select(*columns)


def one_row_per_product(products: DataFrame) -> DataFrame:
    """``products`` with one row per ``product_id``: where upstream wrote a key twice, the row
    with the latest ``updated_at`` wins (ties: the larger sha256 of the row's content), so the
    choice is the same on every run and no output key is ever written twice."""
    content = F.sha2(F.to_json(F.struct(*[F.col(c) for c in products.columns])), 256)
    recency = [F.col(S.UPDATED_AT).desc_nulls_last()] if S.UPDATED_AT in products.columns else []
    order = Window.partitionBy(S.PRODUCT_ID).orderBy(*recency, content.desc())
    return products.withColumn("_rank", F.row_number().over(order)).where("_rank = 1").drop("_rank")


@dataclass
class Sources:
    """The source tables of a run, read at the versions in ``versions``."""

    products: DataFrame
    reviews: DataFrame
    versions: dict[str, int]
    references: dict[str, DataFrame] = field(default_factory=dict)  # by task name

    def work_rows(self, task: Task) -> DataFrame:
        """``task``'s work rows over these tables."""
        return task.work_rows(self.products, self.reviews, self.references.get(task.name))


def read_sources(spark: SparkSession, cfg: JobConfig, tasks: list[Task]) -> Sources:
    """Read products, reviews and the tasks' reference tables at their current versions.

    Raises:
        TableError: a source table does not exist.
        ContractError: a table lacks a column a task needs, or has it with the wrong type.
    """
    paths = {t: require_table(spark, cfg.warehouse, t) for t in SOURCE_TABLES}
    versions = {cfg.warehouse.name(t): table_version(spark, p) for t, p in paths.items()}
    products = read_table(spark, paths["products"], version=versions[cfg.warehouse.name("products")])
    reviews = read_table(spark, paths["reviews"], version=versions[cfg.warehouse.name("reviews")])
    references = {}
    for task in tasks:
        table = task.cfg.reference_table
        if table:
            path = cfg.warehouse.table(table)
            if is_delta_table(spark, path):
                versions[table] = table_version(spark, path)
                references[task.name] = read_table(spark, path, version=versions[table])
    names = {t: cfg.warehouse.name(t) for t in SOURCE_TABLES}
    for task in tasks:
        check_task_inputs(task, products, reviews, names=names, references=references.get(task.name))
    return Sources(one_row_per_product(valid_text(products)), valid_text(reviews), versions, references)
