"""Fault injection for the crash tests: kill the job for real at a named point.

Set ``CATALOG_ENRICH_FAULT=<point>[@<n>][:<how>]`` in the job's environment. At the ``n``-th time
(default 1) the named point is reached in a process, the fault fires:

- ``kill`` (default): SIGKILL to the job's driver, JVM and Python workers, as when a node dies;
  nothing gets to clean up. The job must run in a session of its own (``setsid``, or
  ``start_new_session=True`` in :mod:`subprocess`), as the crash tests start it.
- ``worker-exit``: the Python worker that reaches the point exits at once (``os._exit``), as
  when it is killed for memory; Spark sees a lost task and retries it. With
  ``CATALOG_ENRICH_FAULT_ONCE=<file>`` only the first process to create that file fires.
- ``executor-kill``: SIGKILL to the executor JVM that runs the Python worker reaching the point
  (the parent of the worker's ``pyspark.daemon``), as when an executor's node is lost; meant for a
  ``local-cluster`` master, where Spark starts a new executor and retries the task (under a
  ``local`` master that JVM is the driver's). Linux only (it reads ``/proc``).

Points:

- ``generate``: a worker, before a batch is generated;
- ``staged``: the driver, after a chunk's rows are written to staging, before its MERGE;
- ``merge``: the driver, while a chunk's MERGE runs (the kill comes ``CATALOG_ENRICH_FAULT_DELAY``
  seconds, default 1, after it starts);
- ``merged``: the driver, after a chunk's MERGE commits, before the next step;
- ``convert``: while the embedded base is being converted (delayed like ``merge``);
- ``published``: after a new model version's folder is renamed into place, before CURRENT moves;
- ``restored``: during ``rollback``, after a table is restored, before the next one or the record;
- ``source-written``: during ``demo-data`` or ``import``, after a source table is written.

Unset, every call is a dictionary lookup; the job never sets the variable itself.
"""

from __future__ import annotations

import os
import signal
import threading

ENV = "CATALOG_ENRICH_FAULT"
ONCE_ENV = "CATALOG_ENRICH_FAULT_ONCE"
DELAY_ENV = "CATALOG_ENRICH_FAULT_DELAY"

_hits: dict[str, int] = {}


def _parse(text: str) -> tuple[str, int, str]:
    point, _, how = text.partition(":")
    point, _, nth = point.partition("@")
    return point.strip(), int(nth or 1), (how.strip() or "kill")


def _armed(point: str) -> str | None:
    spec = os.environ.get(ENV)
    if not spec:
        return None
    name, nth, how = _parse(spec)
    if name != point:
        return None
    _hits[point] = _hits.get(point, 0) + 1
    if _hits[point] != nth:
        return None
    once = os.environ.get(ONCE_ENV)
    if once:
        try:
            os.close(os.open(once, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return None
    return how


def _parent_of(pid: int) -> int:
    # Field 4 of /proc/<pid>/stat; the command name before it is in parentheses and may hold spaces.
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])


def _fire(how: str) -> None:
    if how == "worker-exit":
        os._exit(17)
    if how == "executor-kill":
        os.kill(_parent_of(os.getppid()), signal.SIGKILL)
        os._exit(17)
    # The job is started in a session of its own; Spark's Python daemon moves its workers into a
    # process group of their own inside it. Kill the session's first group (driver and JVM),
    # then this process's group (the workers, when it is one).
    os.killpg(os.getsid(0), signal.SIGKILL)
    os.killpg(os.getpgid(0), signal.SIGKILL)


def fault_point(point: str) -> None:
    """Fire the configured fault if ``point`` is the one armed (see the module docstring)."""
    how = _armed(point)
    if how is not None:
        _fire(how)


def fault_after_delay(point: str) -> None:
    """Fire the configured fault ``CATALOG_ENRICH_FAULT_DELAY`` seconds from now, if armed."""
    how = _armed(point)
    if how is not None:
        delay = float(os.environ.get(DELAY_ENV, "1"))
        timer = threading.Timer(delay, _fire, args=(how,))
        timer.daemon = True
        timer.start()
