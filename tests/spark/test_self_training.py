"""A self-training round for search ads: the set is sampled from the training split only and
written where the task's training reads it, and training continues the parent version's adapter."""

import json
import shutil
from pathlib import Path

import pytest
from pyspark.sql import functions as F
from safetensors.torch import load_file

from enrich import schemas as S
from enrich.demo import create_demo_catalog
from enrich.model import self_training
from enrich.model.corpus import TRAIN, labelled_rows, split_of
from enrich.model.registry import Registry, RegistryError
from enrich.model.self_training import build_self_training_set
from enrich.model.train import train_model
from enrich.model.trainer import TrainingDataError
from enrich.sources import read_sources
from enrich.tables import read_table
from enrich.tasks import enabled_tasks
from tests.conftest import job_config

ROUND = [
    "tasks.search_ad.enabled=true",
    "tasks.search_ad.max_new_tokens=12",
    "tasks.search_ad.reference_table=search_ad_self_training",
    "tasks.search_ad.reference_column=ad_text",
]


@pytest.fixture(scope="module")
def catalog(spark, built, tmp_path_factory):
    """A demo catalog of its own, and the tiny model's registry to copy (rounds add versions)."""
    root = tmp_path_factory.mktemp("self_training")
    cfg = job_config(root)
    create_demo_catalog(spark, cfg.warehouse, cfg.demo)
    return root, Path(built.model.registry)


def _config(catalog, tmp_path: Path, *extra: str):
    root, registry = catalog
    shutil.copytree(registry, tmp_path / "models")
    return job_config(root, f"model.registry={tmp_path / 'models'}", *ROUND, *extra)


def test_a_model_whose_samples_never_pass_the_gate_writes_nothing(spark, catalog, tmp_path):
    cfg = _config(catalog, tmp_path)
    with pytest.raises(TrainingDataError, match="passed the gate"):
        build_self_training_set(spark, cfg, "search_ad", limit=8)


def test_the_set_holds_training_products_only_and_a_round_trains_on_it(
    spark, catalog, tmp_path, monkeypatch
):
    cfg = _config(catalog, tmp_path, "model.lora.steps=1", "model.lora.start_from=current")
    sampled: list[int] = []

    def every_ad(texts, inputs, *args, **kwargs):  # the gate's choice is test_self_training's
        sampled.append(len(texts))
        return f"{inputs.title[:30]}\nBuilt by {inputs.brand}\nShop now\nA product. It is good."

    monkeypatch.setattr(self_training, "pick_ad", every_ad)
    done = build_self_training_set(spark, cfg, "search_ad", limit=50)
    assert set(sampled) == {self_training.SamplingSettings().samples}
    table = read_table(spark, cfg.warehouse.table("search_ad_self_training"))
    rows = table.collect()
    assert done["kept"] == len(rows) == len(sampled) > 0
    products = read_table(spark, cfg.warehouse.table("products"))
    train_ids = {r[S.PRODUCT_ID] for r in products.where(
        split_of(F.col(S.PRODUCT_ID), cfg.training) == TRAIN).collect()}
    assert {r[S.PRODUCT_ID] for r in rows} <= train_ids
    assert {r["source_model_version"] for r in rows} == {"catalog-enrich:v1"}

    # Training reads each ad as written: one asset a line.
    task = {t.name: t for t in enabled_tasks(cfg)}["search_ad"]
    labelled = labelled_rows(task, read_sources(spark, cfg, [task]), training=cfg.training,
                             split=TRAIN, limit=50)
    assert len(labelled) == len(rows)
    assert all(r.references[0].count("\n") == 3 for r in labelled)

    assert train_model(spark, cfg) == "v2"
    manifest = Registry(cfg.model.registry, cfg.model.name).manifest("v2")
    assert manifest["parent"]["version"] == "v1"
    assert manifest["training"]["examples"]["train"]["search_ad"] > 0


def test_a_round_starts_from_the_parents_adapter(spark, catalog, tmp_path):
    cfg = _config(catalog, tmp_path, "model.lora.steps=0", "model.lora.start_from=v1",
                  "tasks.search_ad.enabled=false")
    assert train_model(spark, cfg) == "v2"
    folder = Path(cfg.model.registry) / cfg.model.name / "versions"
    parent = load_file(folder / "v1" / "adapter_model.safetensors")
    child = load_file(folder / "v2" / "adapter_model.safetensors")
    assert parent.keys() == child.keys()
    assert all(parent[k].equal(child[k]) for k in parent)  # no step: the parent's weights


def test_a_round_refuses_a_parent_on_another_base(spark, catalog, tmp_path):
    cfg = _config(catalog, tmp_path, "model.lora.start_from=v1", "tasks.search_ad.enabled=false")
    manifest = Path(cfg.model.registry) / cfg.model.name / "versions" / "v1" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["base"]["id"] = "another-base"
    manifest.write_text(json.dumps(data))
    with pytest.raises(RegistryError, match="same base"):
        train_model(spark, cfg)
