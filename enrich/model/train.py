"""The training job: examples from the catalog, a QLoRA adapter on the base, a new registry version.

:func:`train_model` reads the source tables at their current Delta versions, splits products by
a hash of their id, builds the builtin base when needed (or checks the configured base folder),
fine-tunes one LoRA adapter on the 4-bit base for every enabled task (the prompt names the task),
reports the validation loss, optionally merges the adapter into a de-quantized base copy, and
publishes everything as the next immutable registry version.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from datetime import datetime, timezone

from pyspark.sql import SparkSession

from enrich.config import JobConfig
from enrich.model.base import prepare_base
from enrich.model.corpus import (
    TRAIN,
    VALIDATION,
    examples,
    examples_digest,
    labelled_rows,
    pretraining_documents,
    split_counts,
)
from enrich.model.finetune import finetune_adapter
from enrich.model.loading import default_device, load_tokenizer
from enrich.model.merge import merge_adapter
from enrich.model.registry import BASE_MANIFEST, MERGED, Registry, RegistryError, folder_digest
from enrich.sources import read_sources
from enrich.tasks import enabled_tasks

log = logging.getLogger(__name__)


def machine() -> dict:
    """Where training ran: CPU cores, torch threads, processor and GPU, for the manifest."""
    import platform

    import torch

    return {
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "processor": platform.processor() or platform.machine(),
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "torch": torch.__version__,
    }


def _parent(registry: Registry, version: str | None, base_id: str) -> dict | None:
    """The version a training round continues (``model.lora.start_from``), checked to be on the
    same base, as the manifest records it; None for a new adapter."""
    if version is None:
        return None
    name = registry.resolve(version)
    manifest = registry.manifest(name)
    if manifest["base"]["id"] != base_id:
        raise RegistryError(
            f"model.lora.start_from {version}: {registry.name}:{name} is on base "
            f"{manifest['base']['id']}, this training on {base_id}; continue a version of the "
            "same base or set model.lora.start_from: null"
        )
    return {"version": name, "adapter_sha256": manifest["adapter"]["sha256"]}


def train_model(
    spark: SparkSession, cfg: JobConfig, *, if_missing: bool = False, merge: bool = False
) -> str:
    """Train and register a model version; return its name.

    Args:
        spark: the session (reads the source tables).
        cfg: the job configuration (model, training, tasks, warehouse sections).
        if_missing: return the current version without training when there is one.
        merge: also save the adapter merged into a de-quantized copy of the base.

    Returns:
        The version name, e.g. ``v1``; it becomes the current version.

    Raises:
        TableError: a source table is missing.
        BaseModelError: the configured base folder is unusable.
        ValueError: there is nothing to train on.
    """
    registry = Registry(cfg.model.registry, cfg.model.name)
    if if_missing and registry.current() in registry.versions():
        log.info("model %s:%s is built; reusing it", cfg.model.name, registry.current())
        return registry.current()
    started = time.perf_counter()
    tasks = enabled_tasks(cfg)
    sources = read_sources(spark, cfg, tasks)
    device = default_device()

    base = prepare_base(
        cfg.model,
        lambda: pretraining_documents(
            sources.products, sources.reviews, limit=cfg.model.builtin.max_documents,
            training=cfg.training,
        ),
    )
    tokenizer = load_tokenizer(base.path)
    per_dataset = cfg.model.lora.max_examples_per_dataset
    train, validation = [], []
    for task in tasks:
        for split, bucket in ((TRAIN, train), (VALIDATION, validation)):
            rows = labelled_rows(
                task, sources, training=cfg.training, split=split, limit=per_dataset,
                tokenizer=tokenizer, per_dataset=True,
            )
            at_least = cfg.model.lora.min_examples_per_dataset if split == TRAIN else 0
            bucket.extend(examples(rows, limit=per_dataset, at_least=at_least))
    log.info("training examples: %d train, %d validation", len(train), len(validation))

    parent = _parent(registry, cfg.model.lora.start_from, base.id)
    staged = registry.staging_dir()
    try:
        metrics = finetune_adapter(
            base,
            train,
            validation,
            cfg.model.lora,
            quantization=cfg.model.quantization,
            compute_dtype=cfg.model.lora.compute_dtype,
            seed=cfg.model.seed,
            out_dir=staged,
            device=device,
            start_from=parent and registry.version_folder(parent["version"]),
        )
        if merge:
            # Saved as the dtype asked for; auto keeps float32, which loads into either.
            dtype = "bfloat16" if cfg.model.compute_dtype in ("bfloat16", "float16") else "float32"
            merge_adapter(base.path, staged, staged / MERGED, dtype=dtype)
        manifest = {
            "base": {
                "id": base.id,
                "path": registry.base_reference(base.path),
                "sha256": folder_digest(base.path, exclude=(BASE_MANIFEST,)),
                "context_length": base.context_length,
                **({"source": base.info} if base.info else {}),
            },
            "quantization": {
                "type": cfg.model.quantization,
                "double_quant": True,
                "compute_dtype": cfg.model.compute_dtype,
            },
            "decoding": {
                "strategy": "greedy",
                "max_new_tokens": {t.name: t.cfg.max_new_tokens for t in tasks},
            },
            "prompt_versions": {t.name: t.prompt_version for t in tasks},
            "lora": cfg.model.lora.model_dump(),
            **({"parent": parent} if parent else {}),
            "merged": merge,
            "training": {
                "table_versions": sources.versions,
                "products_per_split": split_counts(sources.products, cfg.training),
                "split": cfg.training.model_dump(
                    include={"validation_fraction", "test_fraction", "split_salt", "fixed_splits"}
                ),
                "data_sha256": {
                    split: examples_digest(bucket)
                    for split, bucket in (("train", train), ("validation", validation))
                },
                "device": device,
                "machine": machine(),
                **metrics,
                "total_seconds": round(time.perf_counter() - started, 1),
            },
            "seed": cfg.model.seed,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        version = registry.publish(staged, manifest)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    log.info(
        "trained %s:%s in %.0fs (validation loss %s)",
        cfg.model.name, version, time.perf_counter() - started, metrics.get("eval_loss"),
    )
    return version
