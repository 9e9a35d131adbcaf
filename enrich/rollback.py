"""Rollback: put the output tables back as a run left them, with Delta RESTORE.

``--to-run RUN_ID`` restores every output table the run wrote to its version right after that
run (``table_versions_after`` in ``enrichment_runs``); ``--to-version N --table T`` restores one
table. RESTORE is itself a commit, so the history keeps everything and a rollback can be undone
the same way. Each rollback is recorded in ``enrichment_runs`` (job ``rollback``).
"""

from __future__ import annotations

import logging
import time

from pyspark.sql import SparkSession

from enrich.config import JobConfig, check_identifiers
from enrich.enrichment import new_run_id
from enrich.faults import fault_point
from enrich.runlog import ensure_run_log, record_run, run_row, utc_now
from enrich.tables import TableError, is_delta_table, restore_table, table_version

log = logging.getLogger(__name__)


def rollback(
    spark: SparkSession,
    cfg: JobConfig,
    *,
    to_run: str | None = None,
    to_version: int | None = None,
    table: str | None = None,
) -> dict[str, tuple[int, int]]:
    """Restore output tables; return ``{table: (version before, version restored to)}``.

    Args:
        spark: the session.
        cfg: the job configuration.
        to_run: restore every table the run wrote to the version it left.
        to_version: restore ``table`` to this Delta version.
        table: the table for ``to_version``.

    Raises:
        TableError: the run or table is unknown, the run wrote nothing, or the version is gone.
    """
    if (to_run is None) == (to_version is None):
        raise TableError("give exactly one of --to-run RUN_ID or --to-version N (with --table)")
    if to_version is not None and not table:
        raise TableError("--to-version needs --table, the output table to restore")
    if table is not None:
        try:
            check_identifiers([table], "table name")
        except ValueError as exc:
            raise TableError(str(exc)) from exc
    ensure_run_log(spark, cfg)
    if to_run is not None:
        row = run_row(spark, cfg, to_run)
        if row is None:
            raise TableError(
                f"run {to_run} is not in enrichment_runs; list runs with "
                "`catalog-enrich sql \"SELECT run_id, job, status FROM enrichment_runs\"`"
            )
        targets = dict(row["table_versions_after"] or {})
        if not targets:
            raise TableError(f"run {to_run} recorded no output table versions to restore")
    else:
        targets = {table: to_version}
    started_at, started = utc_now(), time.perf_counter()
    done: dict[str, tuple[int, int]] = {}
    for name, version in sorted(targets.items()):
        path = cfg.warehouse.table(name)
        if not is_delta_table(spark, path):
            raise TableError(f"no Delta table {name} at {path}")
        before = table_version(spark, path)
        restore_table(spark, path, int(version))
        fault_point("restored")
        done[name] = (before, int(version))
        log.info("restored %s from version %d to %d", name, before, version)
    record_run(
        spark, cfg, run_id=new_run_id(), job="rollback", mode="rollback",
        started_at=started_at, duration_seconds=round(time.perf_counter() - started, 3),
        status="succeeded",
        options={"to_run": to_run, "to_version": to_version, "table": table},
        table_versions_before={n: b for n, (b, _) in done.items()},
        table_versions_after={n: table_version(spark, cfg.warehouse.table(n)) for n in done},
    )
    return done
