"""The run log, ``enrichment_runs``: one row per finished run of any job, read back for resumes,
plans and rollbacks.

A run appends its row when it ends, failed runs included. A run killed outright leaves no row;
its chunks committed to the output tables carry its run id in their Delta commit metadata, which
is how the next run finds it (see :func:`interrupted_runs`).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from enrich import schemas as S
from enrich.config import JobConfig
from enrich.tables import append, commit_markers, ensure_table, is_delta_table, read_table

RUNS = "enrichment_runs"


def utc_now() -> datetime:
    """Now, in UTC, as the naive timestamp Spark stores."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def ensure_run_log(spark: SparkSession, cfg: JobConfig) -> None:
    """Create (or upgrade) and register the run log table."""
    ensure_table(spark, cfg.warehouse.table(RUNS), S.ENRICHMENT_RUNS_SCHEMA)


def record_run(spark: SparkSession, cfg: JobConfig, **fields) -> None:
    """Append one run's row; columns not given are null, ``options`` may be a dict.

    Args:
        spark: the session.
        cfg: the job configuration (its hash is recorded).
        **fields: column values of :data:`enrich.schemas.ENRICHMENT_RUNS_SCHEMA`.
    """
    row = {f.name: None for f in S.ENRICHMENT_RUNS_SCHEMA.fields}
    row["config_hash"] = cfg.fingerprint()
    row["finished_at"] = utc_now()
    unknown = set(fields) - set(row)
    if unknown:
        raise ValueError(f"enrichment_runs has no columns {sorted(unknown)}")
    row.update(fields)
    if isinstance(row["options"], dict):
        row["options"] = json.dumps(row["options"], sort_keys=True, default=str)
    append(spark.createDataFrame([row], S.ENRICHMENT_RUNS_SCHEMA), cfg.warehouse.table(RUNS))


def run_row(spark: SparkSession, cfg: JobConfig, run_id: str):
    """The run log's row of ``run_id``, or None."""
    path = cfg.warehouse.table(RUNS)
    if not is_delta_table(spark, path):
        return None
    return read_table(spark, path).where(F.col(S.RUN_ID) == run_id).first()


def interrupted_runs(spark: SparkSession, cfg: JobConfig, table: str) -> dict[str, int]:
    """Runs that committed chunks to ``table`` but never recorded an end: run id -> chunks.

    Such a run was killed (or is still running somewhere else); its committed chunks are
    complete and stay, and the next selection finds their rows done.
    """
    path = cfg.warehouse.table(table)
    if not is_delta_table(spark, path):
        return {}
    chunks: dict[str, int] = {}
    for marker in commit_markers(spark, path):
        run = marker.get("run_id")
        if run and marker.get("chunk") is not None:
            chunks[run] = chunks.get(run, 0) + 1
    if not chunks:
        return {}
    runs_path = cfg.warehouse.table(RUNS)
    finished = set()
    if is_delta_table(spark, runs_path):
        finished = {
            r[S.RUN_ID]
            for r in read_table(spark, runs_path)
            .where(F.col(S.RUN_ID).isin(list(chunks)))
            .select(S.RUN_ID)
            .collect()
        }
    return {run: n for run, n in sorted(chunks.items()) if run not in finished}
