"""A whole run with tables in every kind of place: metastore names, a URI, a plain path.

Outputs and the run log are managed tables of a metastore schema (``warehouse.catalog``), the
products table sits at a ``file:`` URI and the reviews at a path outside the root; staging goes
under a ``file:`` URI root. ``s3a://``, ``abfss://`` and ``gs://`` take the same URI code path
through Spark's Hadoop filesystems (tests/slow/test_object_store.py runs one against S3).
"""

import pytest
from pyspark.sql import functions as F

from enrich import cli
from enrich import schemas as S
from enrich.demo import create_demo_catalog
from enrich.enrichment import run_enrichment
from enrich.rollback import rollback
from enrich.tables import read_table, table_version
from tests.conftest import config_args, job_config

NAMESPACE = "spark_catalog.enrich_places"
OUTPUTS = ("product_descriptions", "review_summaries")


@pytest.fixture(scope="module")
def placed(spark, built, tmp_path_factory):
    root = tmp_path_factory.mktemp("places")
    cfg = job_config(
        root,
        f"warehouse.root=file://{root}/lake",
        f"warehouse.catalog={NAMESPACE}",
        f"warehouse.locations={{products: 'file://{root}/source/products', "
        f"reviews: '{root}/elsewhere/reviews'}}",
        f"model.registry={built.model.registry}",
        "demo.products=8",
    )
    create_demo_catalog(spark, cfg.warehouse, cfg.demo)
    report = run_enrichment(spark, cfg)
    yield cfg, root, report
    # The session is shared: leave it with the namespace and names the other tests expect.
    spark.sql("USE spark_catalog.default")
    for view in spark.catalog.listTables():
        if view.isTemporary:
            spark.catalog.dropTempView(view.name)


def test_each_table_is_where_the_config_puts_it(spark, placed):
    cfg, root, report = placed
    assert report.status == "succeeded" and report.tasks[0].selected == 8
    assert (root / "source" / "products" / "_delta_log").is_dir()
    assert (root / "elsewhere" / "reviews" / "_delta_log").is_dir()
    for table in (*OUTPUTS, "enrichment_runs"):
        assert spark.catalog.tableExists(f"{NAMESPACE}.{table}")
        detail = spark.sql(f"DESCRIBE DETAIL {NAMESPACE}.{table}").first()
        assert detail["format"] == "delta"
        assert not detail["location"].startswith(f"file:{root}")  # managed by the metastore
    assert not (root / "lake" / "product_descriptions").exists()
    assert not (root / "lake" / "_staging" / report.run_id).exists()  # staging went under the root
    rows = read_table(spark, cfg.warehouse.table("product_descriptions")).collect()
    products = read_table(spark, cfg.warehouse.table("products"))
    assert sorted(r.product_id for r in rows) == sorted(r[0] for r in products.select(S.PRODUCT_ID).collect())
    assert report.tables["product_descriptions"] == f"{NAMESPACE}.product_descriptions"
    runs = spark.table(f"{NAMESPACE}.enrichment_runs").where(F.col(S.RUN_ID) == report.run_id)
    assert runs.count() == 1


def test_a_second_run_finds_nothing_to_do_and_rollback_restores_by_name(spark, placed):
    cfg, _, first = placed
    target = cfg.warehouse.table("product_descriptions")
    after_first = table_version(spark, target)
    again = run_enrichment(spark, cfg)
    assert sum(t.selected for t in again.tasks) == 0
    done = rollback(spark, cfg, to_version=0, table="product_descriptions")
    assert done == {"product_descriptions": (after_first, 0)}
    assert read_table(spark, target).count() == 0
    assert read_table(spark, target, version=after_first).count() == first.tasks[0].selected


def test_sql_command_reads_the_views_over_placed_tables(spark, placed, capsys):
    cfg, _, _ = placed
    query = "SELECT count(*) AS n FROM products_enriched"
    assert cli.main(["sql", query, "--format", "csv", *config_args(cfg)]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "8"]
