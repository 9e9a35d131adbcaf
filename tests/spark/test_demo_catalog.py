"""The demo catalog in Delta: deterministic, kept on rerun, replaced on request."""

from enrich.config import DemoConfig
from enrich.demo import create_demo_catalog, generate_product, generate_reviews
from enrich.tables import read_table
from tests.conftest import job_config


def test_catalog_is_the_generator_output_and_is_kept(spark, tmp_path):
    cfg = job_config(tmp_path)
    demo = DemoConfig(products=30, seed=11, partitions=3)
    counts = create_demo_catalog(spark, cfg.warehouse, demo)
    expected_reviews = sum(len(generate_reviews(11, i)) for i in range(30))
    assert counts == {"products": 30, "reviews": expected_reviews}

    products = {r.product_id: r.asDict() for r in read_table(spark, cfg.warehouse.table("products")).collect()}
    assert products["P0000007"] == generate_product(11, 7)
    assert sum(r["description"] is not None for r in products.values()) > 0

    # A second call keeps the catalog (same table version); replace writes a new one.
    version = spark.sql(f"DESCRIBE HISTORY delta.`{cfg.warehouse.table('products')}`").first().version
    assert create_demo_catalog(spark, cfg.warehouse, DemoConfig(products=5, seed=11)) == counts
    assert spark.sql(f"DESCRIBE HISTORY delta.`{cfg.warehouse.table('products')}`").first().version == version
    replaced = create_demo_catalog(spark, cfg.warehouse, DemoConfig(products=5, seed=11), replace=True)
    assert replaced["products"] == 5
