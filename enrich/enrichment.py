"""The enrichment run: select work, generate and score it, stage it, MERGE it, log the run.

For each enabled task:

1. **select**: work rows whose key has no output with the same input fingerprint (and, with
   ``retry_failed``, those whose last attempt failed): a left-anti join, never a collect;
2. **spread**: rows are dealt round-robin, by size class, over the generation partitions, so no
   partition gets most of the tokens, and sorted by size inside each partition, so a batch holds
   prompts of similar length;
3. **generate**: :func:`enrich.udf.generate_stage` on the workers;
4. **stage**: the generated rows are written once to a per-run Delta table under
   ``<warehouse>/_staging/<run_id>/<task>``, so generation runs exactly once and the MERGE reads a
   stable source;
5. **merge**: the staged rows are MERGEd into the task's output table by key.

Before any of it, the source tables are read at the Delta version current when the run starts
(recorded in ``enrichment_runs``) and checked against every task's contract. Running again with
nothing changed selects zero rows, loads no model and writes nothing but its row in
``enrichment_runs``.
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from enrich import schemas as S
from enrich.config import JobConfig
from enrich.model.registry import Registry
from enrich.progress import Counters, track_generation
from enrich.sources import read_sources
from enrich.tables import append, ensure_table, merge_rows, read_table
from enrich.quality.reference import corpus_from_statistics, corpus_statistics
from enrich.tasks import EST_TOKENS, REFERENCES, Task, enabled_tasks
from enrich.udf import RunContext, generate_stage

log = logging.getLogger(__name__)

PARTITION = "_partition"


class TooManyFailures(RuntimeError):
    """More rows failed than ``max_failed_fraction`` allows (what succeeded was written)."""


@dataclass
class TaskReport:
    """What one task did in a run."""

    task: str
    table: str
    selected: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    mean_quality: float | None = None
    # sacrebleu corpus BLEU and chrF over the task's scored rows that have a reference.
    corpus_bleu: float | None = None
    corpus_chrf: float | None = None

    def scores(self) -> dict[str, float]:
        """The task's run figures for ``enrichment_runs.task_scores``, e.g. ``description.chrf``."""
        figures = {"quality": self.mean_quality, "bleu": self.corpus_bleu, "chrf": self.corpus_chrf}
        return {f"{self.task}.{k}": float(v) for k, v in figures.items() if v is not None}

    @property
    def failed(self) -> int:
        return self.statuses.get(S.FAILED, 0)


@dataclass
class RunReport:
    """What a run did, for the summary and for ``enrichment_runs``."""

    run_id: str
    model_version: str | None
    status: str
    seconds: float
    tasks: list[TaskReport]
    source_versions: dict[str, int]
    model_loads: int
    tables: dict[str, str]
    oom_retries: int = 0
    error: str | None = None
    prompt_tokens: int = 0
    output_tokens: int = 0

    def count(self, status: str) -> int:
        return sum(t.statuses.get(status, 0) for t in self.tasks)

    @property
    def selected(self) -> int:
        return sum(t.selected for t in self.tasks)


def new_run_id() -> str:
    """A sortable, unique run id, e.g. ``20261122T081500-3f9a1c``."""
    return f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


def select_work(work: DataFrame, outputs: DataFrame, *, retry_failed: bool = False) -> DataFrame:
    """Work rows that need generating: no output yet, or an output for other inputs.

    Args:
        work: the task's work rows (key and input fingerprint included).
        outputs: the task's output table.
        retry_failed: also select rows whose last attempt failed.

    Returns:
        The selected work rows.
    """
    done = outputs
    if retry_failed:
        done = done.where(F.col(S.STATUS) != S.FAILED)
    done = done.select(S.PRODUCT_ID, S.INPUT_FINGERPRINT)
    return work.join(done, on=[S.PRODUCT_ID, S.INPUT_FINGERPRINT], how="left_anti")


def spread(work: DataFrame, partitions: int) -> DataFrame:
    """Deal work rows over ``partitions`` so each gets a fair share of every prompt size.

    Rows are grouped into size classes (powers of two of their estimated tokens); inside a class
    they are numbered by key and dealt round-robin, each class starting where the last stopped
    being equally likely. Inside each partition rows are then sorted by size, so the Arrow
    batches a worker receives hold prompts of similar length.
    """
    size_class = F.floor(F.log2(F.greatest(F.col(EST_TOKENS), F.lit(1)))).cast("int")
    order = Window.partitionBy("_class").orderBy(S.PRODUCT_ID)
    dealt = (
        (F.row_number().over(order) + F.col("_class")) % partitions
    ).cast("int")
    # Hash partitioning sends key k to pmod(murmur3(k), n); routing each dealt number through a
    # key that hashes to exactly that partition makes the deal exact. (Range partitioning only
    # samples its bounds and may put two dealt numbers in one partition.)
    keys = F.array(*[F.lit(k).cast("long") for k in partition_keys(work.sparkSession, partitions)])
    spread_rows = (
        work.withColumn("_class", size_class)
        .withColumn(PARTITION, keys[dealt])
        .repartition(partitions, PARTITION)
        .sortWithinPartitions(EST_TOKENS, S.PRODUCT_ID)
    )
    return spread_rows.drop("_class", PARTITION)


