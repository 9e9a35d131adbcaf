"""The enrichment job as it runs for real: ``spark-submit jobs/enrichment.py`` with the built wheel.

The wheel is built into a temporary folder and handed to ``--py-files`` (as a .zip, the name
spark-submit puts on the executors' path), the Delta jars come from ``--packages``, and the
process runs without this checkout on its Python path, so the job imports the packaged code.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyspark
import pytest

from enrich import schemas as S
from enrich.spark import delta_package
from enrich.tables import read_table
from tests.conftest import REPO, config_args, job_config

pytestmark = pytest.mark.slow

SPARK_SUBMIT = Path(pyspark.__file__).parent / "bin" / "spark-submit"
PRODUCTS = 12


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """The project's wheel, built into a temporary folder and copied to a .zip."""
    # Built from a copy of the sources, so no build/ folder of this checkout (stale files
    # included) goes into it, and nothing is written into the checkout.
    source = tmp_path_factory.mktemp("source")
    for name in ("setup.py", "README.md"):
        shutil.copy(REPO / name, source / name)
    for name in ("enrich", "sql"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
         "--wheel-dir", str(out), str(source)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = out.glob("catalog_enrich-*.whl")
    return Path(shutil.copy(wheel, out / "catalog_enrich.zip"))


def spark_submit(package: Path, job_args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYSPARK_PYTHON"] = env["PYSPARK_DRIVER_PYTHON"] = sys.executable
    command = [
        str(SPARK_SUBMIT),
        "--master", "local[2]",
        "--driver-memory", "1g",
        "--packages", delta_package(),
        "--py-files", str(package),
        "--conf", "spark.ui.enabled=false",
        str(REPO / "jobs" / "enrichment.py"),
        *job_args,
    ]
    # One log, as a scheduler sees it: spark-submit hands the Python driver's output to stdout.
    done = subprocess.run(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=900,
    )
    (cwd / "spark-submit.log").write_text(done.stdout)  # kept with the test's files, to read
    return done


SUBMITTED = ["spark.master=null", "spark.delta_jars=provided", f"demo.products={PRODUCTS}"]


def test_spark_submit_enriches_the_catalog_with_the_packaged_job(spark, built, package, tmp_path):
    from enrich.demo import create_demo_catalog

    cfg = job_config(tmp_path, f"model.registry={built.model.registry}", *SUBMITTED)
    create_demo_catalog(spark, cfg.warehouse, cfg.demo)
    metrics = tmp_path / "metrics.json"

    done = spark_submit(
        package, [*config_args(cfg), "--metrics-file", str(metrics), "--log-format", "json"],
        cwd=tmp_path,
    )

    assert done.returncode == 0, done.stdout[-4000:]
    descriptions = read_table(spark, cfg.warehouse.table("product_descriptions"))
    assert descriptions.count() == PRODUCTS
    by_model = descriptions.where(descriptions[S.MODEL_VERSION] == "catalog-enrich:v1")
    assert by_model.count() == PRODUCTS
    runs = read_table(spark, cfg.warehouse.table("enrichment_runs")).collect()
    assert [r[S.STATUS] for r in runs] == ["succeeded"]
    figures = json.loads(metrics.read_text())
    assert figures["run_id"] == runs[0][S.RUN_ID]
    assert figures["status"] == "succeeded"
    assert figures["model_version"] == "catalog-enrich:v1"
    by_task = {t["task"]: t for t in figures["tasks"]}
    assert sum(by_task["description"]["statuses"].values()) == PRODUCTS
    assert figures["tokens"]["output"] > 0
    # The driver ran the packaged code, and its log lines are JSON carrying the run id.
    logged = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert any("catalog_enrich.zip/enrich" in r["message"] for r in logged)
    progress = [r for r in logged if r.get("stage") == "generate"]
    assert progress and progress[-1]["rows"] == progress[-1]["total"]
    assert {r.get("run_id") for r in progress} == {figures["run_id"]}


def test_spark_submit_without_source_tables_fails_with_the_reason(package, tmp_path):
    cfg = job_config(tmp_path, *SUBMITTED)

    done = spark_submit(package, config_args(cfg), cwd=tmp_path)

    assert done.returncode == 2
    last = "\n".join(done.stdout.strip().splitlines()[-10:])
    assert "table products not found" in last, done.stdout[-4000:]
