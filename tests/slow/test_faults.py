"""Crash tests of the backfill: real SIGKILLs at several points, a Python worker that dies, and two
backfills at once. After each, the same command again must leave the output table equal, row for
row, to the table of a run that was never interrupted (run ids and times aside), one row per key.

Every job here is a separate `jobs/backfill.py` process in its own process group, so a kill takes
the driver, its JVM and its Python workers down together, as a lost node would.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from enrich import schemas as S
from enrich.demo import create_demo_catalog
from enrich.enrichment import run_enrichment
from enrich.model.train import train_model
from enrich.tables import read_table
from tests.conftest import REPO, config_args, job_config

pytestmark = pytest.mark.slow

TABLE = "product_descriptions"
# Volatile by nature: which run wrote the row, when, and how long it took.
IGNORED = {S.RUN_ID, S.GENERATED_AT, S.GENERATION_SECONDS, S.GPU_SECONDS}
SETTINGS = ["writes.chunk_rows=12", "tasks.review_summary.enabled=false"]


@pytest.fixture(scope="module")
def prepared(spark, built, tmp_path_factory):
    """A catalog enriched with v1 and a registry where v2 is trained and current."""
    root = tmp_path_factory.mktemp("prepared")
    shutil.copytree(built.model.registry, root / "models")
    cfg = job_config(root, *SETTINGS)
    create_demo_catalog(spark, cfg.warehouse, cfg.demo)
    run_enrichment(spark, cfg.model_copy(update={"model": cfg.model.model_copy(update={"version": "v1"})}))
    assert train_model(spark, job_config(root, *SETTINGS, "model.lora.steps=3")) == "v2"
    return root


def copy_of(prepared: Path, tmp_path: Path):
    root = tmp_path / "job"
    shutil.copytree(prepared, root, ignore=shutil.ignore_patterns("_staging", "_spark_catalog"))
    return job_config(root, *SETTINGS)


def start(cfg, *extra: str, fault: str | None = None, **env_extra: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CATALOG_ENRICH_FAULT")}
    env["PYTHONPATH"] = str(REPO)
    if fault:
        env["CATALOG_ENRICH_FAULT"] = fault
    env.update(env_extra)
    command = [sys.executable, str(REPO / "jobs" / "backfill.py"), "--model", "v2", "-q",
               *config_args(cfg), *extra]
    return subprocess.Popen(command, cwd=REPO, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=900)
    return process.returncode, out + err


def _plain(value):
    # A batch of other rows can move the last float digits of a log-probability (padding);
    # texts, statuses and tokens must match exactly.
    return round(value, 4) if isinstance(value, float) else value


def table_rows(spark, cfg) -> list[tuple]:
    frame = read_table(spark, cfg.warehouse.table(TABLE))
    keep = [c for c in frame.columns if c not in IGNORED]
    return sorted(tuple(_plain(v) for v in r) for r in frame.select(*keep).collect())


@pytest.fixture(scope="module")
def reference(spark, prepared, tmp_path_factory):
    """The table an uninterrupted backfill leaves."""
    cfg = copy_of(prepared, tmp_path_factory.mktemp("reference"))
    code, log = finish(start(cfg))
    assert code == 0, log
    rows = table_rows(spark, cfg)
    assert len({r[0] for r in rows}) == len(rows) == cfg.demo.products
    versions = read_table(spark, cfg.warehouse.table(TABLE)).select(S.MODEL_VERSION).distinct()
    assert [r[0] for r in versions.collect()] == ["catalog-enrich:v2"]
    return rows


def assert_converges(spark, cfg, reference):
    code, log = finish(start(cfg))
    assert code == 0, log
    rows = table_rows(spark, cfg)
    keys = [r[0] for r in rows]
    assert len(keys) == len(set(keys)), "duplicate keys"
    assert rows == reference
    return log


@pytest.mark.parametrize(
    "fault",
    [
        "generate@2",  # a worker, in the middle of generating the second chunk
        "staged@2",  # the driver, after chunk 2 is staged, before its MERGE
        "merge@2",  # the driver, while chunk 2's MERGE runs
        "merged@1",  # the driver, after chunk 1's MERGE commits, before anything records it
        "merged@4",  # after the last chunk's MERGE, before the run is logged
    ],
)
def test_killed_backfill_resumes_to_the_same_table(spark, prepared, reference, tmp_path, fault):
    cfg = copy_of(prepared, tmp_path)
    code, log = finish(start(cfg, fault=fault, CATALOG_ENRICH_FAULT_DELAY="0.5"))
    assert code == -signal.SIGKILL, f"the fault {fault} never fired:\n{log}"
    rows = table_rows(spark, cfg)
    keys = [r[0] for r in rows]
    assert len(keys) == len(set(keys)) == cfg.demo.products  # a consumer sees every row once
    log = assert_converges(spark, cfg, reference)
    if not fault.startswith("generate"):  # chunk 1 was committed before these points
        assert "stopped without finishing" in log, log


def test_a_python_worker_that_dies_mid_partition_is_retried(spark, prepared, reference, tmp_path):
    cfg = copy_of(prepared, tmp_path)
    once = tmp_path / "fired"
    process = start(
        cfg, "--set", "spark.master=local[2,4]",
        fault="generate@1:worker-exit", CATALOG_ENRICH_FAULT_ONCE=str(once),
    )
    code, log = finish(process)
    assert once.exists(), "no worker died"
    assert code == 0, log
    rows = table_rows(spark, cfg)
    assert rows == reference


def test_two_backfills_at_once_leave_one_row_per_key(spark, prepared, reference, tmp_path):
    cfg = copy_of(prepared, tmp_path)
    first, second = start(cfg), start(cfg)
    results = [finish(first), finish(second)]
    for code, log in results:
        assert code == 0 or (code == 2 and "another job kept writing" in log), log
    assert any(code == 0 for code, _ in results)
    assert table_rows(spark, cfg) == reference
