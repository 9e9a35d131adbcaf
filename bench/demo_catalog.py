"""Benchmark: writing the demo catalog at the default size and at 100,000 products, side by side.

    .venv/bin/python bench/demo_catalog.py [--large 100000] [--small 2000]

Prints seconds, products/s and reviews/s for each size in one session, then the headline: the
large catalog's time against its two-minute target.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from enrich.config import DemoConfig, load_config
from enrich.demo import create_demo_catalog
from enrich.spark import build_session

TARGET_SECONDS = 120


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as root:
        cfg = load_config(None, [f"warehouse.root={root}"])
        spark = build_session(cfg.spark, cfg.warehouse)
        spark.sparkContext.setLogLevel("ERROR")
        rows = []
        for n in (args.small, args.large):
            warehouse = cfg.warehouse.model_copy(update={"root": Path(root) / str(n)})
            started = time.perf_counter()
            counts = create_demo_catalog(spark, warehouse, DemoConfig(products=n), replace=True)
            seconds = time.perf_counter() - started
            rows.append((n, counts["reviews"], seconds))
        print(f"{'products':>10} {'reviews':>10} {'seconds':>8} {'products/s':>11} {'reviews/s':>10}")
        for n, reviews, seconds in rows:
            print(f"{n:>10} {reviews:>10} {seconds:>8.1f} {n / seconds:>11.0f} {reviews / seconds:>10.0f}")
        large = rows[-1][2]
        print(
            f"headline: {args.large} products in {large:.1f}s = {large / TARGET_SECONDS:.2f}x the "
            f"{TARGET_SECONDS}s target; per product {rows[0][2] / rows[0][0] / (large / args.large):.1f}x "
            "cheaper at the large size"
        )
        spark.stop()


if __name__ == "__main__":
    main()
