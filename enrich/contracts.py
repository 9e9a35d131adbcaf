"""Input contracts: the columns and types each task needs, checked before any model is loaded.

A broken contract (a missing column, a column of the wrong type) stops the run at once with a
message that names the table, the task, what is missing or wrong, and the columns present.
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import types as T

from enrich import schemas as S
from enrich.tasks import ReviewsTask, Task

NUMERIC = (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.FloatType, T.DoubleType,
           T.DecimalType)

# Column -> acceptable types (a tuple of DataType classes, or one exact DataType).
REVIEW_COLUMNS = {
    S.REVIEW_ID: (T.StringType,),
    S.PRODUCT_ID: (T.StringType,),
    S.RATING: NUMERIC,
    S.REVIEW_TITLE: (T.StringType,),
    S.BODY: (T.StringType,),
    S.HELPFUL_VOTES: NUMERIC,
    S.CREATED_AT: (T.TimestampType, T.TimestampNTZType, T.DateType),
}
REFERENCE_TYPES = (T.StringType(), T.ArrayType(T.StringType()), T.ArrayType(T.StringType(), False))


class ContractError(ValueError):
    """An input table lacks a column a task needs, or has it with the wrong type."""


def _fits(data_type: T.DataType, expected) -> bool:
    if isinstance(expected, tuple):
        return isinstance(data_type, expected)
    return data_type == expected


def _describe(expected) -> str:
    if isinstance(expected, tuple):
        return " or ".join(t.typeName() for t in expected)
    return expected.simpleString()


def _problems(df: DataFrame, needed: dict[str, object]) -> list[str]:
    types = {f.name: f.dataType for f in df.schema.fields}
    problems = []
    for column, expected in needed.items():
        if column not in types:
            problems.append(f"missing column {column}")
        elif expected is not None and not _fits(types[column], expected):
            problems.append(
                f"column {column} is {types[column].simpleString()}, expected {_describe(expected)}"
            )
    return problems


def _raise(table: str, task: Task, problems: list[str], df: DataFrame) -> None:
    present = ", ".join(f"{f.name} {f.dataType.simpleString()}" for f in df.schema.fields)
    raise ContractError(
        f"table {table} does not fit task {task.name}: {'; '.join(problems)}. "
        f"Its columns: {present}"
    )


def product_columns(task: Task) -> dict[str, object]:
    """Products columns a task reads, with the type each must have (None: any)."""
    known = {f.name: f.dataType for f in S.PRODUCTS_SCHEMA.fields}
    needed: dict[str, object] = {task.key: T.StringType()}
    for name in task.cfg.inputs:
        needed[name] = known.get(name)
    if not task.cfg.reference_table:
        for column in task.cfg.reference_columns:
            needed[column] = None
    return needed


def check_task_inputs(
    task: Task,
    products: DataFrame,
    reviews: DataFrame,
    *,
    names: dict[str, str],
    references: DataFrame | None = None,
) -> None:
    """Check that the tables have what ``task`` reads.

    Args:
        task: the task.
        products: the products table.
        reviews: the reviews table.
        names: registered names of the tables, for messages (``products``, ``reviews``).
        references: the task's reference table, when it has one.

    Raises:
        ContractError: naming the table, the task and every problem found.
    """
    problems = _problems(products, product_columns(task))
    for reference in [] if task.cfg.reference_table else task.cfg.reference_columns:
        if reference in products.columns and products.schema[reference].dataType not in REFERENCE_TYPES:
            problems.append(
                f"column {reference} is {products.schema[reference].dataType.simpleString()}, "
                "expected string or array<string>"
            )
    if problems:
        _raise(names["products"], task, problems, products)
    if isinstance(task, ReviewsTask):
        problems = _problems(reviews, REVIEW_COLUMNS)
        if problems:
            _raise(names["reviews"], task, problems, reviews)
    if task.cfg.reference_table:
        if references is None:
            raise ContractError(
                f"task {task.name}: reference table {task.cfg.reference_table} does not exist"
            )
        problems = _problems(references, {task.key: T.StringType(), task.cfg.reference_column: None})
        if problems:
            _raise(task.cfg.reference_table, task, problems, references)
