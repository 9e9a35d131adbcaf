"""The training job: stable splits, reproducible adapters, real base folders, evaluation, registry."""

import json

import pytest
import sacrebleu
from pyspark.sql import functions as F

from enrich import cli
from enrich.config import TrainingConfig
from enrich.model.corpus import SPLITS, split_of
from enrich.model.evaluation import corpus_scores, evaluate_model
from enrich.model.versions import render_versions
from enrich.model.loading import load_engine
from enrich.model.registry import Registry
from enrich.model.train import train_model
from tests.conftest import config_args, job_config
from tests.unit.test_base_and_training_data import save_tiny_llama


def splits(spark, ids, cfg, partitions):
    frame = spark.createDataFrame([(i,) for i in ids], "product_id string").repartition(partitions)
    return {r.product_id: r.s for r in frame.select("product_id", split_of(F.col("product_id"), cfg).alias("s")).collect()}


def test_split_is_a_stable_function_of_the_product_id(spark):
    ids = [f"P{i:07d}" for i in range(3000)]
    cfg = TrainingConfig(validation_fraction=0.1, test_fraction=0.2)
    first, second = splits(spark, ids, cfg, 1), splits(spark, ids, cfg, 7)
    assert first == second  # the same whatever the partitioning, run after run
    assert set(first.values()) == set(SPLITS)
    share = {s: sum(v == s for v in first.values()) / len(ids) for s in SPLITS}
    assert abs(share["test"] - 0.2) < 0.03 and abs(share["validation"] - 0.1) < 0.03
    # Growing the table does not move existing products.
    grown = splits(spark, ids + [f"Q{i}" for i in range(500)], cfg, 3)
    assert all(grown[i] == first[i] for i in ids)
    # A new salt re-splits.
    resalted = splits(spark, ids, cfg.model_copy(update={"split_salt": "other"}), 1)
    assert sum(resalted[i] != first[i] for i in ids) > 300


def test_fixed_splits_keep_a_sources_own_split_and_hash_the_rest(spark):
    ids = [f"fewsum-amazon-val-{i}" for i in range(50)] + [f"fewsum-yelp-train-{i}" for i in range(50)]
    ids += [f"e2e-{i:012d}" for i in range(400)]
    cfg = TrainingConfig(fixed_splits={"^fewsum-[a-z]+-val-": "test", "^fewsum-": "train"})
    got = splits(spark, ids, cfg, 3)
    assert all(got[i] == "test" for i in ids[:50])  # the first matching pattern wins
    assert all(got[i] == "train" for i in ids[50:100])
    assert got == {**splits(spark, ids, TrainingConfig(), 2), **{i: got[i] for i in ids[:100]}}


def test_references_of_several_columns_are_combined_without_repeats_or_blanks(spark, built):
    from enrich.config import load_config
    from enrich.sources import read_sources
    from enrich.tasks import REFERENCES, enabled_tasks

    cfg = load_config(None, [f"warehouse.root={built.warehouse.root}",
                             "tasks.description.reference_column=[description, reference_descriptions]"])
    task = enabled_tasks(cfg)[0]
    sources = read_sources(spark, cfg, [task])
    products = sources.products.limit(3).collect()
    rows = [
        {**products[0].asDict(), "description": "A mug.", "reference_descriptions": ["A mug.", " ", "Red mug."]},
        {**products[1].asDict(), "description": None, "reference_descriptions": None},
        {**products[2].asDict(), "description": "  ", "reference_descriptions": ["Blue mug."]},
    ]
    frame = spark.createDataFrame(rows, sources.products.schema)
    got = {r.product_id: r[REFERENCES] for r in task.work_rows(frame, sources.reviews).collect()}
    ids = [p.product_id for p in products]
    assert got == {ids[0]: ["A mug.", "Red mug."], ids[1]: None, ids[2]: ["Blue mug."]}


