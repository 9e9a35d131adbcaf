"""The per-run quality report: score distributions as plots, statuses, worst rows, change.

``catalog-enrich report RUN_ID`` writes, per task, a PNG with one histogram per score column and
one self-contained HTML page (``report.html``, the plots embedded as base64) with the status
counts, the reason counts, the worst rows with their reasons, and the change of every count and
corpus score against the previous run in ``enrichment_runs``.

Rows are read from the output tables where ``run_id`` is the run's: a row a later run rewrote
belongs to that later run. Everything is aggregated in Spark (histograms by bucket, counts,
``worst`` rows); only those small results reach the driver.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from enrich import schemas as S
from enrich.config import JobConfig
from enrich.tables import is_delta_table, read_table
from enrich.tasks import enabled_tasks

BINS = 20
# Score column -> the range its histogram spans (values outside are put in the end bins).
RANGES: dict[str, tuple[float, float]] = {
    S.QUALITY_SCORE: (0.0, 1.0),
    S.CHRF: (0.0, 100.0),
    S.BLEU: (0.0, 100.0),
    S.ROUGE_L: (0.0, 1.0),
    S.GROUNDING: (0.0, 1.0),
    S.SENTIMENT: (-1.0, 1.0),
    S.SENTIMENT_AGREEMENT: (0.0, 1.0),
    S.MEAN_LOGPROB: (-6.0, 0.0),
    S.REPETITION: (0.0, 1.0),
}


class RunNotFound(LookupError):
    """No such run in ``enrichment_runs``."""


@dataclass
class TaskSection:
    """What the report shows for one task of the run."""

    task: str
    key: str = S.PRODUCT_ID
    statuses: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)
    histograms: dict[str, list[int]] = field(default_factory=dict)
    worst: list[dict] = field(default_factory=list)


def histogram(rows: DataFrame, column: str, lo: float, hi: float, bins: int = BINS) -> list[int]:
    """Counts of ``column`` in ``bins`` equal buckets over [lo, hi] (nulls left out)."""
    bucket = F.floor((F.col(column) - F.lit(lo)) / F.lit((hi - lo) / bins)).cast("int")
    bucket = F.least(F.greatest(bucket, F.lit(0)), F.lit(bins - 1))
    counts = [0] * bins
    for r in rows.where(F.col(column).isNotNull()).groupBy(bucket.alias("b")).count().collect():
        counts[r["b"]] = int(r["count"])
    return counts


def task_section(rows: DataFrame, task: str, text_column: str, key: str, worst: int) -> TaskSection:
    """The section of one task, from its output rows of the run."""
    section = TaskSection(task, key)
    for r in rows.groupBy(S.STATUS).count().collect():
        section.statuses[r[S.STATUS]] = int(r["count"])
    exploded = rows.select(F.explode_outer(S.REJECT_REASONS).alias("reason")).where("reason IS NOT NULL")
    section.reasons = {r["reason"]: int(r["count"]) for r in exploded.groupBy("reason").count().collect()}
    scored = rows.where(F.col(S.STATUS).isin(*S.SCORED))
    for column, (lo, hi) in RANGES.items():
        counts = histogram(scored, column, lo, hi)
        if sum(counts):
            section.histograms[column] = counts
    picked = scored.orderBy(F.col(S.QUALITY_SCORE).asc_nulls_first(), key).limit(worst)
    section.worst = [
        r.asDict()
        for r in picked.select(
            key, S.STATUS, S.QUALITY_SCORE, S.REJECT_REASONS, F.substring(text_column, 1, 240).alias("text")
        ).collect()
    ]
    return section


def plot_section(section: TaskSection, path: Path) -> None:
    """One PNG with a histogram per score column of the section."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(section.histograms) or [S.QUALITY_SCORE]
    cols = min(3, len(names))
    rows = -(-len(names) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 2.8 * rows), squeeze=False)
    for ax, name in zip(axes.flat, names):
        lo, hi = RANGES[name]
        counts = section.histograms.get(name, [0] * BINS)
        width = (hi - lo) / BINS
        ax.bar([lo + width * (i + 0.5) for i in range(BINS)], counts, width=width * 0.9)
        ax.set_title(name)
        ax.set_xlim(lo, hi)
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    fig.suptitle(f"{section.task}: score distributions")
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=80)
    plt.close(fig)


