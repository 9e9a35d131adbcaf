"""Backfill after retraining: selection by version and filters, plan, challenger sample, chunked
run, no move back to an older version, and rollback (in-process; the crash tests are in
tests/slow/test_faults.py). The tests over a retrained model are in the slow suite: training a
second version and backfilling take minutes."""

import shutil
from datetime import datetime

import pytest
from pyspark.sql import functions as F

from enrich import cli
from enrich import schemas as S
from enrich.backfill import plan_backfill, run_challenger
from enrich.demo import create_demo_catalog
from enrich.enrichment import UPDATE_RULE, run_enrichment
from enrich.model.registry import Registry
from enrich.model.train import train_model
from enrich.selection import BackfillFilter, select_work, stratified_sample
from enrich.tables import merge_rows, read_table, table_version
from tests.conftest import config_args, job_config

TABLES = ("product_descriptions", "review_summaries")


@pytest.fixture(scope="module")
def retrained(spark, built, tmp_path_factory):
    """A catalog enriched with v1, then a v2 trained (with fewer adapter steps) and current."""
    root = tmp_path_factory.mktemp("backfill")
    shutil.copytree(built.model.registry, root / "models")
    cfg = job_config(root, "writes.chunk_rows=15")
    create_demo_catalog(spark, cfg.warehouse, cfg.demo)
    first = run_enrichment(spark, cfg.model_copy(update={"model": cfg.model.model_copy(update={"version": "v1"})}))
    v2 = job_config(root, "writes.chunk_rows=15", "model.lora.steps=3")
    assert train_model(spark, v2) == "v2"
    return cfg, first


def rows(spark, cfg, table):
    return read_table(spark, cfg.warehouse.table(table))


def versions(spark, cfg):
    return {t: table_version(spark, cfg.warehouse.table(t)) for t in TABLES}


# Selection ----------------------------------------------------------------------------------

def test_backfill_selects_other_versions_and_its_filters(spark):
    work = spark.createDataFrame(
        [("a", "f"), ("b", "f"), ("c", "f"), ("d", "f"), ("new", "f")],
        "product_id string, input_fingerprint string",
    )
    old, new = "m:v1", "m:v2"
    outputs = spark.createDataFrame(
        [
            ("a", "f", S.ACCEPTED, old, 0.9, datetime(2026, 1, 1)),
            ("b", "f", S.REJECTED, old, 0.2, datetime(2026, 6, 1)),
            ("c", "f", S.ACCEPTED, new, 0.9, datetime(2026, 6, 1)),
            ("d", "f", S.NEEDS_REVIEW, old, 0.5, datetime(2026, 6, 1)),
        ],
        "product_id string, input_fingerprint string, status string, model_version string, "
        "quality_score double, generated_at timestamp",
    )
    categories = spark.createDataFrame(
        [("a", "kitchen"), ("b", "garden"), ("c", "kitchen"), ("d", "kitchen"), ("new", "garden")],
        "product_id string, category string",
    )

    def pick(**filters):
        chosen = select_work(work, outputs, backfill=BackfillFilter(new, **filters),
                             categories=categories)
        return sorted(r.product_id for r in chosen.collect())

    assert pick() == ["a", "b", "d", "new"]
    assert pick(statuses=(S.REJECTED, S.NEEDS_REVIEW)) == ["b", "d"]
    assert pick(score_below=0.6) == ["b", "d"]
    assert pick(generated_before=datetime(2026, 3, 1)) == ["a"]
    assert pick(categories=("kitchen",)) == ["a", "d"]
    assert pick(categories=("garden",), score_below=0.5) == ["b"]
    # Filter values are bound as values: quotes and SQL in them match nothing and run nothing.
    assert pick(categories=("kitchen' OR '1'='1",)) == []
    assert pick(statuses=("accepted'); DROP TABLE products; --",)) == []


def test_stratified_sample_keeps_every_stratum_in_proportion(spark):
    frame = spark.createDataFrame(
        [(f"k{i}", "big" if i < 90 else "small") for i in range(100)], "product_id string, c string"
    )
    sample = stratified_sample(frame, ["c"], 10).collect()
    by = {}
    for r in sample:
        by[r.c] = by.get(r.c, 0) + 1
    assert by == {"big": 9, "small": 1}
    again = stratified_sample(frame, ["c"], 10).collect()
    assert sorted(r.product_id for r in again) == sorted(r.product_id for r in sample)


# Plan, sample, run, rollback -----------------------------------------------------------------

