"""Building a model version from the catalog: base (builtin or a local folder), adapter, registry.

:func:`build_model` reads the source tables at their current Delta versions, pretrains the builtin
base when it is not built yet (or checks the configured base folder), fine-tunes a LoRA adapter
on the 4-bit base for every enabled task, and publishes the result as the next registry version.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from pyspark.sql import SparkSession

from enrich.config import JobConfig
from enrich.model.builtin import BASE_MANIFEST, base_id, build_base
from enrich.model.corpus import finetune_examples, pretraining_documents
from enrich.model.finetune import finetune_adapter
from enrich.model.loading import default_device
from enrich.model.registry import Registry, folder_digest, publish_folder
from enrich.tables import read_table, require_table, table_version
from enrich.tasks import enabled_tasks

log = logging.getLogger(__name__)

WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json")
TOKENIZER_FILES = ("tokenizer.json", "tokenizer.model", "vocab.json")


class BaseModelError(ValueError):
    """The configured base model folder is missing or incomplete."""


def check_base_folder(folder: Path) -> int:
    """Check a Hugging Face model folder; return its context length.

    Raises:
        BaseModelError: the folder, its config, its safetensors weights or its tokenizer is missing.
    """
    import json

    if not folder.is_dir():
        raise BaseModelError(f"model.base folder {folder} does not exist")
    config = folder / "config.json"
    if not config.is_file():
        raise BaseModelError(f"model.base folder {folder} has no config.json")
    if not any((folder / name).is_file() for name in WEIGHT_FILES):
        raise BaseModelError(
            f"model.base folder {folder} has no safetensors weights ({' or '.join(WEIGHT_FILES)})"
        )
    if not any((folder / name).is_file() for name in TOKENIZER_FILES):
        raise BaseModelError(f"model.base folder {folder} has no tokenizer files")
    settings = json.loads(config.read_text())
    return int(settings.get("max_position_embeddings") or 2048)


def build_model(spark: SparkSession, cfg: JobConfig, *, if_missing: bool = False) -> str:
    """Build and register a model version; return its name.

    Args:
        spark: the session (reads the source tables).
        cfg: the job configuration (model, tasks, warehouse sections).
        if_missing: return the current version without building when there is one.

    Returns:
        The version name, e.g. ``v1``.
    """
    registry = Registry(cfg.model.registry, cfg.model.name)
    if if_missing and registry.current() in registry.versions():
        log.info("model %s:%s is built; reusing it", cfg.model.name, registry.current())
        return registry.current()
    started = time.perf_counter()
    sources = {t: require_table(spark, cfg.warehouse, t) for t in ("products", "reviews")}
    versions = {t: table_version(spark, p) for t, p in sources.items()}
    products = read_table(spark, sources["products"], version=versions["products"])
    reviews = read_table(spark, sources["reviews"], version=versions["reviews"])
    device = default_device()

    if cfg.model.base == "builtin":
        documents = pretraining_documents(
            products, reviews, limit=cfg.model.builtin.max_documents
        )
        bid = base_id(cfg.model.builtin, documents, cfg.model.seed)
        base_dir = registry.base_dir(bid)
        if not (base_dir / BASE_MANIFEST).is_file():
            staged = Path(tempfile.mkdtemp(prefix=".staging-", dir=_mkdir(base_dir.parent)))
            try:
                build_base(documents, cfg.model.builtin, seed=cfg.model.seed, out_dir=staged)
                publish_folder(staged, base_dir)
            finally:
                shutil.rmtree(staged, ignore_errors=True)
        else:
            log.info("builtin base %s is built; reusing it", bid)
        context_length = cfg.model.builtin.context_length
    else:
        base_dir = Path(cfg.model.base).resolve()
        context_length = check_base_folder(base_dir)
        bid = base_dir.name

    tasks = enabled_tasks(cfg.tasks)
    examples = finetune_examples(
        tasks, products, reviews, per_task=cfg.model.lora.max_examples_per_task
    )
    staged = registry.staging_dir()
    try:
        metrics = finetune_adapter(
            base_dir,
            examples,
            cfg.model.lora,
            quantization=cfg.model.quantization,
            compute_dtype=cfg.model.compute_dtype,
            context_length=context_length,
            seed=cfg.model.seed,
            out_dir=staged,
            device=device,
        )
        manifest = {
            "base": {
                "id": bid,
                "path": str(base_dir),
                "sha256": folder_digest(base_dir),
                "context_length": context_length,
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
            "training": {
                "table_versions": versions,
                "device": device,
                **metrics,
            },
            "seed": cfg.model.seed,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        version = registry.publish(staged, manifest)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    log.info(
        "built model %s:%s in %.0fs", cfg.model.name, version, time.perf_counter() - started
    )
    return version


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
