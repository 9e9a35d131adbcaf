"""The demo catalog: generated products and reviews written into the source tables.

:mod:`enrich.demo.generator` draws the rows (see its docstring for what they look like);
:func:`create_demo_catalog` writes them as the ``products`` and ``reviews`` Delta tables.
"""

from __future__ import annotations

import logging
import time

from pyspark.sql import SparkSession

from enrich.config import DemoConfig, WarehouseConfig
from enrich.demo.generator import demo_products, demo_reviews, generate_product, generate_reviews
from enrich.faults import fault_point
from enrich.tables import ensure_tables, overwrite, read_table

__all__ = [
    "create_demo_catalog",
    "demo_products",
    "demo_reviews",
    "generate_product",
    "generate_reviews",
]

log = logging.getLogger(__name__)


def create_demo_catalog(
    spark: SparkSession, warehouse: WarehouseConfig, cfg: DemoConfig, *, replace: bool = False
) -> dict[str, int]:
    """Write the demo catalog into the products and reviews tables.

    An existing catalog is kept (the call only counts it) unless ``replace`` is set. The products
    table is written last, so that a catalog with products is a whole one: a run killed between
    the two writes leaves products empty, and the next call writes both again.

    Args:
        spark: the session.
        warehouse: where the tables are.
        cfg: size, seed and partitions of the catalog.
        replace: overwrite the source tables even when they hold rows.

    Returns:
        Rows in each table afterwards, e.g. ``{"products": 2000, "reviews": 10212}``.
    """
    ensure_tables(spark, warehouse, "products", "reviews")
    paths = {t: warehouse.table(t) for t in ("products", "reviews")}
    if not replace and not read_table(spark, paths["products"]).isEmpty():
        counts = {t: read_table(spark, p).count() for t, p in paths.items()}
        log.info("catalog exists (%d products); keeping it", counts["products"])
        return counts
    started = time.perf_counter()
    frames = {
        "reviews": demo_reviews(spark, n=cfg.products, seed=cfg.seed, partitions=cfg.partitions),
        "products": demo_products(spark, n=cfg.products, seed=cfg.seed, partitions=cfg.partitions),
    }
    for table, frame in frames.items():
        overwrite(frame, paths[table])
        fault_point("source-written")
    counts = {t: read_table(spark, p).count() for t, p in paths.items()}
    log.info(
        "demo catalog: %d products, %d reviews in %.0fs",
        counts["products"], counts["reviews"], time.perf_counter() - started,
    )
    return counts
