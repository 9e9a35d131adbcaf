"""The DDL in sql/ddl/ and the StructTypes in enrich.schemas describe the same tables."""

from pathlib import Path
from string import Template

import pytest

from enrich.schemas import TABLE_SCHEMAS

DDL = Path(__file__).resolve().parents[2] / "sql" / "ddl"


def columns(schema):
    return [(f.name, f.dataType.simpleString(), f.nullable) for f in schema.fields]


def test_every_table_has_a_ddl_file():
    assert sorted(p.stem for p in DDL.glob("*.sql")) == sorted(TABLE_SCHEMAS)


@pytest.mark.parametrize("table", sorted(TABLE_SCHEMAS))
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
    assert columns(created) == columns(TABLE_SCHEMAS[table])