_PARTITION_KEYS: dict[int, list[int]] = {}


def partition_keys(spark: SparkSession, partitions: int) -> list[int]:
    """For each partition p < ``partitions``, a long key that hash partitioning sends to p.

    Spark's hash is a fixed function (murmur3, seed 42), so the keys are found once per
    partition count and kept for the process.
    """
    if partitions in _PARTITION_KEYS:
        return _PARTITION_KEYS[partitions]
    candidates = spark.range(0, 64 * partitions).select(
        "id", F.expr(f"pmod(hash(id), {partitions})").alias("p")
    )
    first = {r.p: r["min(id)"] for r in candidates.groupBy("p").agg(F.min("id")).collect()}
    missing = [p for p in range(partitions) if p not in first]
    if missing:  # pragma: no cover - 64 candidates per partition always cover them
        raise RuntimeError(f"no key found for partitions {missing}")
    _PARTITION_KEYS[partitions] = [int(first[p]) for p in range(partitions)]
    return _PARTITION_KEYS[partitions]


_STATS_SCHEMA = "bleu array<double>, chrf array<double>, scored array<double>"


def corpus_figures(staged: DataFrame, work: DataFrame, task: Task) -> dict[str, float]:
    """sacrebleu corpus BLEU and chrF of a task's scored rows against their references.

    Each partition sums sacrebleu's sufficient statistics; only those sums reach the driver, and
    their total gives exactly ``sacrebleu.corpus_bleu``/``corpus_chrf`` over all rows.

    Args:
        staged: the task's generated rows.
        work: its work rows (they hold the references).
        task: the task.

    Returns:
        ``{"bleu": ..., "chrf": ..., "scored": n}``, or ``{}`` when no scored row has a reference.
    """
    text = task.text_column
    pairs = (
        staged.where(F.col(S.STATUS).isin(S.ACCEPTED, S.NEEDS_REVIEW, S.REJECTED))
        .select(task.key, text)
        .join(work.select(task.key, REFERENCES).where(F.size(REFERENCES) > 0), task.key)
    )

    def statistics(frames):
        import pandas as pd

        for pdf in frames:
            refs = [list(r) for r in pdf[REFERENCES]]
            found = corpus_statistics(list(pdf[text]), refs)
            if found:
                yield pd.DataFrame([found])

    parts = pairs.mapInPandas(statistics, _STATS_SCHEMA).collect()
    return corpus_from_statistics([r.asDict() for r in parts])


def _summarise(staged: DataFrame, work: DataFrame, task: Task, report: TaskReport) -> None:
    rows = staged.groupBy(S.STATUS).agg(F.count(F.lit(1)).alias("n")).collect()
    report.statuses = {row[S.STATUS]: int(row["n"]) for row in rows}
    report.selected = sum(report.statuses.values())
    means = staged.where(F.col(S.STATUS).isin(S.ACCEPTED, S.NEEDS_REVIEW, S.REJECTED)).agg(
        F.avg(S.QUALITY_SCORE).alias("q")
    ).first()
    report.mean_quality = means["q"]
    corpus = corpus_figures(staged, work, task)
    report.corpus_bleu, report.corpus_chrf = corpus.get("bleu"), corpus.get("chrf")


def _run_task(
    spark: SparkSession, cfg: JobConfig, task: Task, work: DataFrame, context, accumulators,
    run_id: str, counters: Counters,
) -> TaskReport:
    report = TaskReport(task.name, task.output_table)
    selected = work.count()
    if not selected:
        log.info("%s: nothing to do (all outputs are up to date)", task.name)
        return report
    ctx = context()
    partitions = cfg.generation.partitions or spark.sparkContext.defaultParallelism
    generated = generate_stage(
        spread(work, partitions),
        task=task,
        ctx=ctx,
        model_loads=accumulators[0],
        batches=accumulators[1],
        oom_retries=accumulators[2],
        counters=counters,
    )
    staging = cfg.warehouse.staging_root / run_id / task.name
    started = time.perf_counter()
    log.info("%s: generating %d rows with %s", task.name, selected, ctx.model.model_version)
    with track_generation(
        spark.sparkContext, counters, task=task.name, total=selected, run_id=run_id,
        interval=cfg.progress.interval_seconds,
    ):
        generated.write.format("delta").mode("overwrite").save(str(staging))
    staged = read_table(spark, staging)
    _summarise(staged, work, task, report)
    log.info(
        "%s: generated %d rows in %.0fs; merging into %s",
        task.name, report.selected, time.perf_counter() - started, report.table,
    )
    merge_rows(spark, staged, cfg.warehouse.path(task.output_table), [task.key])
    return report