def test_same_data_config_and_seed_give_the_same_adapter(spark, built, tmp_path):
    again = job_config(tmp_path, f"warehouse.root={built.warehouse.root}")
    assert train_model(spark, again, merge=True) == "v1"
    first = Registry(built.model.registry, built.model.name)
    second = Registry(again.model.registry, again.model.name)
    assert second.ref().adapter_id == first.ref().adapter_id
    assert second.ref().base_model == first.ref().base_model
    manifest = second.manifest("v1")
    assert manifest["training"]["table_versions"] == first.manifest("v1")["training"]["table_versions"]
    assert set(manifest["training"]["examples"]["train"]) == {"description", "review_summary"}
    assert manifest["merged"] is True
    # The merged weights load, re-quantized, and generate.
    merged = load_engine(second.ref(use_merged=True))
    assert merged.generate(["### Task: description\nTitle: Mug\n"], max_new_tokens=4)[0].error is None


def test_a_real_model_folder_trains_through_the_same_code(spark, built, tmp_path):
    from enrich.model.builtin import train_tokenizer

    texts = ["Title: Mug\nA red mug.", "Reviews:\n- [5/5] Great bottle.\n### Summary:\n"] * 20
    # Room for the job's prompts, which a 400-token vocabulary spells out in many tokens.
    folder = save_tiny_llama(tmp_path / "hf-model", train_tokenizer(texts, vocab_size=400), context=2048)
    cfg = job_config(tmp_path, f"warehouse.root={built.warehouse.root}", f"model.base={folder}",
                     "model.lora.target_modules=[q_proj, v_proj]")
    assert train_model(spark, cfg) == "v1"
    ref = Registry(cfg.model.registry, cfg.model.name).ref()
    assert ref.base_dir == str(folder) and ref.base_model == "hf-model"
    assert ref.context_length == 2048
    out = load_engine(ref).generate(["### Task: description\nTitle: Mug\n"], max_new_tokens=4)
    assert out[0].error is None


def test_a_bad_base_folder_stops_training_with_the_reason(spark, built, tmp_path, capsys):
    cfg = job_config(tmp_path, f"warehouse.root={built.warehouse.root}", f"model.base={tmp_path / 'nope'}")
    assert cli.main(["train", *config_args(cfg)]) == cli.EXIT_USAGE
    assert "does not exist" in capsys.readouterr().err
    assert Registry(cfg.model.registry, cfg.model.name).versions() == []


def test_evaluate_scores_tuned_base_and_baselines_on_held_out_rows(spark, built):
    cfg = built.model_copy(update={"training": TrainingConfig(test_fraction=0.4)})
    report = evaluate_model(spark, cfg, "v1")
    assert report["rows"]["description"]["demo"] > 0  # scored per dataset: all demo products here
    for task, datasets in report["scores"].items():
        for dataset, systems in datasets.items():
            assert report["rows"][task][dataset] > 0
            assert set(systems) >= {"tuned", "base", "extractive"}
            assert all(0 <= s["chrf"] <= 100 for s in systems.values())
    registry = Registry(built.model.registry, built.model.name)
    assert registry.evaluation("v1")["scores"] == report["scores"]
    tuned = report["scores"]["description"]["demo"]["tuned"]["chrf"]
    assert f"description demo {tuned:.1f} / " in render_versions(registry)
    card = (registry.version_folder("v1") / "README.md").read_text()
    assert f"| description | demo | {report['rows']['description']['demo']} | tuned |" in card


def test_corpus_scores_are_sacrebleu_with_ragged_references():
    hyps = ["the mug is red", "a steel bottle"]
    refs = [["the red mug", "a red mug", "red mug"], ["a bottle of steel"]]
    got = corpus_scores(hyps, refs)
    streams = [["the red mug", "a bottle of steel"], ["a red mug", None], ["red mug", None]]
    assert got["bleu"] == round(sacrebleu.corpus_bleu(hyps, streams).score, 2)
    assert got["chrf"] == round(sacrebleu.corpus_chrf(hyps, streams).score, 2)


def test_models_list_show_promote(built, tmp_path, capsys):
    registry = Registry(built.model.registry, built.model.name)
    args = config_args(built)
    assert cli.main(["models", "list", *args]) == 0
    assert "* v1" in capsys.readouterr().out
    assert cli.main(["models", "show", "v1", *args]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["current"] is True and shown["manifest"]["version"] == "v1"
    assert cli.main(["models", "promote", "v9", *args]) == cli.EXIT_USAGE
    assert "v9" in capsys.readouterr().err
    assert cli.main(["models", "promote", "v1", *args]) == 0
    assert registry.current() == "v1"
