"""Crash tests: real SIGKILLs at eleven points of the backfill, the model's base conversion and
publishing, rollback and the source writers; an executor JVM and a Python worker that die; two
backfills at once; another writer on the output table and a source that changes during a run.
After each kill, the same command again must leave the tables equal, row for row, to those of a
run that was never interrupted (run ids and times aside), one row per key, and no model version
that was not whole is ever used.

Every job here is a separate process in its own process group, so a kill takes the driver, its
JVM and its Python workers down together, as a lost node would.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from enrich import schemas as S
from enrich.demo import create_demo_catalog
from enrich.enrichment import run_enrichment
from enrich.model.registry import BASE_MANIFEST, STAGING, Registry, folder_digest
from enrich.model.train import train_model
from enrich.selection import chunk_count, chunk_of
from enrich.tables import read_table, table_version
from tests.conftest import DATA, REPO, config_args, job_config

pytestmark = pytest.mark.slow

TABLE = "product_descriptions"
# Volatile by nature: which run wrote the row, when, and how long it took.
IGNORED = {S.RUN_ID, S.GENERATED_AT, S.GENERATION_SECONDS, S.GPU_SECONDS}
# float32: the runs here are compared row for row with a reference run cut into other chunks,
# and in bfloat16 a row's wording can depend on the rows batched with it.
SETTINGS = ["writes.chunk_rows=12", "tasks.review_summary.enabled=false",
            "model.compute_dtype=float32"]


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


def copy_of(prepared: Path, tmp_path: Path, *extra: str):
    root = tmp_path / "job"
    shutil.copytree(prepared, root, ignore=shutil.ignore_patterns("_staging", "_spark_catalog"))
    return job_config(root, *SETTINGS, *extra)


def root_of(cfg) -> Path:
    return Path(cfg.warehouse.root).parent


def launch(argv: list[str], *, fault: str | None = None, **env_extra: str) -> subprocess.Popen:
    """``argv`` in a session of its own, with ``fault`` armed (see :mod:`enrich.faults`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CATALOG_ENRICH_FAULT")}
    env["PYTHONPATH"] = str(REPO)
    if fault:
        env["CATALOG_ENRICH_FAULT"] = fault
    env.update(env_extra)
    return subprocess.Popen(argv, cwd=REPO, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def start(cfg, *extra: str, model: str = "v2", fault: str | None = None, **env_extra: str):
    """The backfill job, as spark-submit would run it."""
    command = [sys.executable, str(REPO / "jobs" / "backfill.py"), "--model", model, "-q",
               *config_args(cfg), *extra]
    return launch(command, fault=fault, **env_extra)


CLI = "import sys; from enrich.cli import main; sys.exit(main(sys.argv[1:]))"


def cli(cfg, command: str, *extra: str, fault: str | None = None, **env_extra: str):
    """A ``catalog-enrich`` command."""
    argv = [sys.executable, "-c", CLI, command, "-q", *config_args(cfg), *extra]
    return launch(argv, fault=fault, **env_extra)


def finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=900)
    return process.returncode, out + err


def killed(process: subprocess.Popen, fault: str) -> None:
    code, log = finish(process)
    assert code == -signal.SIGKILL, f"the fault {fault} never fired:\n{log}"


def succeeds(process: subprocess.Popen) -> str:
    code, log = finish(process)
    assert code == 0, log
    return log


def _plain(value):
    # A batch of other rows can move the last float digits of a log-probability (padding);
    # texts, statuses and tokens must match exactly.
    return round(value, 4) if isinstance(value, float) else value


def table_rows(spark, cfg) -> list[tuple]:
    frame = read_table(spark, cfg.warehouse.table(TABLE))
    keep = [c for c in frame.columns if c not in IGNORED]
    return sorted(tuple(_plain(v) for v in r) for r in frame.select(*keep).collect())


def source_rows(spark, cfg) -> dict[str, list[str]]:
    return {
        table: sorted(json.dumps(r.asDict(recursive=True), sort_keys=True, default=str)
                      for r in read_table(spark, cfg.warehouse.table(table)).collect())
        for table in ("products", "reviews")
    }


@pytest.fixture(scope="module")
def v1_rows(spark, prepared):
    """The table as the v1 run left it."""
    return table_rows(spark, job_config(prepared, *SETTINGS))


@pytest.fixture(scope="module")
def backfilled(spark, prepared, tmp_path_factory):
    """A copy of ``prepared`` after an uninterrupted backfill to v2."""
    cfg = copy_of(prepared, tmp_path_factory.mktemp("reference"))
    succeeds(start(cfg))
    return root_of(cfg)


@pytest.fixture(scope="module")
def reference(spark, backfilled):
    """The table an uninterrupted backfill leaves."""
    cfg = job_config(backfilled, *SETTINGS)
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


# Kill points outside the backfill's chunks ------------------------------------------------------

CONVERT = (
    "import sys; from pathlib import Path; from enrich.model.embedded import prepare_embedded; "
    "from enrich.model.registry import Registry; prepare_embedded(Registry(Path(sys.argv[1]), 'm'))"
)


def bases(registry: Path) -> list[Path]:
    return sorted((registry / "m" / "bases").iterdir())


def test_a_base_conversion_killed_midway_is_redone_whole(tmp_path):
    convert = [sys.executable, "-c", CONVERT]
    succeeds(launch([*convert, str(tmp_path / "reference")]))
    (reference,) = bases(tmp_path / "reference")
    target = tmp_path / "killed"
    killed(launch([*convert, str(target)], fault="convert", CATALOG_ENRICH_FAULT_DELAY="2"),
           "convert")
    assert all(p.name.startswith(STAGING) for p in bases(target))  # nothing that looks whole
    succeeds(launch([*convert, str(target)]))
    (folder,) = bases(target)  # the half-written one is gone
    assert folder.name == reference.name
    # The same files as a conversion never interrupted (base.json also records the time).
    assert folder_digest(folder, exclude=(BASE_MANIFEST,)) == folder_digest(
        reference, exclude=(BASE_MANIFEST,))


def test_a_publish_killed_before_current_moves_keeps_the_job_on_the_last_version(
    spark, prepared, reference, tmp_path
):
    cfg = copy_of(prepared, tmp_path, "model.lora.steps=3")
    killed(cli(cfg, "train", fault="published"), "published")
    registry = Registry(cfg.model.registry, cfg.model.name)
    assert registry.versions() == ["v1", "v2", "v3"] and registry.current() == "v2"
    registry.verify("v3")  # renamed into place only when whole
    succeeds(start(cfg, model="current"))
    assert table_rows(spark, cfg) == reference  # the job went on with v2
    succeeds(cli(cfg, "train"))
    assert registry.current() == "v4"
    registry.verify("v4")


def test_a_rollback_killed_after_a_restore_reruns_to_the_same_table(
    spark, backfilled, v1_rows, tmp_path
):
    cfg = copy_of(backfilled, tmp_path)
    runs = read_table(spark, cfg.warehouse.table("enrichment_runs"))
    (v1_run,) = [r.run_id for r in runs.where("model_version = 'catalog-enrich:v1'").collect()]
    killed(cli(cfg, "rollback", "--to-run", v1_run, fault="restored"), "restored")
    succeeds(cli(cfg, "rollback", "--to-run", v1_run))
    assert table_rows(spark, cfg) == v1_rows
    rollbacks = read_table(spark, cfg.warehouse.table("enrichment_runs")).where("job = 'rollback'")
    assert [r.status for r in rollbacks.collect()] == ["succeeded"]


@pytest.mark.parametrize(
    "command", [["demo-data"], ["import", "copycat", str(DATA / "copycat")]], ids=["demo", "import"]
)
def test_a_source_write_killed_between_tables_reruns_to_the_same_catalog(spark, tmp_path, command):
    for name in ("reference", "killed"):
        (tmp_path / name).mkdir()
    reference = job_config(tmp_path / "reference")
    succeeds(cli(reference, *command))
    cfg = job_config(tmp_path / "killed")
    killed(cli(cfg, *command, fault="source-written@1"), "source-written@1")
    succeeds(cli(cfg, *command))
    assert source_rows(spark, cfg) == source_rows(spark, reference)


def test_an_executor_killed_mid_task_is_replaced_and_the_merge_stays_exactly_once(
    spark, prepared, reference, tmp_path
):
    cfg = copy_of(prepared, tmp_path)
    once = tmp_path / "fired"
    process = start(
        cfg, "--set", "spark.master=local-cluster[2,1,1024]",
        fault="generate@1:executor-kill", CATALOG_ENRICH_FAULT_ONCE=str(once),
        PYSPARK_PYTHON=sys.executable,
    )
    log = succeeds(process)
    assert once.exists(), "no executor was killed"
    assert table_rows(spark, cfg) == reference, log


# Other writers and changing sources during a run --------------------------------------------------


def wait_for_commit(process: subprocess.Popen, spark, table, after: int) -> None:
    """Block until ``table`` has a version past ``after`` (the run's first chunk committed)."""
    deadline = time.monotonic() + 600
    while table_version(spark, table) <= after:
        assert process.poll() is None, finish(process)[1]
        assert time.monotonic() < deadline, "the run committed nothing in 10 minutes"
        time.sleep(0.5)


def history(spark, table) -> list[tuple[int, str]]:
    rows = spark.sql(f"DESCRIBE HISTORY delta.`{table.location}`").collect()
    return sorted((r.version, r.operation) for r in rows)


def test_optimize_vacuum_and_another_engines_append_during_a_run(
    spark, prepared, reference, tmp_path
):
    import pyarrow as pa
    from deltalake import DeltaTable, write_deltalake

    cfg = copy_of(prepared, tmp_path)
    table = cfg.warehouse.table(TABLE)
    before = table_version(spark, table)
    process = start(cfg, "--set", "writes.chunk_rows=4")  # ten chunks: time to act between them
    wait_for_commit(process, spark, table, before)
    spark.sql(f"OPTIMIZE delta.`{table.location}`")
    foreign = DeltaTable(table.location).to_pyarrow_table().slice(0, 1)
    foreign = foreign.set_column(
        foreign.schema.get_field_index(S.PRODUCT_ID), S.PRODUCT_ID, pa.array(["EXT-1"]))
    write_deltalake(table.location, foreign, mode="append")
    spark.sql(f"VACUUM delta.`{table.location}`")
    outside = table_version(spark, table)
    succeeds(process)
    rows = table_rows(spark, cfg)
    assert [r for r in rows if r[0] != "EXT-1"] == reference
    assert [r[0] for r in rows].count("EXT-1") == 1  # the other engine's row is kept, once
    merges = [v for v, op in history(spark, table) if op == "MERGE"]
    assert merges[-1] > outside, "the run had finished before the other writers acted"


def test_a_source_changed_mid_run_is_read_at_the_run_start_and_picked_up_by_the_next_run(
    spark, prepared, reference, tmp_path
):
    cfg = copy_of(prepared, tmp_path)
    table, products = cfg.warehouse.table(TABLE), cfg.warehouse.table("products")
    chunks = chunk_count(cfg.demo.products, 4)
    frame = read_table(spark, products).select(S.PRODUCT_ID, chunk_of(S.PRODUCT_ID, chunks).alias("c"))
    changed = frame.where(f"c = {chunks - 1}").first()[S.PRODUCT_ID]  # in the last chunk
    read_at = table_version(spark, products)
    before = table_version(spark, table)
    process = start(cfg, "--set", "writes.chunk_rows=4")
    wait_for_commit(process, spark, table, before)
    spark.sql(f"UPDATE delta.`{products.location}` SET title = concat(title, ' Deluxe Edition') "
              f"WHERE product_id = '{changed}'")
    succeeds(process)
    # The whole run read products as they were when it started: the update is not half-applied.
    assert table_rows(spark, cfg) == reference
    runs = read_table(spark, cfg.warehouse.table("enrichment_runs")).where("job = 'backfill'")
    assert [r.source_versions[cfg.warehouse.name("products")] for r in runs.collect()] == [read_at]
    report = run_enrichment(spark, cfg)  # the next run redoes exactly the changed product
    assert [t.selected for t in report.tasks if t.task == "description"] == [1]
    rows = table_rows(spark, cfg)
    assert [r for r in rows if r[0] != changed] == [r for r in reference if r[0] != changed]
    redone = read_table(spark, table).where(f"{S.PRODUCT_ID} = '{changed}'").first()
    assert redone[S.RUN_ID] == report.run_id
