"""The enrichment run: select work, generate and score it in chunks, MERGE each chunk, log the run.

For each enabled task:

1. **select**: work rows whose key has no output with the same input fingerprint (with
   ``retry_failed`` also those whose last attempt failed; for a backfill also those made by
   another model version): see :mod:`enrich.selection`. Never a collect;
2. **chunk**: the selection is cut into chunks of about ``writes.chunk_rows`` rows by a stable
   hash of the key;
3. per chunk, **spread** the rows over the generation partitions (round-robin by size class, so
   no partition gets most of the tokens; sorted by size inside each: :mod:`enrich.partitioning`),
   **generate** them with :func:`enrich.udf.generate_stage`, **stage** them once to a Delta
   table under ``<warehouse>/_staging/<run_id>/<task>/chunk=<n>``, and **merge** them into the
   task's output table in one Delta commit that carries ``{run_id, task, chunk}`` in its
   metadata.

A crash loses at most the chunk in flight: each chunk's MERGE is atomic, a row is replaced only by
one of the same or a newer model version, and a rerun of the same command selects exactly the
rows that are still not done (it names the interrupted run it continues after). Two runs on the
same table retry a MERGE that conflicts with the other's commit.

The source tables are read at the Delta version current when the run starts (recorded in
``enrichment_runs``, with each output table's version before and after) and checked against every
task's contract. Running again with nothing changed selects zero rows, loads no model and writes
nothing but its row in ``enrichment_runs``.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from enrich import schemas as S
from enrich.config import JobConfig
from enrich.faults import fault_after_delay, fault_point
from enrich.model.registry import Registry, RegistryError
from enrich.progress import Counters, LiveListener, track_generation
from enrich.runlog import ensure_run_log, interrupted_runs, record_run, utc_now
from enrich.selection import BackfillFilter, chunk_count, chunk_of, select_work
from enrich.sources import read_sources
from enrich.quality.ads import BrandIndex
from enrich.quality.domains import AttributeDomains, learn_domains
from enrich.quality.reference import corpus_from_statistics, corpus_statistics
from enrich.locations import TableRef, delete_tree, join
from enrich.tables import ensure_table, merge_rows, overwrite, read_table, table_version
from enrich.partitioning import spread
from enrich.tasks import REFERENCES, Task, enabled_tasks
from enrich.udf import RunContext, generate_stage

log = logging.getLogger(__name__)


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
    chunks: int = 0
    chunks_committed: int = 0
    # Running sums over the chunks: quality scores, and sacrebleu's corpus statistics.
    _quality: list = field(default_factory=lambda: [0.0, 0], repr=False)
    _corpus_parts: list = field(default_factory=list, repr=False)

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
    job: str = "enrich"
    mode: str = "incremental"
    options: dict = field(default_factory=dict)
    versions_before: dict[str, int] = field(default_factory=dict)
    versions_after: dict[str, int] = field(default_factory=dict)
    resumed_from: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    output_tokens: int = 0

    def count(self, status: str) -> int:
        return sum(t.statuses.get(status, 0) for t in self.tasks)

    @property
    def selected(self) -> int:
        return sum(t.selected for t in self.tasks)


RUN_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def new_run_id() -> str:
    """A sortable, unique run id, e.g. ``20261122T081500-3f9a1c``."""
    return f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


def check_run_id(run_id: str) -> None:
    """Refuse a run id that could not name a staging folder safely."""
    if not RUN_ID_PATTERN.match(run_id):
        raise ValueError(
            f"run id {run_id!r} must be letters, digits, '_', '.' or '-' (at most 64), "
            "not starting with a symbol"
        )


# A matched output row is replaced only by a row of the same or a newer model version, and a
# failed attempt never replaces a good output of the same inputs (the row stays selected).
UPDATE_RULE = (
    f"coalesce(cast(regexp_extract(s.{S.MODEL_VERSION}, ':v([0-9]+)$', 1) AS INT), 0) >= "
    f"coalesce(cast(regexp_extract(t.{S.MODEL_VERSION}, ':v([0-9]+)$', 1) AS INT), 0) "
    f"AND (s.{S.STATUS} <> '{S.FAILED}' OR t.{S.STATUS} = '{S.FAILED}' "
    f"OR s.{S.INPUT_FINGERPRINT} <> t.{S.INPUT_FINGERPRINT})"
)


# One row per status of a partition (n, summed quality), and one (status null) with the
# partition's sacrebleu statistics.
_SUMMARY_SCHEMA = (
    "status string, n long, q double, bleu array<double>, chrf array<double>, scored array<double>"
)


def chunk_summary(staged: DataFrame, work: DataFrame, task: Task) -> list[dict]:
    """A chunk's rows by status with their summed quality, and sacrebleu's sufficient statistics
    of its scored rows against their references, in one pass over the staged rows.

    Each partition counts and sums its own rows; only those sums reach the driver, and the total
    over every part (of every chunk) gives exactly ``sacrebleu.corpus_bleu``/``corpus_chrf``
    (:func:`enrich.quality.reference.corpus_from_statistics`).

    Args:
        staged: the task's generated rows.
        work: its work rows (they hold the references).
        task: the task.

    Returns:
        Dicts of the partitions' sums: per status ``{status, n, q}``, and ``{status: None, bleu,
        chrf, scored}`` for each partition with scored rows that have references.
    """
    text = task.text_column
    rows = staged.select(task.key, S.STATUS, S.QUALITY_SCORE, text).join(
        work.select(task.key, REFERENCES).where(F.size(REFERENCES) > 0), task.key, "left"
    )

    def summarise(frames):
        import pandas as pd

        for pdf in frames:
            groups = pdf.groupby(S.STATUS, dropna=False)[S.QUALITY_SCORE].agg(["size", "sum"])
            yield pd.DataFrame({
                S.STATUS: list(groups.index),
                "n": groups["size"].astype("int64").to_numpy(),
                "q": groups["sum"].astype("float64").to_numpy(),
                **{name: None for name in ("bleu", "chrf", "scored")},
            })
            scored = pdf[pdf[S.STATUS].isin(list(S.SCORED)) & pdf[REFERENCES].notna()]
            found = corpus_statistics(
                list(scored[text]), [list(r) for r in scored[REFERENCES]]
            )
            if found:
                yield pd.DataFrame([{S.STATUS: None, "n": 0, "q": 0.0, **found}])

    return [r.asDict() for r in rows.mapInPandas(summarise, _SUMMARY_SCHEMA).collect()]


def _summarise(staged: DataFrame, work: DataFrame, task: Task, report: TaskReport) -> None:
    for part in chunk_summary(staged, work, task):
        status = part[S.STATUS]
        if part["scored"] is not None:
            report._corpus_parts.append(
                {name: part[name] for name in ("bleu", "chrf", "scored")}
            )
            continue
        report.statuses[status] = report.statuses.get(status, 0) + int(part["n"])
        if status in S.SCORED and part["n"]:
            report._quality[0] += float(part["q"] or 0.0)
            report._quality[1] += int(part["n"])
    report.selected = sum(report.statuses.values())
    if report._quality[1]:
        report.mean_quality = report._quality[0] / report._quality[1]
    corpus = corpus_from_statistics(report._corpus_parts)
    report.corpus_bleu, report.corpus_chrf = corpus.get("bleu"), corpus.get("chrf")


def generate_rows(
    spark: SparkSession, cfg: JobConfig, task: Task, rows: DataFrame, ctx: RunContext,
    accumulators, staging: str, counters: Counters | None = None,
) -> DataFrame:
    """Generate and score ``rows`` once, into a Delta table at ``staging``; return it read back.

    Writing the generated rows before anything reads them makes generation run exactly once
    and gives the MERGE a stable source.
    """
    partitions = cfg.generation.partitions or spark.sparkContext.defaultParallelism
    generated = generate_stage(
        spread(rows, partitions),
        task=task,
        ctx=ctx,
        model_loads=accumulators[0],
        batches=accumulators[1],
        oom_retries=accumulators[2],
        counters=counters,
    )
    staged = TableRef(task.name, location=staging)
    overwrite(generated, staged)
    return read_table(spark, staged)


def _run_task(
    spark: SparkSession, cfg: JobConfig, task: Task, work: DataFrame, context, accumulators,
    run_id: str, job: str, counters: Counters,
) -> TaskReport:
    report = TaskReport(task.name, task.output_table)
    # Kept for the task: the chunks, their generation and the corpus scores read it again.
    work = work.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        selected = work.count()
        if not selected:
            log.info("%s: nothing to do (all outputs are up to date)", task.name)
            return report
        _run_chunks(spark, cfg, task, work, selected, report, context, accumulators, run_id,
                    job, counters)
    finally:
        work.unpersist()
    return report


def _run_chunks(
    spark: SparkSession, cfg: JobConfig, task: Task, work: DataFrame, selected: int,
    report: TaskReport, context, accumulators, run_id: str, job: str, counters: Counters,
) -> None:
    chunks = chunk_count(selected, cfg.writes.chunk_rows)
    report.chunks = chunks
    ctx = context()
    target = cfg.warehouse.table(task.output_table)
    log.info("%s: %d rows to generate in %d chunk(s) of up to %d", task.name, selected, chunks,
             cfg.writes.chunk_rows)
    with track_generation(
        spark.sparkContext, counters, task=task.name, total=selected, run_id=run_id,
        interval=cfg.progress.interval_seconds,
    ):
        for chunk in range(chunks):
            started = time.perf_counter()
            staging = join(cfg.warehouse.staging_root, run_id, task.name, f"chunk={chunk}")
            rows = work.where(chunk_of(task.key, chunks) == chunk)
            staged = generate_rows(spark, cfg, task, rows, ctx, accumulators, staging, counters)
            fault_point("staged")
            before = dict(report.statuses)
            _summarise(staged, work, task, report)
            done = report.selected - sum(before.values())
            fault_after_delay("merge")
            merge_rows(
                spark, staged, target, [task.key],
                update_when=UPDATE_RULE,
                marker={"run_id": run_id, "job": job, "task": task.name, "chunk": chunk,
                        "chunks": chunks, "rows": done},
                attempts=cfg.writes.conflict_retries,
                backoff_seconds=cfg.writes.conflict_backoff_seconds,
            )
            fault_point("merged")
            report.chunks_committed += 1
            delete_tree(spark, staging)
            log.info(
                "%s: chunk %d/%d committed to %s: %d rows in %.0fs (%d of %d rows done)",
                task.name, chunk + 1, chunks, report.table, done, time.perf_counter() - started,
                report.selected, selected,
            )


def run_domains(
    cfg: JobConfig, tasks: list[Task], products: DataFrame
) -> AttributeDomains | None:
    """The catalog's categorical attribute domains and names, learned once per run for grounding
    (None when no task grounds its texts)."""
    if not any("grounding" in t.cfg.checks for t in tasks):
        return None
    domains = learn_domains(
        products,
        max_values=cfg.quality.max_domain_values,
        max_names=cfg.quality.max_catalog_names,
    )
    log.info("learned the value domains of %d categorical attribute keys and %d catalog names",
             len(domains), len(domains.names))
    return domains


def run_brands(cfg: JobConfig, tasks: list[Task], products: DataFrame) -> BrandIndex | None:
    """The catalog's brands, at most ``quality.max_catalog_names`` in sorted order, for the
    wrong-brand check of search ads (None when no search-ad task runs)."""
    if not any(t.cfg.output == "search_ad" for t in tasks) or S.BRAND not in products.columns:
        return None
    brands = (
        products.select(F.trim(S.BRAND).alias("b")).where(F.length("b") > 0).distinct()
        .orderBy("b").limit(cfg.quality.max_catalog_names).collect()  # bounded
    )
    return BrandIndex.of(r["b"] for r in brands)


def run_enrichment(
    spark: SparkSession,
    cfg: JobConfig,
    *,
    retry_failed: bool = False,
    backfill: BackfillFilter | None = None,
    run_id: str | None = None,
) -> RunReport:
    """Run every enabled task once and record the run.

    Args:
        spark: the session.
        cfg: the job configuration.
        retry_failed: also regenerate rows whose last attempt failed.
        backfill: also regenerate the rows this filter targets (a backfill after retraining);
            ``cfg.model.version`` must be the version it names.
        run_id: the run's id; a new one by default.

    Returns:
        The run's report. Its ``status`` is ``succeeded``, or ``too_many_failures`` when more
        than ``max_failed_fraction`` of the rows failed (their outputs are written all the same).

    Raises:
        TableError: a source table is missing, or another job kept writing an output table.
        ContractError: a source table lacks what a task needs.
        TaskError: a task's template is missing or does not fit its inputs.
        RegistryError: rows need generating but there is no model version.
    """
    run_id = run_id or new_run_id()
    check_run_id(run_id)
    job = "backfill" if backfill else "enrich"
    mode = "backfill" if backfill else ("retry_failed" if retry_failed else "incremental")
    options = {"retry_failed": retry_failed, "model": cfg.model.version}
    if backfill:
        options["backfill"] = backfill.describe()
    started_at = utc_now()
    started = time.perf_counter()
    tasks = enabled_tasks(cfg)
    sources = read_sources(spark, cfg, tasks)
    for task in tasks:
        ensure_table(spark, cfg.warehouse.table(task.output_table), task.schema)
    ensure_run_log(spark, cfg)
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
                        compute_dtype=cfg.model.compute_dtype,
                    ),
                    cfg.generation,
                    cfg.quality,
                    domains=run_domains(cfg, tasks, sources.products),
                    brands=run_brands(cfg, tasks, sources.products),
                )
            )
            if backfill and contexts[0].model.model_version != backfill.model_version:
                raise RegistryError(
                    f"backfill targets {backfill.model_version} but the model resolves to "
                    f"{contexts[0].model.model_version}"
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
    listener = LiveListener.start(sc) if cfg.progress.interval_seconds > 0 else None
    counters = Counters.create(sc, listener)
    reports: list[TaskReport] = []
    versions_before: dict[str, int] = {}
    resumed: set[str] = set()
    status, error = "succeeded", None
    try:
        for task in tasks:
            target = cfg.warehouse.table(task.output_table)
            versions_before[task.output_table] = table_version(spark, target)
            for run, chunks in interrupted_runs(spark, cfg, task.output_table).items():
                log.warning(
                    "%s: run %s stopped without finishing; its %d committed chunk(s) stay and "
                    "this run continues with the rows that still need work",
                    task.output_table, run, chunks,
                )
                resumed.add(run)
            outputs = read_table(spark, target, version=versions_before[task.output_table])
            work = select_work(
                sources.work_rows(task), outputs, retry_failed=retry_failed, backfill=backfill,
                categories=sources.products if backfill and backfill.categories else None,
                key=task.key,
            )
            reports.append(
                _run_task(spark, cfg, task, work, context, accumulators, run_id, job, counters)
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
        if listener is not None:
            listener.close()
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
                name: str(cfg.warehouse.table(name))
                for name in [*(t.output_table for t in tasks), "enrichment_runs"]
            },
            error=error,
            job=job,
            mode=mode,
            options=options,
            versions_before=versions_before,
            versions_after={
                name: table_version(spark, cfg.warehouse.table(name)) for name in versions_before
            },
            resumed_from=sorted(resumed),
        )
        _record_run(spark, cfg, report, started_at)
        delete_tree(spark, join(cfg.warehouse.staging_root, run_id))
    return report


def _record_run(spark: SparkSession, cfg: JobConfig, report: RunReport, started_at) -> None:
    task_counts: dict[str, int] = {}
    for t in report.tasks:
        task_counts[f"{t.task}.selected"] = t.selected
        task_counts[f"{t.task}.chunks"] = t.chunks_committed
        for status, n in t.statuses.items():
            task_counts[f"{t.task}.{status}"] = n
    record_run(
        spark, cfg,
        run_id=report.run_id,
        job=report.job,
        mode=report.mode,
        model_version=report.model_version,
        started_at=started_at,
        duration_seconds=round(report.seconds, 3),
        rows_selected=report.selected,
        rows_written=report.selected,
        rows_failed=report.count(S.FAILED),
        rows_accepted=report.count(S.ACCEPTED),
        rows_needs_review=report.count(S.NEEDS_REVIEW),
        rows_rejected=report.count(S.REJECTED),
        rows_skipped=report.count(S.SKIPPED),
        task_counts=task_counts,
        task_scores={k: v for t in report.tasks for k, v in t.scores().items()},
        source_versions=report.source_versions,
        model_loads=report.model_loads,
        oom_retries=report.oom_retries,
        status=report.status,
        error=report.error,
        options=report.options,
        table_versions_before=report.versions_before,
        table_versions_after=report.versions_after,
        resumed_from=report.resumed_from,
    )
