"""Input contracts: a table without what a task needs stops the run before any model work."""

from dataclasses import replace

import pytest
from pyspark.sql import types as T

from enrich import cli
from enrich import schemas as S
from enrich.contracts import ContractError
from enrich.enrichment import run_enrichment
from enrich.tables import ensure_table, is_delta_table
from tests.conftest import config_args, job_config


def with_products(spark, cfg, fields):
    ensure_table(spark, replace(cfg.warehouse.table("products"), name="products_bad"), T.StructType(fields))
    ensure_table(spark, replace(cfg.warehouse.table("reviews"), name="reviews_ok"), S.REVIEWS_SCHEMA)


def products_fields(**replace):
    fields = []
    for f in S.PRODUCTS_SCHEMA.fields:
        if f.name in replace:
            if replace[f.name] is None:
                continue
            f = T.StructField(f.name, replace[f.name], f.nullable)
        fields.append(f)
    return fields


def test_missing_column_is_named_with_the_columns_present(spark, tmp_path):
    cfg = job_config(tmp_path)
    with_products(spark, cfg, products_fields(brand=None))
    with pytest.raises(ContractError) as err:
        run_enrichment(spark, cfg)
    message = str(err.value)
    assert "table products does not fit task description: missing column brand" in message
    assert "Its columns: product_id string, title string" in message
    # Stopped before any work: no output table, no model needed.
    assert not is_delta_table(spark, cfg.warehouse.table("product_descriptions"))


def test_wrong_type_is_named(spark, tmp_path):
    cfg = job_config(tmp_path)
    with_products(spark, cfg, products_fields(attributes=T.StringType()))
    with pytest.raises(ContractError, match="column attributes is string, expected map<string,string>"):
        run_enrichment(spark, cfg)


def test_reviews_contract_and_cli_exit_code(spark, tmp_path, capsys):
    cfg = job_config(tmp_path)
    ensure_table(spark, replace(cfg.warehouse.table("products"), name="p"), S.PRODUCTS_SCHEMA)
    reviews = [f for f in S.REVIEWS_SCHEMA.fields if f.name != S.BODY]
    ensure_table(spark, replace(cfg.warehouse.table("reviews"), name="r"), T.StructType(reviews))
    assert cli.main(["enrich", *config_args(cfg)]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "table reviews does not fit task review_summary: missing column body" in err


def test_missing_source_table_says_how_to_create_it(spark, tmp_path):
    cfg = job_config(tmp_path)
    from enrich.tables import TableError

    with pytest.raises(TableError, match="catalog-enrich demo-data"):
        run_enrichment(spark, cfg)