def _runs(spark: SparkSession, cfg: JobConfig, run_id: str) -> tuple[dict, dict | None]:
    runs = read_table(spark, cfg.warehouse.table("enrichment_runs"))
    this = runs.where(F.col(S.RUN_ID) == run_id).first()
    if this is None:
        raise RunNotFound(f"no run {run_id!r} in enrichment_runs")
    before = (
        runs.where((F.col("started_at") < F.lit(this["started_at"])) & (F.col("job") == this["job"]))
        .orderBy(F.desc("started_at"))
        .first()
    )
    return this.asDict(), None if before is None else before.asDict()


def changes(this: dict, before: dict | None) -> list[tuple[str, float | None, float | None]]:
    """(figure, previous, this) for every task count and task score of either run."""
    figures = []
    for column in ("task_counts", "task_scores"):
        now = this.get(column) or {}
        then = (before or {}).get(column) or {}
        for name in sorted(set(now) | set(then)):
            figures.append((name, then.get(name), now.get(name)))
    return figures


def _table(header: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if c is None else str(c))}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def render_html(run: dict, before: dict | None, sections: list[TaskSection], images: dict[str, bytes]) -> str:
    """The self-contained page: every plot embedded, no outside reference."""
    parts = [
        f"<h1>Run {html.escape(run[S.RUN_ID])}</h1>",
        f"<p>status {html.escape(str(run['status']))}, model {html.escape(str(run[S.MODEL_VERSION]))}, "
        f"started {run['started_at']}, {run['rows_selected']} rows selected</p>",
    ]
    for section in sections:
        picture = base64.b64encode(images[section.task]).decode("ascii")
        parts += [
            f"<h2>{html.escape(section.task)}</h2>",
            _table(["status", "rows"], [[s, section.statuses.get(s, 0)] for s in S.STATUSES]),
            "<h3>Reasons</h3>",
            _table(["reason", "rows"], sorted(section.reasons.items(), key=lambda kv: -kv[1])),
            f'<img alt="{html.escape(section.task)} score distributions" '
            f'src="data:image/png;base64,{picture}">',
            "<h3>Worst rows</h3>",
            _table(
                ["key", "status", "quality_score", "reasons", "text"],
                [[w[section.key], w[S.STATUS], w[S.QUALITY_SCORE],
                  ", ".join(w[S.REJECT_REASONS] or []), w["text"]] for w in section.worst],
            ),
        ]
    label = before[S.RUN_ID] if before else "none"
    parts += [
        f"<h2>Change against the previous run ({html.escape(label)})</h2>",
        _table(
            ["figure", "previous", "this run", "change"],
            [[n, p, t, None if p is None or t is None else round(t - p, 4)]
             for n, p, t in changes(run, before)],
        ),
    ]
    style = ("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
             "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Run {html.escape(run[S.RUN_ID])}"
            f"</title><style>{style}</style></head><body>{''.join(parts)}</body></html>\n")


def write_run_report(
    spark: SparkSession, cfg: JobConfig, run_id: str, *, out: Path, worst: int = 10
) -> list[Path]:
    """Write the run's report: ``<task>.png`` per task and ``report.html``.

    Args:
        spark: the session.
        cfg: the job configuration (tables and tasks).
        run_id: the run.
        out: the folder to write to (created).
        worst: how many of the lowest-scored rows to list per task.

    Returns:
        The paths written, the HTML page last.

    Raises:
        RunNotFound: ``enrichment_runs`` has no such run.
    """
    run, before = _runs(spark, cfg, run_id)
    out.mkdir(parents=True, exist_ok=True)
    sections, images, paths = [], {}, []
    for task in enabled_tasks(cfg):
        path = cfg.warehouse.table(task.output_table)
        if not is_delta_table(spark, path):
            continue
        rows = read_table(spark, path).where(F.col(S.RUN_ID) == run_id)
        section = task_section(rows, task.name, task.text_column, task.key, worst)
        png = out / f"{task.name}.png"
        plot_section(section, png)
        images[task.name] = png.read_bytes()
        sections.append(section)
        paths.append(png)
    page = out / "report.html"
    page.write_text(render_html(run, before, sections, images), encoding="utf-8")
    return [*paths, page]
