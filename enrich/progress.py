"""Where a long run is: rows done of the total, rows and tokens per second, time left.

The generation stage adds every batch's rows and tokens to Spark accumulators (:class:`Counters`);
Spark hands a task's additions to the driver only when the task finishes, and with a real model a
task takes minutes. So the workers also send their running counts, as rows finish generating (at
most once a second), to a small UDP listener on the driver (:class:`LiveListener`), keyed by stage,
partition and attempt so that a retried task replaces its failed attempt's counts. Progress takes
the larger of the two: the live counts while tasks run, the accumulators where a datagram was lost
or the driver cannot be reached from the executors (a firewall), in which case the figures move as
tasks finish, as before. While a task's rows are generated, a driver thread
(:func:`track_generation`) reads both and Spark's status tracker every
``progress.interval_seconds`` and reports one line, e.g.::

    description: 1200/2000 rows (60%), 9.8 rows/s, 412 tokens/s, ~1m 22s left [stage 14: 5/8 tasks]

On a terminal the line is redrawn in place; elsewhere (a cluster's driver log, a file, JSON
logs) each report is a log line of its own that carries the figures as fields (see
:mod:`enrich.logs`). The same code runs locally and on a cluster.
"""

from __future__ import annotations

import json
import logging
import secrets
import socket
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


# The listeners open on this driver, by key: track_generation finds a run's from its Counters.
_LISTENING: dict[str, "LiveListener"] = {}


class LiveListener:
    """Driver side: receives the workers' running counts of one run over UDP.

    Each datagram carries the run's random key, a task attempt's (stage, partition, attempt) and
    that attempt's rows and tokens so far; the latest attempt of each (stage, partition) counts.

    Args:
        advertise: the host name or address the executors reach the driver at.
    """

    def __init__(self, advertise: str) -> None:
        self.key = secrets.token_hex(8)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("0.0.0.0", 0))
        self._sock.settimeout(0.5)
        self.address = (advertise, self._sock.getsockname()[1])
        self._latest: dict[tuple[int, int], tuple[int, int, int]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._receive, name="progress-live", daemon=True)
        self._thread.start()
        _LISTENING[self.key] = self

    @classmethod
    def start(cls, sc) -> "LiveListener | None":
        """A listener at the driver's host (``spark.driver.host``), or None where no UDP port
        can be opened (progress then moves as tasks finish)."""
        host = sc.getConf().get("spark.driver.host") or socket.gethostname()
        try:
            return cls(host)
        except OSError as exc:
            log.warning("no live progress (cannot open a UDP port: %s); rows are counted as "
                        "generation tasks finish", exc)
            return None

    def _receive(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._sock.recv(4096)
            except (socket.timeout, OSError):
                continue
            try:
                message = json.loads(data)
                if message.get("key") != self.key:
                    continue  # not this run's: another run's worker, or noise
                where = (int(message["stage"]), int(message["partition"]))
                count = (int(message["attempt"]), int(message["rows"]), int(message["tokens"]))
            except (ValueError, KeyError, TypeError):
                continue
            with self._lock:
                if count[0] >= self._latest.get(where, (-1, 0, 0))[0]:
                    self._latest[where] = count

    def values(self) -> tuple[int, int]:
        """Rows and tokens the workers reported so far, over every stage of the run."""
        with self._lock:
            counts = list(self._latest.values())
        return sum(c[1] for c in counts), sum(c[2] for c in counts)

    def close(self) -> None:
        """Stop receiving and free the port."""
        _LISTENING.pop(self.key, None)
        self._stop.set()
        self._thread.join()
        self._sock.close()


class LiveSender:
    """Worker side: sends one task attempt's running rows and tokens to the driver's listener,
    at most once a second unless told to."""

    INTERVAL = 1.0

    def __init__(self, address: tuple[str, int], key: str) -> None:
        from pyspark import TaskContext

        context = TaskContext.get()
        self._where = (
            (context.stageId(), context.partitionId(), context.attemptNumber())
            if context is not None else (0, 0, 0)
        )
        self._address, self._key = tuple(address), key
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sent = 0.0

    def send(self, rows: int, tokens: int, *, now: bool = False) -> None:
        """Report this attempt's rows and tokens so far."""
        if not now and time.monotonic() - self._sent < self.INTERVAL:
            return
        stage, partition, attempt = self._where
        message = {"key": self._key, "stage": stage, "partition": partition, "attempt": attempt,
                   "rows": rows, "tokens": tokens}
        try:
            self._sock.sendto(json.dumps(message).encode(), self._address)
        except OSError as exc:
            # Best effort by design: the accumulators still count this task when it finishes.
            log.debug("live progress not sent: %s", exc)
        self._sent = time.monotonic()


@dataclass(frozen=True)
class Counters:
    """Accumulators the workers add each generated batch to: rows, prompt and output tokens;
    and where to send running counts (``live``: the driver listener's host, port and key)."""

    rows: object
    prompt_tokens: object
    output_tokens: object
    live: tuple[str, int, str] | None = None

    @classmethod
    def create(cls, sc, listener: LiveListener | None = None) -> "Counters":
        """Three zeroed accumulators of the SparkContext ``sc`` (on the driver), and the address
        of ``listener`` for running counts."""
        live = (*listener.address, listener.key) if listener is not None else None
        return cls(sc.accumulator(0), sc.accumulator(0), sc.accumulator(0), live)

    def sender(self) -> LiveSender | None:
        """A sender of running counts to the driver (in a worker), or None without a listener."""
        return LiveSender(self.live[:2], self.live[2]) if self.live else None

    def add_batch(self, out: pd.DataFrame) -> int:
        """Count one batch of output rows (in a worker); return its tokens."""
        self.rows.add(len(out))
        tokens = 0
        for accumulator, column in (
            (self.prompt_tokens, S.PROMPT_TOKENS), (self.output_tokens, S.OUTPUT_TOKENS),
        ):
            if column in out:
                counted = int(pd.to_numeric(out[column], errors="coerce").fillna(0).sum())
                accumulator.add(counted)
                tokens += counted
        return tokens

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
            left = "time left unknown until a row is done"
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
    listener = _LISTENING.get(counters.live[2]) if counters.live else None

    def counted() -> tuple[int, int]:
        done = counters.values()
        if listener is None:
            return done
        live = listener.values()
        return max(done[0], live[0]), max(done[1], live[1])

    start_rows, start_tokens = counted()
    started = clock()
    stop = threading.Event()

    def snapshot(stages=()) -> Snapshot:
        rows, tokens = counted()
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
