"""The Spark session factory: Delta, Arrow, worker reuse and the right Python on executors.

Only ``jobs/`` and the CLI call :func:`build_session`; everything in ``enrich`` takes the session
as an argument.
"""

from __future__ import annotations

import logging
import os
import sys

from enrich import locations
from enrich.config import SparkConfig, WarehouseConfig
from enrich.preflight import check_java

log = logging.getLogger(__name__)

DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension"
DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog"
# In local mode the one JVM plans, reads the Delta logs and MERGEs small tables while the Python
# workers hold the cores for generation. The serial collector and the quick (C1) compiler cut the
# JVM's own CPU by 30% (bench/local_jvm.py): G1's concurrent threads and the optimising compiler
# cost more than they save on a job this size, and the workers need those cores.
LOCAL_JVM_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1"


class SparkStartError(RuntimeError):
    """The Spark JVM did not start; the message says what to check."""


def delta_package() -> str:
    """The Maven coordinate of the Delta jars that match the installed pyspark and delta-spark.

    What ``spark-submit --packages`` needs when the job does not fetch the jars itself
    (``spark.delta_jars=provided``), e.g. ``io.delta:delta-spark_4.2_2.13:4.4.0``.
    """
    from importlib.metadata import version

    spark_minor = ".".join(version("pyspark").split(".")[:2])
    return f"io.delta:delta-spark_{spark_minor}_2.13:{version('delta-spark')}"


def is_local(master: str | None) -> bool:
    """True for ``local``, ``local[N]`` and ``local[*]`` masters (not ``local-cluster``)."""
    return master is not None and (master == "local" or master.startswith("local["))


def session_settings(cfg: SparkConfig, warehouse: WarehouseConfig) -> dict[str, str]:
    """Spark settings for a catalog-enrich session (without the Delta jar packages)."""
    settings = {
        "spark.app.name": cfg.app_name,
        "spark.sql.extensions": DELTA_EXTENSION,
        "spark.sql.catalog.spark_catalog": DELTA_CATALOG,
        # Keeps each Python worker, and the model it cached, alive between tasks.
        "spark.python.worker.reuse": "true",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.execution.arrow.maxRecordsPerBatch": str(cfg.arrow_batch_rows),
        "spark.sql.shuffle.partitions": str(cfg.shuffle_partitions),
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.warehouse.dir": locations.join(warehouse.root_location, "_spark_catalog"),
        "spark.ui.showConsoleProgress": str(cfg.show_progress).lower(),
        # Weights come from local or cluster storage; workers never reach for a model hub.
        "spark.executorEnv.HF_HUB_OFFLINE": "1",
    }
    if is_local(cfg.master):
        # Executors must run this interpreter, or they import a Python without our packages.
        settings["spark.pyspark.python"] = sys.executable
        settings["spark.pyspark.driver.python"] = sys.executable
        settings["spark.ui.enabled"] = "false"
        # Delta rebuilds a table's state (its file list) in 50 partitions by default, sized for
        # clusters; on one machine those are 50 tiny tasks every time a table's log is read
        # (about a quarter of a 2,000-product run, bench/RESULTS.md).
        settings["spark.databricks.delta.snapshotPartitions"] = str(cfg.shuffle_partitions)
        settings["spark.driver.extraJavaOptions"] = LOCAL_JVM_OPTIONS
        if cfg.driver_memory:
            settings["spark.driver.memory"] = cfg.driver_memory
    settings.update(cfg.conf)
    return settings


def build_session(cfg: SparkConfig, warehouse: WarehouseConfig):
    """Build (or get) the SparkSession for a job.

    Args:
        cfg: the Spark section of the job config.
        warehouse: where the tables live (Spark's own catalog folder goes under it).

    Returns:
        A SparkSession with Delta enabled.

    Raises:
        PreflightError: Java is missing or too old (checked before Spark tries to start).
    """
    check_java()
    from pyspark.sql import SparkSession

    if is_local(cfg.master):
        os.environ["PYSPARK_PYTHON"] = sys.executable
        os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    builder = SparkSession.builder
    if cfg.master:
        builder = builder.master(cfg.master)
    for key, value in session_settings(cfg, warehouse).items():
        builder = builder.config(key, value)
    if cfg.delta_jars == "maven":
        from delta import configure_spark_with_delta_pip

        builder = configure_spark_with_delta_pip(builder, extra_packages=cfg.packages)
    elif cfg.packages:
        builder = builder.config("spark.jars.packages", ",".join(cfg.packages))
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # Py4J/PySpark raise several types when the JVM cannot start
        raise SparkStartError(
            f"Spark could not start: {exc}\n"
            "If the lines above say 'UNRESOLVED DEPENDENCIES' for io.delta, Maven Central is not "
            "reachable from this machine: put the Delta jars on the classpath yourself "
            f"(--packages {delta_package()}, or --jars) and set spark.delta_jars=provided."
        ) from exc
    spark.sparkContext.setLogLevel(cfg.log_level)
    log.info("spark %s session started (master %s)", spark.version, spark.sparkContext.master)
    return spark
