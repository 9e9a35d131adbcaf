"""The DDL in sql/ddl/ and the StructTypes in enrich.schemas describe the same tables."""

from pathlib import Path
from string import Template

import pytest

from enrich.config import JobConfig
from enrich.schemas import TABLE_SCHEMAS
from enrich.tasks import make_task

DDL = Path(__file__).resolve().parents[2] / "sql" / "ddl"
# The shared tables and the output tables of the shipped tasks, switched on or not.
SHIPPED = [make_task(name, spec) for name, spec in JobConfig().tasks.items()]
SCHEMAS = {**TABLE_SCHEMAS, **{t.output_table: t.schema for t in SHIPPED}}


def columns(schema):
    return [(f.name, f.dataType.simpleString(), f.nullable) for f in schema.fields]


def test_every_table_has_a_ddl_file():
    assert sorted(p.stem for p in DDL.glob("*.sql")) == sorted(SCHEMAS)


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_ddl_creates_the_schema_in_code(spark, tmp_path, table):
    spark.sql("CREATE DATABASE IF NOT EXISTS ddl_check")
    spark.sql("USE ddl_check")
    try:
        text = Template((DDL / f"{table}.sql").read_text()).substitute(location=tmp_path / table)
        spark.sql(text)
        created = spark.table(f"ddl_check.{table}").schema
    finally:
        spark.sql(f"DROP TABLE IF EXISTS ddl_check.{table}")
        spark.sql("USE default")
    assert columns(created) == columns(SCHEMAS[table])