def run_enrichment(
    spark: SparkSession,
    cfg: JobConfig,
    *,
    retry_failed: bool = False,
    run_id: str | None = None,
) -> RunReport:
    """Run every enabled task once and record the run.

    Args:
        spark: the session.
        cfg: the job configuration.
        retry_failed: also regenerate rows whose last attempt failed.
        run_id: the run's id; a new one by default.

    Returns:
        The run's report. Its ``status`` is ``succeeded``, or ``too_many_failures`` when more
        than ``max_failed_fraction`` of the rows failed (their outputs are written all the same).

    Raises:
        TableError: a source table is missing.
        ContractError: a source table lacks what a task needs.
        TaskError: a task's template is missing or does not fit its inputs.
        RegistryError: rows need generating but there is no model version.
    """
    run_id = run_id or new_run_id()
    started_at = datetime.now(timezone.utc).replace(tzinfo=None)
    started = time.perf_counter()
    tasks = enabled_tasks(cfg)
    sources = read_sources(spark, cfg, tasks)
    for task in tasks:
        ensure_table(spark, task.output_table, cfg.warehouse.path(task.output_table), task.schema)
    ensure_table(
        spark, cfg.warehouse.name("enrichment_runs"), cfg.warehouse.path("enrichment_runs"),
        S.ENRICHMENT_RUNS_SCHEMA,
    )
    registry = Registry(cfg.model.registry, cfg.model.name, cache_dir=cfg.model.cache_dir)
    contexts: list[RunContext] = []

    def context() -> RunContext:
        # Resolved only when some task has work, so an up-to-date catalog needs no model.
        if not contexts:
            contexts.append(
                RunContext(
                    run_id,
                    registry.ref(
                        cfg.model.version,
                        use_merged=cfg.model.use_merged,
                        precision=cfg.generation.precision,
                    ),
                    cfg.generation,
                    cfg.quality,
                )
            )
            where = (
                f"{cfg.generation.gpus_per_task:g} GPU per task"
                if cfg.generation.gpus_per_task
                else "no GPU requested: workers use a GPU only where one is visible, else the CPU"
            )
            log.info("generating with %s (%s)", contexts[0].model.model_version, where)
        return contexts[0]

    sc = spark.sparkContext
    accumulators = (sc.accumulator(0), sc.accumulator(0), sc.accumulator(0))
    counters = Counters.create(sc)
    reports: list[TaskReport] = []
    status, error = "succeeded", None
    try:
        for task in tasks:
            outputs = read_table(spark, cfg.warehouse.path(task.output_table))
            work = select_work(sources.work_rows(task), outputs, retry_failed=retry_failed)
            reports.append(
                _run_task(spark, cfg, task, work, context, accumulators, run_id, counters)
            )
        total = sum(r.selected for r in reports)
        failed = sum(r.failed for r in reports)
        if total and failed / total > cfg.max_failed_fraction:
            status = "too_many_failures"
            error = (
                f"{failed} of {total} rows failed, more than max_failed_fraction="
                f"{cfg.max_failed_fraction}; see the error column of the failed rows"
            )
    except Exception as exc:
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        raise
    finally:
        report = RunReport(
            run_id=run_id,
            model_version=contexts[0].model.model_version if contexts else None,
            status=status,
            seconds=time.perf_counter() - started,
            tasks=reports,
            source_versions=sources.versions,
            model_loads=accumulators[0].value,
            oom_retries=accumulators[2].value,
            prompt_tokens=counters.prompt_tokens.value,
            output_tokens=counters.output_tokens.value,
            tables={
                name: str(cfg.warehouse.path(name))
                for name in [*(t.output_table for t in tasks), "enrichment_runs"]
            },
            error=error,
        )
        _record_run(spark, cfg, report, started_at, retry_failed=retry_failed)
        shutil.rmtree(cfg.warehouse.staging_root / run_id, ignore_errors=True)
    return report


def _record_run(
    spark: SparkSession, cfg: JobConfig, report: RunReport, started_at, *, retry_failed: bool
) -> None:
    task_counts: dict[str, int] = {}
    for t in report.tasks:
        task_counts[f"{t.task}.selected"] = t.selected
        for status, n in t.statuses.items():
            task_counts[f"{t.task}.{status}"] = n
    row = {
        S.RUN_ID: report.run_id,
        "job": "enrich",
        "mode": "retry_failed" if retry_failed else "incremental",
        S.MODEL_VERSION: report.model_version,
        "started_at": started_at,
        "finished_at": datetime.now(timezone.utc).replace(tzinfo=None),
        "duration_seconds": round(report.seconds, 3),
        "rows_selected": report.selected,
        "rows_written": report.selected,
        "rows_failed": report.count(S.FAILED),
        "rows_accepted": report.count(S.ACCEPTED),
        "rows_needs_review": report.count(S.NEEDS_REVIEW),
        "rows_rejected": report.count(S.REJECTED),
        "rows_skipped": report.count(S.SKIPPED),
        "task_counts": task_counts,
        "task_scores": {k: v for t in report.tasks for k, v in t.scores().items()},
        "source_versions": report.source_versions,
        "config_hash": cfg.fingerprint(),
        "model_loads": report.model_loads,
        "oom_retries": report.oom_retries,
        S.STATUS: report.status,
        S.ERROR: report.error,
    }
    append(
        spark.createDataFrame([row], S.ENRICHMENT_RUNS_SCHEMA), cfg.warehouse.path("enrichment_runs")
    )
