"""Backfill after retraining: the plan before it starts, and the champion/challenger sample.

The backfill itself is an enrichment run with a :class:`enrich.selection.BackfillFilter`
(:func:`enrich.enrichment.run_enrichment`): chunked, resumable, never moving a row back to an
older version. This module adds what comes before it:

- :func:`plan_backfill` counts the rows each task would regenerate and estimates their tokens
  and time from what the last runs measured (the output tables' cost columns), loading no model
  and writing nothing;
- :func:`run_challenger` generates a stratified sample (by category and current status) with the
  new version into ``<output_table>_challenger`` tables and compares its quality with the
  current outputs of the same rows, without touching the published tables.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from enrich import schemas as S
from enrich.config import JobConfig
from enrich.enrichment import generate_rows, new_run_id, run_brands, run_domains
from enrich.locations import delete_tree, join
from enrich.model.registry import Registry
from enrich.runlog import ensure_run_log, record_run, utc_now
from enrich.selection import BackfillFilter, select_work, stratified_sample
from enrich.sources import Sources, read_sources
from enrich.tables import ensure_table, overwrite, read_table, register_table, table_version
from enrich.tasks import EST_TOKENS, Task, enabled_tasks
from enrich.udf import RunContext

log = logging.getLogger(__name__)

CHALLENGER_SUFFIX = "_challenger"


@dataclass
class TaskPlan:
    """What a backfill would do for one task, and what it would cost."""

    task: str
    rows: int
    prompt_tokens: int
    output_tokens: int
    seconds_per_row: float | None  # measured on one worker; None: nothing measured yet
    measured_rows: int
    on_gpu: bool
    workers: int

    @property
    def wall_seconds(self) -> float | None:
        if self.seconds_per_row is None:
            return None
        return self.rows * self.seconds_per_row / max(1, self.workers)

    @property
    def device_hours(self) -> float | None:
        if self.seconds_per_row is None:
            return None
        return self.rows * self.seconds_per_row / 3600


def _selection(
    spark: SparkSession, cfg: JobConfig, task: Task, sources: Sources, backfill: BackfillFilter
) -> tuple[DataFrame, DataFrame]:
    path = cfg.warehouse.table(task.output_table)
    ensure_table(spark, path, task.schema)
    outputs = read_table(spark, path, version=table_version(spark, path))
    selected = select_work(
        sources.work_rows(task), outputs, backfill=backfill,
        categories=sources.products if backfill.categories else None, key=task.key,
    )
    return selected, outputs


def plan_backfill(spark: SparkSession, cfg: JobConfig, backfill: BackfillFilter) -> list[TaskPlan]:
    """Count and cost what a backfill would regenerate, per task; loads no model, writes nothing.

    Prompt and output tokens of a row come from its current output where it has one (the same
    prompt costs the same tokens), else from the prompt's size estimate and the task's
    ``max_new_tokens``. Seconds per row are the mean ``generation_seconds`` of the rows the
    task's table holds (each row's share of its batch on one worker).
    """
    tasks = enabled_tasks(cfg)
    sources = read_sources(spark, cfg, tasks)
    workers = cfg.generation.partitions or spark.sparkContext.defaultParallelism
    plans = []
    for task in tasks:
        selected, outputs = _selection(spark, cfg, task, sources, backfill)
        previous = outputs.select(
            task.key,
            F.col(S.PROMPT_TOKENS).alias("_pt"),
            F.col(S.OUTPUT_TOKENS).alias("_ot"),
        )
        totals = selected.join(previous, task.key, "left").agg(
            F.count(F.lit(1)).alias("rows"),
            F.sum(F.coalesce(F.col("_pt"), F.col(EST_TOKENS))).alias("prompt"),
            F.sum(F.coalesce(F.col("_ot"), F.lit(task.cfg.max_new_tokens))).alias("output"),
        ).first()
        measured = outputs.where(F.col(S.GENERATION_SECONDS) > 0).agg(
            F.count(F.lit(1)).alias("n"),
            F.avg(S.GENERATION_SECONDS).alias("s"),
            F.max(S.GPU_SECONDS).alias("gpu"),
        ).first()
        plans.append(
            TaskPlan(
                task=task.name,
                rows=int(totals["rows"]),
                prompt_tokens=int(totals["prompt"] or 0),
                output_tokens=int(totals["output"] or 0),
                seconds_per_row=measured["s"],
                measured_rows=int(measured["n"]),
                on_gpu=bool(measured["gpu"]),
                workers=workers,
            )
        )
    return plans


def _hours(seconds: float | None) -> str:
    if seconds is None:
        return "unknown"
    return f"{seconds / 3600:.2f} h" if seconds >= 3600 else f"{seconds / 60:.1f} min"


def render_plan(plans: list[TaskPlan], backfill: BackfillFilter) -> str:
    """The plan as a table, with how each figure was obtained."""
    lines = [f"backfill plan: {backfill.describe()}  (nothing was written)", ""]
    header = ["task", "rows", "prompt tok", "output tok", "s/row", "wall", "device-hours"]
    table = [header]
    for p in plans:
        table.append([
            p.task, str(p.rows), str(p.prompt_tokens), str(p.output_tokens),
            "-" if p.seconds_per_row is None else f"{p.seconds_per_row:.3f}",
            _hours(p.wall_seconds),
            "unknown" if p.device_hours is None
            else f"{p.device_hours:.3f} {'GPU' if p.on_gpu else 'CPU'}",
        ])
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for row in table:
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(row, widths))))
    lines.append("")
    total_rows = sum(p.rows for p in plans)
    walls = [p.wall_seconds for p in plans]
    lines.append(
        f"total: {total_rows} rows, about "
        + (_hours(sum(walls)) if None not in walls else "unknown time")
        + f" on {plans[0].workers if plans else 0} worker(s)"
    )
    for p in plans:
        basis = (
            f"{p.task}: time from {p.measured_rows} rows the last runs generated "
            f"({'GPU' if p.on_gpu else 'CPU'} workers)"
            if p.seconds_per_row is not None
            else f"{p.task}: no generated rows to measure yet; run `backfill --sample N` first"
        )
        lines.append(basis)
    return "\n".join(lines)


@dataclass
class ChallengerResult:
    """Quality of the challenger against the current outputs of the same sampled rows."""

    task: str
    table: str
    rows: int
    champion_quality: float | None
    challenger_quality: float | None
    champion_accepted: float | None
    challenger_accepted: float | None

    @property
    def quality_delta(self) -> float | None:
        if self.champion_quality is None or self.challenger_quality is None:
            return None
        return self.challenger_quality - self.champion_quality


def run_challenger(
    spark: SparkSession, cfg: JobConfig, backfill: BackfillFilter, size: int, *, seed: int = 0
) -> list[ChallengerResult]:
    """Generate a stratified sample with the backfill's version into side tables and compare.

    Args:
        spark: the session.
        cfg: the job configuration; ``cfg.model.version`` is the challenger.
        backfill: which rows the backfill would regenerate (the sample is drawn from them).
        size: about how many rows per task.
        seed: changes which rows are drawn.

    Returns:
        One result per task; the sampled rows are in ``<output_table>_challenger``.
    """
    run_id = new_run_id()
    started_at, started = utc_now(), time.perf_counter()
    tasks = enabled_tasks(cfg)
    sources = read_sources(spark, cfg, tasks)
    ensure_run_log(spark, cfg)
    registry = Registry(cfg.model.registry, cfg.model.name, cache_dir=cfg.model.cache_dir)
    ref = registry.ref(cfg.model.version, use_merged=cfg.model.use_merged,
                       precision=cfg.generation.precision, compute_dtype=cfg.model.compute_dtype)
    ctx = RunContext(run_id, ref, cfg.generation, cfg.quality,
                     domains=run_domains(cfg, tasks, sources.products),
                     brands=run_brands(cfg, tasks, sources.products))
    sc = spark.sparkContext
    accumulators = (sc.accumulator(0), sc.accumulator(0), sc.accumulator(0))
    results = []
    try:
        for task in tasks:
            selected, outputs = _selection(spark, cfg, task, sources, backfill)
            strata = selected.join(
                outputs.select(task.key, F.col(S.STATUS).alias("_status")), task.key, "left"
            ).join(
                sources.products.select(task.key, F.col(S.CATEGORY).alias("_category")),
                task.key, "left",
            )
            sample = stratified_sample(strata, ["_category", "_status"], size, key=task.key,
                                       seed=seed).drop("_category", "_status")
            table = task.output_table + CHALLENGER_SUFFIX
            path = cfg.warehouse.table(table)
            staging = join(cfg.warehouse.staging_root, run_id, task.name)
            staged = generate_rows(spark, cfg, task, sample, ctx, accumulators, staging)
            overwrite(staged, path)
            register_table(spark, path)
            results.append(_compare(task, table, read_table(spark, path), outputs))
            log.info("%s: challenger sample of %d rows in %s", task.name, results[-1].rows, table)
    finally:
        delete_tree(spark, join(cfg.warehouse.staging_root, run_id))
    record_run(
        spark, cfg, run_id=run_id, job="backfill", mode="challenger",
        model_version=ref.model_version, started_at=started_at,
        duration_seconds=round(time.perf_counter() - started, 3),
        rows_selected=sum(r.rows for r in results), rows_written=0,
        source_versions=sources.versions, model_loads=accumulators[0].value,
        oom_retries=accumulators[2].value, status="succeeded",
        options={"sample": size, "backfill": backfill.describe(),
                 "quality_delta": {r.task: r.quality_delta for r in results}},
    )
    return results


def _compare(task: Task, table: str, challenger: DataFrame, champion: DataFrame) -> ChallengerResult:
    def accepted(column: str):
        return F.avg(F.when(F.col(column) == S.ACCEPTED, 1.0).otherwise(0.0))

    joined = challenger.select(
        task.key, F.col(S.QUALITY_SCORE).alias("c_q"), F.col(S.STATUS).alias("c_s")
    ).join(
        champion.select(task.key, F.col(S.QUALITY_SCORE).alias("o_q"), F.col(S.STATUS).alias("o_s")),
        task.key,
        "left",
    )
    both = joined.where(F.col("o_s").isNotNull())
    row = both.agg(
        F.avg("o_q").alias("o_q"), F.avg("c_q").alias("c_q"),
        accepted("o_s").alias("o_a"), accepted("c_s").alias("c_a"),
    ).first()
    return ChallengerResult(
        task=task.name, table=table, rows=joined.count(),
        champion_quality=row["o_q"], challenger_quality=row["c_q"],
        champion_accepted=row["o_a"], challenger_accepted=row["c_a"],
    )


def render_challenger(results: list[ChallengerResult], champion: str, challenger: str) -> str:
    """The comparison as a table."""
    def f(v, pct=False):
        return "-" if v is None else (f"{100 * v:.1f}%" if pct else f"{v:.3f}")

    lines = [f"champion/challenger: {challenger} against the current outputs", ""]
    header = ["task", "rows", "quality now", "challenger", "delta", "accepted now", "challenger"]
    table = [header]
    for r in results:
        table.append([r.task, str(r.rows), f(r.champion_quality), f(r.challenger_quality),
                      "-" if r.quality_delta is None else f"{r.quality_delta:+.3f}",
                      f(r.champion_accepted, True), f(r.challenger_accepted, True)])
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(row, widths))))
    lines.append("")
    lines.append("sampled rows: " + ", ".join(r.table for r in results)
                 + f"  (current version: {champion})")
    return "\n".join(lines)


def worse_than_allowed(results: list[ChallengerResult], max_drop: float) -> list[str]:
    """The tasks whose mean quality fell by more than ``max_drop``, with the figures."""
    return [
        f"{r.task}: {r.champion_quality:.3f} -> {r.challenger_quality:.3f}"
        for r in results
        if r.quality_delta is not None and -r.quality_delta > max_drop
    ]
