"""A run's summary: plain text for the terminal, JSON figures for schedulers (--metrics-file)."""

from __future__ import annotations

import json
from pathlib import Path

from enrich import schemas as S
from enrich.enrichment import RunReport
from enrich.progress import duration


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


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


def run_figures(report: RunReport) -> dict:
    """A run's figures as plain data: what ``enrich --metrics-file`` writes.

    Example:
        >>> run_figures(report)["tasks"][0]
        {'task': 'description', 'table': 'product_descriptions', 'rows': 2000,
         'statuses': {'accepted': 1520, ...}, 'mean_quality': 0.71, ...}
    """
    return {
        "run_id": report.run_id,
        "status": report.status,
        "error": report.error,
        "model_version": report.model_version,
        "seconds": round(report.seconds, 3),
        "rows": report.selected,
        "statuses": {s: report.count(s) for s in S.STATUSES},
        "tokens": {
            "prompt": report.prompt_tokens,
            "output": report.output_tokens,
            "total": report.prompt_tokens + report.output_tokens,
        },
        "model_loads": report.model_loads,
        "oom_retries": report.oom_retries,
        "source_versions": report.source_versions,
        "tasks": [
            {
                "task": t.task,
                "table": t.table,
                "rows": t.selected,
                "statuses": dict(t.statuses),
                "mean_quality": t.mean_quality,
                "corpus_bleu": t.corpus_bleu,
                "corpus_chrf": t.corpus_chrf,
            }
            for t in report.tasks
        ],
        "tables": report.tables,
    }


def write_metrics(figures: dict, path: Path) -> None:
    """Write ``figures`` as JSON to ``path`` (its folder is created), replacing it whole.

    The file is written next to its destination and renamed into place, so a scheduler that
    polls it never reads half a file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(figures, indent=2, sort_keys=True, default=str) + "\n")
    partial.replace(path)
