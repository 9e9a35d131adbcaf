"""Log output of the command line: readable text lines, or one JSON object per line.

A JSON line holds ``time``, ``level``, ``logger`` and ``message``, and the run's figures where the
line has them, passed as ``extra`` fields named in :data:`FIELDS`, e.g.::

    {"time": "2026-11-29T08:15:02Z", "level": "INFO", "logger": "enrich.progress",
     "message": "description: 120/2000 rows (6%) ...", "run_id": "20261129T081500-3f9a1c",
     "task": "description", "stage": "generate", "rows": 120, "total": 2000, ...}
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

FORMATS = ("text", "json")

# The figures a log line may carry (as ``extra``); JSON lines include each one a line has.
FIELDS = (
    "run_id", "task", "stage", "rows", "total", "rows_per_second", "tokens", "tokens_per_second",
    "seconds", "eta_seconds", "stage_tasks",
)

_NOISY = ("py4j", "transformers", "peft", "accelerate", "urllib3", "absl")

_state = {"format": "text"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message and the :data:`FIELDS`."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({name: getattr(record, name) for name in FIELDS if hasattr(record, name)})
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure(*, quiet: bool = False, fmt: str = "text") -> None:
    """Send the log to stderr as text or JSON lines.

    Args:
        quiet: log warnings and errors only.
        fmt: ``text`` or ``json``.

    Raises:
        ValueError: ``fmt`` is not one of :data:`FORMATS`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"log format {fmt!r} is not one of {FORMATS}")
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
        )
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO, handlers=[handler], force=True
    )
    for noisy in _NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    _state["format"] = fmt


def interactive() -> bool:
    """True when log lines go as text to a terminal, where a progress line may redraw itself."""
    return _state["format"] == "text" and sys.stderr.isatty()
