"""A third task added by configuration alone: a config entry, a template and training data."""

import pytest
from pyspark.sql import functions as F

from enrich import cli
from enrich import schemas as S
from enrich.demo import create_demo_catalog
from enrich.enrichment import run_enrichment
from enrich.model.registry import Registry
from enrich.model.train import train_model
from enrich.tables import read_table
from tests.conftest import config_args, job_config

TEMPLATE = "### Task: headline\nTitle: {title}\nAttributes:\n{attributes}\n### Headline:\n"


@pytest.fixture(scope="module")
def headline(spark, tmp_path_factory):
    root = tmp_path_factory.mktemp("headline")
    (root / "templates").mkdir()
    (root / "templates" / "headline.v1.txt").write_text(TEMPLATE)
    cfg = job_config(
        root,
        f"template_dirs=[{root / 'templates'}]",
        "tasks.headline.input=product",
        "tasks.headline.inputs=[title, attributes]",
        "tasks.headline.template=headline",
        "tasks.headline.output_table=product_headlines",
        "tasks.headline.output_column=headline",
        "tasks.headline.reference_table=headline_references",
        "tasks.headline.reference_column=headline",
        "tasks.headline.max_new_tokens=12",
        "tasks.headline.min_words=2",
        "tasks.headline.max_words=15",
        "tasks.headline.checks=[length, repetition, template_leak]",
    )
    create_demo_catalog(spark, cfg.warehouse, cfg.demo)
    # Training data: human headlines for half of the products, in their own Delta table.
    products = read_table(spark, cfg.warehouse.table("products"))
    references = products.where(F.col(S.PRODUCT_ID) < "P0000020").select(
        S.PRODUCT_ID, F.concat(F.lit("New: "), F.col(S.TITLE)).alias("headline")
    )
    references.write.format("delta").save(str(cfg.warehouse.table("headline_references")))
    version = train_model(spark, cfg)
    report = run_enrichment(spark, cfg)
    return cfg, version, report


def test_the_task_is_trained_with_its_reference_table(headline):
    cfg, version, _ = headline
    manifest = Registry(cfg.model.registry, cfg.model.name).manifest(version)
    assert manifest["training"]["examples"]["train"]["headline"] > 0
    assert manifest["prompt_versions"]["headline"] == "1"
    assert "headline_references" in manifest["training"]["table_versions"]


def test_the_task_runs_end_to_end_into_its_own_table(spark, headline):
    cfg, _, report = headline
    assert [t.task for t in report.tasks] == ["description", "review_summary", "headline"]
    rows = read_table(spark, cfg.warehouse.table("product_headlines")).collect()
    assert len(rows) == cfg.demo.products
    assert all(r.status in S.STATUSES and r.model_version.endswith(":v1") for r in rows)
    scored = [r for r in rows if r.reference_count]
    assert len(scored) == 20 and all(r.chrf is not None for r in scored)
    assert all(r.chrf is None for r in rows if not r.reference_count)
    # Its own checks: no truncation flag is ever raised for this task.
    assert not any("truncated" in (r.reject_reasons or []) for r in rows)


def test_the_new_table_is_queryable_by_name(headline, capsys):
    cfg, _, _ = headline
    query = "SELECT count(*) AS n FROM product_headlines"
    assert cli.main(["sql", query, "--format", "csv", *config_args(cfg)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == str(cfg.demo.products)
