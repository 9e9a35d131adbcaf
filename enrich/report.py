"""Plain-text rendering of a run's summary for the terminal."""

from __future__ import annotations

from enrich import schemas as S
from enrich.enrichment import RunReport


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def duration(seconds: float) -> str:
    """``95.2`` -> ``1m 35s``."""
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


def render_summary(report: RunReport, *, command: str = "catalog-enrich") -> str:
    """The end-of-run summary: rows per status per task, mean quality, corpus BLEU and chrF, time,
    table locations."""
    lines = [
        f"run {report.run_id}: {report.status} in {duration(report.seconds)}"
        + (f"  (model {report.model_version}, loaded {report.model_loads}x)"
           if report.model_version else "  (no rows needed a model)"),
    ]
    if report.error:
        lines.append(f"  {report.error}")
    header = ["task", "rows", *S.STATUSES, "quality", "BLEU", "chrF"]  # corpus BLEU and chrF
    table = [header]
    for t in report.tasks:
        table.append(
            [
                t.task,
                str(t.selected),
                *[str(t.statuses.get(s, 0)) for s in S.STATUSES],
                _fmt(t.mean_quality),
                _fmt(t.corpus_bleu, 1),
                _fmt(t.corpus_chrf, 1),
            ]
        )
    if len(table) > 1:
        table.append(
            ["total", str(report.selected), *[str(report.count(s)) for s in S.STATUSES], "", "", ""]
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines.append("")
    for row in table:
        lines.append(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths))
            )
        )
    if report.selected == 0:
        lines.append("(every output is up to date with its inputs: nothing to generate)")
    lines.append("")
    lines.append("tables:")
    for name, path in report.tables.items():
        lines.append(f"  {name:<22} {path}")
    lines.append(
        f'query: {command} sql "SELECT status, count(*) AS n FROM product_descriptions '
        'GROUP BY status"'
    )
    return "\n".join(lines)
