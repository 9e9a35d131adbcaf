"""Where a long run is: rows done of the total, rows and tokens per second, time left.

The generation stage adds every batch's rows and tokens to Spark accumulators (:class:`Counters`);
Spark hands a task's additions to the driver when the task finishes, so the figures move as
generation tasks complete (more generation partitions give finer steps). While a task's rows are
generated, a driver thread (:func:`track_generation`) polls the accumulators and Spark's status
tracker every ``progress.interval_seconds`` and reports one line, e.g.::

    description: 1200/2000 rows (60%), 9.8 rows/s, 412 tokens/s, ~1m 22s left [stage 14: 5/8 tasks]

On a terminal the line is redrawn in place; elsewhere (a cluster's driver log, a file, JSON
logs) each report is a log line of its own that carries the figures as fields (see
:mod:`enrich.logs`). The same code runs locally and on a cluster.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd

from enrich import logs
from enrich import schemas as S

log = logging.getLogger(__name__)

STAGE = "generate"


def duration(seconds: float) -> str:
    """``95.2`` -> ``1m 35s``; ``4000`` -> ``1h 06m 40s``."""
    hours, rest = divmod(int(round(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m {secs:02d}s"
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


@dataclass(frozen=True)
class Counters:
    """Accumulators the workers add each generated batch to: rows, prompt and output tokens."""

    rows: object
    prompt_tokens: object
    output_tokens: object

    @classmethod
    def create(cls, sc) -> "Counters":
        """Three zeroed accumulators of the SparkContext ``sc`` (on the driver)."""
        return cls(sc.accumulator(0), sc.accumulator(0), sc.accumulator(0))

    def add_batch(self, out: pd.DataFrame) -> None:
        """Count one batch of output rows (in a worker)."""
        self.rows.add(len(out))
        for accumulator, column in (
            (self.prompt_tokens, S.PROMPT_TOKENS), (self.output_tokens, S.OUTPUT_TOKENS),
        ):
            if column in out:
                accumulator.add(int(pd.to_numeric(out[column], errors="coerce").fillna(0).sum()))

    def values(self) -> tuple[int, int]:
        """Rows and tokens (prompt + output) counted so far (on the driver)."""
        return self.rows.value, self.prompt_tokens.value + self.output_tokens.value


@dataclass(frozen=True)
class Snapshot:
    """The figures of one progress report."""

    task: str
    rows: int
    total: int
    tokens: int
    seconds: float
    stages: tuple[tuple[int, int, int], ...] = ()  # (stage id, tasks done, tasks)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        """Time left at the rate so far; None until a row is done."""
        if not self.rows or not self.rows_per_second:
            return None
        return max(self.total - self.rows, 0) / self.rows_per_second

    def line(self) -> str:
        """The report as one line of text."""
        share = f" ({100 * self.rows / self.total:.0f}%)" if self.total else ""
        eta = self.eta_seconds
        if self.total and self.rows >= self.total:
            left = f"done in {duration(self.seconds)}"
        elif eta is None:
            left = "time left unknown until a task finishes"
        else:
            left = f"~{duration(eta)} left"
        text = (
            f"{self.task}: {self.rows}/{self.total} rows{share}, "
            f"{self.rows_per_second:.1f} rows/s, "
            f"{self.tokens_per_second:.0f} tokens/s, {left}"
        )
        stages = ", ".join(f"stage {i}: {done}/{n} tasks" for i, done, n in self.stages)
        return f"{text} [{stages}]" if stages else text

    def fields(self) -> dict:
        """The figures as structured log fields (see :data:`enrich.logs.FIELDS`)."""
        eta = self.eta_seconds
        return {
            "task": self.task,
            "stage": STAGE,
            "rows": self.rows,
            "total": self.total,
            "tokens": self.tokens,
            "seconds": round(self.seconds, 1),
            "rows_per_second": round(self.rows_per_second, 2),
            "tokens_per_second": round(self.tokens_per_second, 1),
            "eta_seconds": None if eta is None else round(eta, 1),
            "stage_tasks": [list(s) for s in self.stages],
        }


def active_stages(sc) -> tuple[tuple[int, int, int], ...]:
    """(stage id, tasks done, tasks) of every running Spark stage, from the status tracker."""
    tracker = sc.statusTracker()
    stages = []
    for stage_id in sorted(tracker.getActiveStageIds()):
        info = tracker.getStageInfo(stage_id)
        if info is not None:
            stages.append((stage_id, info.numCompletedTasks, info.numTasks))
    return tuple(stages)


class _Reporter:
    """Writes snapshots: redrawn in place on a terminal, as log lines elsewhere."""

    def __init__(self, run_id: str, *, in_place: bool):
        self.run_id = run_id
        self.in_place = in_place
        self._width = 0

    def report(self, snapshot: Snapshot, *, final: bool = False) -> None:
        text = snapshot.line()
        if self.in_place:
            sys.stderr.write("\r" + text.ljust(self._width) + ("\n" if final else ""))
            sys.stderr.flush()
            self._width = 0 if final else len(text)
            return
        log.info(text, extra={"run_id": self.run_id, **snapshot.fields()})


@contextmanager
def track_generation(
    sc,
    counters: Counters,
    *,
    task: str,
    total: int,
    run_id: str,
    interval: float,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[None]:
    """Report the progress of ``task``'s generation while the block runs, and a last line after.

    Args:
        sc: the SparkContext (its status tracker gives the running stages).
        counters: the accumulators the generation stage adds to.
        task: the task's name, shown on each line.
        total: rows to generate in the block.
        run_id: the run's id, carried by every log line.
        interval: seconds between reports; 0 reports nothing.
        clock: seconds, for tests.

    Example:
        >>> with track_generation(sc, counters, task="description", total=2000,
        ...                       run_id=run_id, interval=10):
        ...     generate_stage(work, task=task, ctx=ctx, counters=counters).write.save(staging)
    """
    if interval <= 0:
        yield
        return
    reporter = _Reporter(run_id, in_place=logs.interactive())
    start_rows, start_tokens = counters.values()
    started = clock()
    stop = threading.Event()

    def snapshot(stages=()) -> Snapshot:
        rows, tokens = counters.values()
        return Snapshot(
            task, rows - start_rows, total, tokens - start_tokens, clock() - started, stages
        )

    def poll() -> None:
        while not stop.wait(interval):
            reporter.report(snapshot(active_stages(sc)))

    thread = threading.Thread(target=poll, name=f"progress-{task}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        reporter.report(snapshot(), final=True)
