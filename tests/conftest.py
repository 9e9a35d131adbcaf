"""Shared fixtures: one local Spark session, a tiny demo warehouse, and a tiny real model.

The tiny model is built through the real path (builtin tokenizer and base, QLoRA adapter on the
4-bit base, registry), only much smaller than the embedded SmolLM2 base, so the end-to-end tests
stay fast; tests/slow/test_real_base.py takes the real base end to end.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"

# Small enough to build in about half a minute on two cores, big enough to run the real code.
TINY_MODEL = [
    "model.base=builtin",  # its defaults are the tiny test model
    "model.lora.rank=4",
    "model.lora.alpha=8",
    "model.lora.steps=6",
    "model.lora.batch_size=4",
    "model.lora.max_examples_per_dataset=40",
    "tasks.description.max_new_tokens=16",
    "tasks.review_summary.max_new_tokens=12",
    "tasks.review_summary.max_reviews=3",
    "tasks.review_summary.max_review_chars=120",
    "generation.batch_size=8",
]


def job_config(root: Path, *extra: str):
    """A test configuration with its warehouse and registry under ``root``."""
    from enrich.config import load_config

    return load_config(
        None,
        [
            f"warehouse.root={root / 'warehouse'}",
            f"model.registry={root / 'models'}",
            "spark.shuffle_partitions=2",
            "spark.arrow_batch_rows=16",
            "spark.driver_memory=2g",
            "demo.products=40",
            *TINY_MODEL,
            *extra,
        ],
    )


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """The one local SparkSession of the test run (Delta enabled, two cores)."""
    from enrich.spark import build_session

    os.environ["PYSPARK_PYTHON"] = sys.executable
    cfg = job_config(tmp_path_factory.mktemp("spark"))
    session = build_session(cfg.spark, cfg.warehouse)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def built(spark, tmp_path_factory):
    """A warehouse with a 40-product demo catalog and a registry with one tiny model version."""
    from enrich.demo import create_demo_catalog
    from enrich.model.train import train_model

    cfg = job_config(tmp_path_factory.mktemp("built"))
    create_demo_catalog(spark, cfg.warehouse, cfg.demo)
    version = train_model(spark, cfg)
    assert version == "v1"
    return cfg


@pytest.fixture(scope="session")
def first_run(spark, built, tmp_path_factory):
    """One enrichment run over its own catalog with two planted bad products, shared model."""
    from enrich import schemas as S
    from enrich.demo import create_demo_catalog
    from enrich.enrichment import run_enrichment
    from enrich.tables import append

    cfg = job_config(tmp_path_factory.mktemp("e2e"), f"model.registry={built.model.registry}")
    create_demo_catalog(spark, cfg.warehouse, cfg.demo)
    empty = {f.name: None for f in S.PRODUCTS_SCHEMA.fields}
    planted = [
        # Nothing to describe: the prompt cannot be built.
        empty | {S.PRODUCT_ID: "BAD-1", S.CATEGORY: "misc"},
        # A prompt longer than the model's context: generation refuses the row.
        empty | {S.PRODUCT_ID: "LONG-1", S.TITLE: "enormous " * 3000},
    ]
    append(spark.createDataFrame(planted, S.PRODUCTS_SCHEMA), cfg.warehouse.table("products"))
    report = run_enrichment(spark, cfg)
    return cfg, report


def config_args(cfg) -> list[str]:
    """Command-line arguments that make the CLI use exactly ``cfg`` (written next to its tables)."""
    import yaml

    from enrich.locations import local_path

    path = local_path(cfg.warehouse.root_location).parent / "job.yaml"
    path.write_text(yaml.safe_dump(cfg.model_dump(mode="json")))
    return ["--config", str(path)]
