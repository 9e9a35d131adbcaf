"""Delta tables: creation from the schemas, registration by name, evolution, the sql command."""

import json

import pytest
from pyspark.sql import types as T

from enrich import cli
from enrich.tables import (
    TableError,
    ensure_table,
    merge_rows,
    quote_identifier,
    read_table,
    sql_string,
)
from enrich.locations import TableRef
from tests.conftest import config_args

def at(name, path):
    return TableRef(name, location=str(path))


SCHEMA = T.StructType(
    [T.StructField("k", T.StringType(), False), T.StructField("v", T.IntegerType())]
)


def test_ensure_table_creates_and_registers(spark, tmp_path):
    ensure_table(spark, at("t_create", tmp_path / "t"), SCHEMA)
    assert spark.table("t_create").schema == SCHEMA
    assert (tmp_path / "t" / "_delta_log").is_dir()


def test_ensure_table_adds_new_columns_and_keeps_rows(spark, tmp_path):
    path = tmp_path / "t"
    ensure_table(spark, at("t_evolve", path), SCHEMA)
    spark.createDataFrame([("a", 1)], SCHEMA).write.format("delta").mode("append").save(str(path))
    wider = T.StructType([*SCHEMA.fields, T.StructField("w", T.StringType())])
    ensure_table(spark, at("t_evolve", path), wider)
    rows = read_table(spark, at("t_evolve", path)).collect()
    assert [(r.k, r.v, r.w) for r in rows] == [("a", 1, None)]


def test_ensure_table_refuses_a_changed_type(spark, tmp_path):
    ensure_table(spark, at("t_type", tmp_path / "t"), SCHEMA)
    changed = T.StructType([SCHEMA.fields[0], T.StructField("v", T.StringType())])
    with pytest.raises(TableError, match="v is int, expected string"):
        ensure_table(spark, at("t_type", tmp_path / "t"), changed)


def test_merge_updates_matches_and_inserts_the_rest(spark, tmp_path):
    path = tmp_path / "t"
    ensure_table(spark, at("t_merge", path), SCHEMA)
    table = at("t_merge", path)
    merge_rows(spark, spark.createDataFrame([("a", 1), ("b", 2)], SCHEMA), table, ["k"])
    merge_rows(spark, spark.createDataFrame([("b", 20), ("c", 3)], SCHEMA), table, ["k"])
    got = sorted((r.k, r.v) for r in read_table(spark, at("t_merge", path)).collect())
    assert got == [("a", 1), ("b", 20), ("c", 3)]


def test_identifiers_and_literals_are_quoted():
    assert quote_identifier("products") == "`products`"
    with pytest.raises(TableError):
        quote_identifier("x`; DROP TABLE y")
    assert sql_string("it's \\ here") == "'it\\'s \\\\ here'"


def test_sql_command_prints_table_csv_and_json(built, capsys):
    base = config_args(built)
    query = "SELECT product_id, title FROM products ORDER BY product_id LIMIT 2"
    assert cli.main(["sql", query, "--format", "json", *base]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(x)["product_id"] for x in lines] == ["P0000000", "P0000001"]
    assert cli.main(["sql", query, "--format", "csv", *base]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "product_id,title"
    assert cli.main(["sql", query, *base]) == 0
    assert "P0000001" in capsys.readouterr().out


def test_sql_command_reports_a_bad_query(built, capsys):
    code = cli.main(["sql", "SELECT * FROM no_such_table", *config_args(built)])
    assert code == cli.EXIT_USAGE
    assert "no_such_table" in capsys.readouterr().err


def test_registering_a_name_again_points_it_at_the_new_location(spark, tmp_path):
    from enrich.tables import register_table

    for folder, rows in (("one", [("a", 1)]), ("two", [("b", 2), ("c", 3)])):
        spark.createDataFrame(rows, SCHEMA).write.format("delta").save(str(tmp_path / folder))
    register_table(spark, at("t_moved", tmp_path / "one"))
    register_table(spark, at("t_moved", tmp_path / "two"))
    assert spark.table("t_moved").count() == 2
    assert read_table(spark, at("t_moved", tmp_path / "one")).count() == 1  # the old table's files are kept


def test_a_location_replaces_a_session_view_of_the_same_name(spark, tmp_path):
    from enrich.tables import register_table

    spark.createDataFrame([("a", 1)], SCHEMA).write.format("delta").save(str(tmp_path / "t"))
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW t_shadowed AS SELECT 'x' AS k, 0 AS v, 1 AS w")
    register_table(spark, at("t_shadowed", tmp_path / "t"))
    assert [(r.k, r.v) for r in spark.table("t_shadowed").collect()] == [("a", 1)]