@pytest.mark.slow
def test_plan_counts_rows_and_writes_nothing(spark, retrained, capsys):
    cfg, _ = retrained
    before = versions(spark, cfg)
    plans = {p.task: p for p in plan_backfill(spark, cfg, BackfillFilter(f"{cfg.model.name}:v2"))}
    assert plans["description"].rows == rows(spark, cfg, "product_descriptions").count()
    assert plans["review_summary"].rows == rows(spark, cfg, "review_summaries").count()
    for p in plans.values():
        assert p.prompt_tokens > 0 and p.output_tokens >= 0
        assert p.seconds_per_row > 0 and p.wall_seconds > 0 and p.measured_rows > 0
    assert cli.main(["backfill", "--model", "v2", "--plan", *config_args(cfg)]) == 0
    out = capsys.readouterr().out
    assert "nothing was written" in out and "description" in out
    assert versions(spark, cfg) == before


@pytest.mark.slow
def test_challenger_sample_leaves_published_tables_alone(spark, retrained):
    cfg, _ = retrained
    before = versions(spark, cfg)
    v2 = cfg.model_copy(update={"model": cfg.model.model_copy(update={"version": "v2"})})
    results = {r.task: r for r in run_challenger(spark, v2, BackfillFilter(f"{cfg.model.name}:v2"), 8)}
    assert versions(spark, cfg) == before
    for task, table in (("description", "product_descriptions"), ("review_summary", "review_summaries")):
        sample = rows(spark, cfg, table + "_challenger").collect()
        assert 1 <= len(sample) == results[task].rows <= 8 + 6  # every stratum keeps one row
        assert {r.model_version for r in sample} == {f"{cfg.model.name}:v2"}
        assert results[task].champion_quality is not None
        assert results[task].quality_delta == pytest.approx(
            results[task].challenger_quality - results[task].champion_quality
        )


@pytest.mark.slow
def test_backfill_moves_every_row_to_the_new_version_in_chunks(spark, retrained):
    cfg, first = retrained
    counts = {t: rows(spark, cfg, t).count() for t in TABLES}
    assert cli.main(["backfill", "--model", "v2", *config_args(cfg)]) == 0
    label = f"{cfg.model.name}:v2"
    for table in TABLES:
        out = rows(spark, cfg, table)
        assert out.count() == counts[table]
        assert out.select(S.PRODUCT_ID).distinct().count() == counts[table]
        assert {r.model_version for r in out.select(S.MODEL_VERSION).collect()} == {label}
    run = rows(spark, cfg, "enrichment_runs").where("job = 'backfill' AND mode = 'backfill'").first()
    assert run.status == "succeeded" and run.model_version == label
    assert run.task_counts["description.chunks"] == -(-counts["product_descriptions"] // 15)
    assert run.table_versions_after["product_descriptions"] > run.table_versions_before["product_descriptions"]
    # Done is done: the same command again selects nothing.
    again = run_enrichment(spark, cfg.model_copy(update={"model": cfg.model.model_copy(update={"version": "v2"})}),
                           backfill=BackfillFilter(label))
    assert again.selected == 0


@pytest.mark.slow
def test_a_row_never_goes_back_to_an_older_version(spark, retrained):
    cfg, _ = retrained
    path = cfg.warehouse.table("product_descriptions")
    current = read_table(spark, path)
    newer = current.where(F.col(S.MODEL_VERSION).endswith(":v2")).limit(3)
    keys = sorted(r.product_id for r in newer.collect())
    assert keys, "the backfill test leaves v2 rows"
    older = newer.withColumn(S.MODEL_VERSION, F.lit(f"{cfg.model.name}:v1")).withColumn(
        S.DESCRIPTION, F.lit("old text")
    )
    merge_rows(spark, older, path, [S.PRODUCT_ID], update_when=UPDATE_RULE)
    after = read_table(spark, path).where(F.col(S.PRODUCT_ID).isin(keys)).collect()
    assert all(r.model_version.endswith(":v2") and r.description != "old text" for r in after)


@pytest.mark.slow
def test_rollback_to_a_run_restores_its_tables(spark, retrained, capsys):
    cfg, first = retrained
    assert cli.main(["rollback", "--to-run", first.run_id, *config_args(cfg)]) == 0
    assert "restored from version" in capsys.readouterr().out
    for table in TABLES:
        restored = rows(spark, cfg, table).collect()
        assert {r.model_version for r in restored} == {f"{cfg.model.name}:v1"}
        assert {r.run_id for r in restored} == {first.run_id}
    logged = rows(spark, cfg, "enrichment_runs").where("job = 'rollback'").first()
    assert logged.status == "succeeded" and first.run_id in logged.options
    assert cli.main(["rollback", "--to-run", "no-such-run", *config_args(cfg)]) == cli.EXIT_USAGE
    assert cli.main(["rollback", "--to-version", "1", "--table", "x;drop", *config_args(cfg)]) == cli.EXIT_USAGE
