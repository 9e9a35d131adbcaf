"""Every file in sql/ runs against the local warehouse and returns what it promises."""

import pytest
from pyspark.sql import functions as F

from enrich import schemas as S
from enrich.sqlfiles import create_views, sql_files, statement
from enrich.tables import read_table, register_existing

QUERIES = sql_files("queries")


@pytest.fixture(scope="module")
def warehouse(spark, first_run):
    cfg, _ = first_run
    register_existing(spark, cfg.warehouse)
    assert sorted(create_views(spark)) == sorted(p.stem for p in sql_files("views"))
    return cfg


def test_products_enriched_shows_accepted_text_and_falls_back_to_human_text(spark, warehouse):
    view = spark.table("products_enriched").collect()
    products = read_table(spark, warehouse.warehouse.table("products"))
    assert len(view) == products.count()  # one row per product
    for row in view:
        if row.description_status == S.ACCEPTED:
            assert row.description == row.generated_description and row.description_source == "generated"
        else:
            assert row.description == row.human_description
            assert row.description_source == ("human" if row.human_description else None)
        if row.review_summary_status != S.ACCEPTED:
            assert row.review_summary is None or row.review_summary_source == "human"


def test_review_queue_holds_exactly_the_outputs_needing_review(spark, warehouse):
    queue = spark.table("review_queue")
    expected = sum(
        read_table(spark, warehouse.warehouse.table(t)).where(F.col(S.STATUS) == S.NEEDS_REVIEW).count()
        for t in ("product_descriptions", "review_summaries")
    )
    assert queue.count() == expected
    assert {r.task for r in queue.select("task").distinct().collect()} <= {"description", "review_summary"}


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_every_example_query_runs(spark, warehouse, path):
    rows = spark.sql(statement(path)).collect()
    if path.stem in ("status_by_task", "recent_runs"):
        assert rows  # the warehouse has outputs and runs to report


def test_sql_command_creates_the_views_and_runs_files(warehouse, capsys):
    from enrich import cli
    from tests.conftest import config_args

    query = "SELECT count(*) AS n FROM products_enriched"
    assert cli.main(["sql", query, "--format", "csv", *config_args(warehouse)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == str(warehouse.demo.products + 2)
    path = str(sql_files("queries")[0])
    assert cli.main(["sql", path, "--format", "csv", *config_args(warehouse)]) == 0
    assert len(capsys.readouterr().out.splitlines()) > 1
    assert cli.main(["sql", "no/such/file.sql", *config_args(warehouse)]) == cli.EXIT_USAGE
