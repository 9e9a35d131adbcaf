"""Benchmark: incremental selection on 100,000 products with 1% changed, next to a full selection.

    .venv/bin/python bench/incremental_selection.py [--products 100000] [--changed 0.01]

1. writes the demo catalog and, for every task, an output table as a finished run leaves it
   (one row per work row, with its input fingerprint);
2. times a real ``run_enrichment`` with nothing changed: it must select zero rows and load no
   model (the registry is empty, so loading one would fail);
3. changes 1% of the products, a third each by title, by attributes and by a new review;
4. times, side by side in the same session, the incremental selection (work rows against the
   output tables) and a full selection (the same work rows against empty output tables, as on a
   first run), both from the Delta sources, and checks that the
   incremental one selected exactly the rows the changes touch.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime
from pathlib import Path

from pyspark.sql import functions as F

from enrich import schemas as S
from enrich.config import DemoConfig, load_config
from enrich.demo import create_demo_catalog
from enrich.enrichment import run_enrichment
from enrich.selection import select_work
from enrich.sources import read_sources
from enrich.spark import build_session
from enrich.tables import append, delta_table, overwrite, read_table
from enrich.tasks import ReviewsTask, enabled_tasks

REPEATS = 3
KINDS = ("title", "attributes", "review")


def finished_outputs(work, task):
    """``task``'s output rows as a finished run leaves them: every work row accepted."""
    filled = {
        task.key: F.col(task.key),
        S.INPUT_FINGERPRINT: F.col(S.INPUT_FINGERPRINT),
        S.STATUS: F.lit(S.ACCEPTED),
        S.MODEL_VERSION: F.lit("bench:v1"),
        S.PROMPT_VERSION: F.lit(task.prompt_version),
        S.RUN_ID: F.lit("bench-run"),
        S.GENERATED_AT: F.current_timestamp(),
    }
    return work.select(
        *[filled.get(f.name, F.lit(None).cast(f.dataType)).alias(f.name) for f in task.schema]
    )


def change_products(spark, cfg, share: float) -> dict[str, list[str]]:
    """Change ``share`` of the products, a third by each kind; the changed ids by kind."""
    products_table = cfg.warehouse.table("products")
    ids = [r[0] for r in read_table(spark, products_table)
           .select(S.PRODUCT_ID).orderBy(S.PRODUCT_ID).collect()]
    step = round(1 / share)
    chosen = ids[::step]
    changed = {kind: chosen[i::len(KINDS)] for i, kind in enumerate(KINDS)}
    products = delta_table(spark, products_table)
    products.update(
        F.col(S.PRODUCT_ID).isin(changed["title"]),
        {S.TITLE: F.concat(F.coalesce(F.col(S.TITLE), F.lit("")), F.lit(" (2027 edition)"))},
    )
    products.update(
        F.col(S.PRODUCT_ID).isin(changed["attributes"]),
        {S.ATTRIBUTES: F.map_concat(
            F.coalesce(F.col(S.ATTRIBUTES), F.create_map().cast("map<string,string>")),
            F.create_map(F.lit("warranty"), F.lit("2 years")),
        )},
    )
    new_reviews = spark.createDataFrame(
        [
            (f"bench-review-{pid}", pid, 5, "Still great", "Bought a second one; it holds up well.",
             0, datetime(2026, 11, 1))
            for pid in changed["review"]
        ],
        S.REVIEWS_SCHEMA,
    )
    append(new_reviews, cfg.warehouse.table("reviews"))
    return changed


def best_of(action) -> tuple[float, int]:
    times, result = [], None
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--changed", type=float, default=0.01)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as root:
        cfg = load_config(None, [f"warehouse.root={root}/warehouse", f"model.registry={root}/models"])
        spark = build_session(cfg.spark, cfg.warehouse)
        spark.sparkContext.setLogLevel("ERROR")
        catalog = create_demo_catalog(
            spark, cfg.warehouse, DemoConfig(products=args.products), replace=True
        )
        tasks = enabled_tasks(cfg)
        sources = read_sources(spark, cfg, tasks)
        for task in tasks:
            overwrite(finished_outputs(sources.work_rows(task), task),
                      cfg.warehouse.table(task.output_table))

        started = time.perf_counter()
        idle = run_enrichment(spark, cfg)
        idle_seconds = time.perf_counter() - started
        assert idle.selected == 0 and idle.model_loads == 0, idle

        changed = change_products(spark, cfg, args.changed)
        sources = read_sources(spark, cfg, tasks)
        print(
            f"catalog: {catalog['products']} products, {catalog['reviews']} reviews; changed "
            + ", ".join(f"{len(v)} by {k}" for k, v in changed.items())
        )
        print(f"nothing changed: run_enrichment selected 0 rows, loaded no model, {idle_seconds:.1f}s")
        print(f"{'task':<16}{'work rows':>10}{'expected':>10}{'selected':>10}"
              f"{'incremental s':>15}{'full s':>8}{'ratio':>7}")
        selected_ids: set[str] = set()
        totals = [0.0, 0.0, 0, 0]
        for task in tasks:
            work = sources.work_rows(task)
            work_ids = {r[0] for r in work.select(task.key).collect()}
            outputs = read_table(spark, cfg.warehouse.table(task.output_table))
            empty_path = str(Path(root) / "empty" / task.name)
            spark.createDataFrame([], task.schema).write.format("delta").save(empty_path)
            empty = spark.read.format("delta").load(empty_path)
            touches = ["title"] + (["review"] if isinstance(task, ReviewsTask) else ["attributes"])
            expected = {pid for k in touches for pid in changed[k]} & work_ids
            full_s, full_n = best_of(lambda: select_work(work, empty).count())
            inc_s, _ = best_of(lambda: select_work(work, outputs).count())
            picked = {r[0] for r in select_work(work, outputs).select(task.key).collect()}
            assert picked == expected, (task.name, len(picked), len(expected))
            assert full_n == len(work_ids)
            selected_ids |= picked
            totals = [totals[0] + inc_s, totals[1] + full_s, totals[2] + len(picked),
                      totals[3] + full_n]
            print(f"{task.name:<16}{full_n:>10}{len(expected):>10}{len(picked):>10}"
                  f"{inc_s:>15.2f}{full_s:>8.2f}{inc_s / full_s:>7.2f}")
        all_changed = {pid for ids in changed.values() for pid in ids}
        print(
            f"headline: {len(all_changed)} changed products ({args.changed:.0%}) -> incremental "
            f"selected {totals[2]} of {totals[3]} work rows ({totals[2] / totals[3]:.2%}), "
            f"covering exactly the changed products: {selected_ids == all_changed}; selection time "
            f"{totals[0]:.1f}s vs {totals[1]:.1f}s full ({totals[0] / totals[1]:.2f}x); rows sent "
            f"to the model {totals[2] / totals[3]:.4f}x a full run's"
        )
        spark.stop()


if __name__ == "__main__":
    main()
