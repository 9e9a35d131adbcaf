"""Base models: the embedded SmolLM2, a Hugging Face model folder on storage, or the builtin one.

The embedded default (:mod:`enrich.model.embedded`) is converted once into the registry; the
builtin base is a tiny model the project pretrains itself, for tests. All end as an ordinary
model folder (``config.json``, safetensors weights, tokenizer files) that
the same loading, quantization, LoRA and generation code uses. A configured folder is checked
before any training: it must exist and hold a config, safetensors weights (pickled ``.bin``
weights are refused: loading them can run code) and a tokenizer, and its architecture must have
the modules the adapter targets.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from enrich.config import ModelConfig
from enrich.model import embedded
from enrich.model.builtin import base_id, build_base
from enrich.model.registry import BASE_MANIFEST, Registry, publish_folder, staging_folder

log = logging.getLogger(__name__)

WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json")
PICKLE_FILES = ("pytorch_model.bin", "pytorch_model.bin.index.json")
TOKENIZER_FILES = ("tokenizer.json", "tokenizer.model", "vocab.json")


class BaseModelError(ValueError):
    """The configured base model is missing, incomplete or unsuitable; the message says which."""


@dataclass(frozen=True)
class Base:
    """A base model folder ready to load; ``info`` is what its ``base.json`` records (source,
    licence, hashes) for a base the project converted or built."""

    id: str
    path: Path
    context_length: int
    info: dict | None = None


def check_base_folder(folder: Path, target_modules: list[str]) -> int:
    """Check a Hugging Face causal LM folder; return its context length.

    Raises:
        BaseModelError: the folder, its config, its safetensors weights or its tokenizer is
            missing, or the architecture has none of some target module.
    """
    if not folder.is_dir():
        raise BaseModelError(f"model.base folder {folder} does not exist")
    config = folder / "config.json"
    if not config.is_file():
        raise BaseModelError(f"model.base folder {folder} has no config.json")
    if not any((folder / name).is_file() for name in WEIGHT_FILES):
        pickled = [name for name in PICKLE_FILES if (folder / name).is_file()]
        hint = (
            f"; it has pickled weights ({pickled[0]}), which are refused: re-save them with "
            "save_pretrained(..., safe_serialization=True)"
            if pickled
            else ""
        )
        raise BaseModelError(
            f"model.base folder {folder} has no safetensors weights "
            f"({' or '.join(WEIGHT_FILES)}){hint}"
        )
    if not any((folder / name).is_file() for name in TOKENIZER_FILES):
        raise BaseModelError(
            f"model.base folder {folder} has no tokenizer ({', '.join(TOKENIZER_FILES)})"
        )
    missing = [m for m in target_modules if m not in module_names(folder)]
    if missing:
        raise BaseModelError(
            f"model.lora.target_modules {missing} are not modules of the model in {folder}; "
            f"its linear modules are {sorted(linear_module_names(folder))}"
        )
    settings = json.loads(config.read_text())
    return int(settings.get("max_position_embeddings") or 2048)


def _skeleton(folder: Path):
    # The architecture without weights (on the meta device): enough to list its modules.
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    config = AutoConfig.from_pretrained(str(folder))
    with torch.device("meta"):
        return AutoModelForCausalLM.from_config(config)


def module_names(folder: Path) -> set[str]:
    """Last name parts of every module of the model in ``folder`` (e.g. ``q_proj``)."""
    return {name.rsplit(".", 1)[-1] for name, _ in _skeleton(folder).named_modules() if name}


def linear_module_names(folder: Path) -> set[str]:
    """Last name parts of the linear layers, the usual LoRA targets."""
    import torch

    return {
        name.rsplit(".", 1)[-1]
        for name, module in _skeleton(folder).named_modules()
        if isinstance(module, torch.nn.Linear)
    }


def prepare_base(cfg: ModelConfig, documents) -> Base:
    """The base to fine-tune: the embedded one (converted if absent), the configured folder
    (checked), or the builtin one (built if absent).

    Args:
        cfg: the model section of the configuration.
        documents: a zero-argument callable returning catalog text; called only when the builtin
            base has to be identified or built.

    Returns:
        The base.

    Raises:
        BaseModelError: a configured folder fails :func:`check_base_folder`.
        EmbeddedBaseError: the embedded base's package is missing or its weights changed.
    """
    if cfg.base == embedded.NAME:
        bid, folder = embedded.prepare_embedded(Registry(cfg.registry, cfg.name))
        context_length = check_base_folder(folder, cfg.lora.target_modules)
        return Base(bid, folder, context_length, _info(folder))
    if cfg.base != "builtin":
        folder = Path(cfg.base).resolve()
        context_length = check_base_folder(folder, cfg.lora.target_modules)
        return Base(folder.name, folder, context_length)
    texts = documents()
    bid = base_id(cfg.builtin, texts, cfg.seed)
    folder = Registry(cfg.registry, cfg.name).base_dir(bid)
    if (folder / BASE_MANIFEST).is_file():
        log.info("builtin base %s is built; reusing it", bid)
    else:
        staged = staging_folder(folder.parent)
        try:
            build_base(texts, cfg.builtin, seed=cfg.seed, out_dir=staged)
            publish_folder(staged, folder)
        finally:
            shutil.rmtree(staged, ignore_errors=True)
    check_base_folder(folder, cfg.lora.target_modules)
    return Base(bid, folder, cfg.builtin.context_length, _info(folder))


def _info(folder: Path) -> dict:
    return json.loads((folder / BASE_MANIFEST).read_text())
