"""Loading a model version for generation, and the per-worker cache that keeps it loaded.

The base is loaded in 4-bit NF4 with bitsandbytes (double quantization, compute dtype from the
version's manifest) and the LoRA adapter applied with peft. A Python worker loads a version once
and keeps it in :data:`_ENGINES` under the version's cache key; with
``spark.python.worker.reuse=true`` the worker, and the model, survive between tasks.

torch, transformers and peft are imported inside the functions, so importing this module (on the
driver, in the CPU test suite) loads none of them.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from pathlib import Path

from enrich.generation import Engine
from enrich.model.registry import ModelRef

log = logging.getLogger(__name__)

# Loaded engines of this Python process, most recently used last, and tokenizers.
_ENGINES: OrderedDict[str, Engine] = OrderedDict()
_TOKENIZERS: dict[str, object] = {}
CACHE_CAPACITY = 2


def quiet_transformers() -> None:
    """Turn off transformers' progress bars (weight loading, saving): they flood job logs."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


def default_device() -> str:
    """``cuda`` when a GPU is visible to this process, else ``cpu``."""
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def quantization_config(quantization: str, compute_dtype: str):
    """The transformers ``BitsAndBytesConfig`` for a quantization name."""
    import torch
    from transformers import BitsAndBytesConfig

    if quantization != "nf4":
        raise ValueError(f"unsupported quantization {quantization!r}; supported: nf4")
    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=getattr(torch, compute_dtype),
    )


def load_tokenizer(folder: str | Path):
    """Load a tokenizer saved with the model, padding on the left for generation."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    tokenizer.padding_side = "left"
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_base(base_dir: str | Path, *, quantization: str, compute_dtype: str, device: str):
    """Load a base causal LM in 4-bit on ``device``."""
    import torch
    from transformers import AutoModelForCausalLM

    quiet_transformers()
    return AutoModelForCausalLM.from_pretrained(
        str(base_dir),
        quantization_config=quantization_config(quantization, compute_dtype),
        dtype=getattr(torch, compute_dtype),
        device_map={"": device},
        use_safetensors=True,
    )


def load_engine(ref: ModelRef, *, device: str | None = None) -> Engine:
    """Load a model version (4-bit base + adapter, or its merged weights) into an :class:`Engine`."""
    from peft import PeftModel

    device = device or default_device()
    started = time.perf_counter()
    if ref.merged_dir:
        model = load_base(
            ref.merged_dir, quantization=ref.quantization, compute_dtype=ref.compute_dtype,
            device=device,
        )
    else:
        base = load_base(
            ref.base_dir, quantization=ref.quantization, compute_dtype=ref.compute_dtype,
            device=device,
        )
        model = PeftModel.from_pretrained(base, ref.version_dir)
    model.eval()
    tokenizer = load_tokenizer(ref.version_dir)
    log.info(
        "loaded %s on %s in %.1fs", ref.model_version, device, time.perf_counter() - started
    )
    return Engine(model, tokenizer, context_length=ref.context_length)


def cached_engine(ref: ModelRef, *, device: str | None = None) -> tuple[Engine, bool]:
    """This worker's engine for ``ref`` on ``device``, loading it on first use.

    Returns:
        The engine, and True when this call loaded it.
    """
    device = device or default_device()
    key = f"{ref.cache_key}|{device}"
    engine = _ENGINES.get(key)
    if engine is not None:
        _ENGINES.move_to_end(key)
        return engine, False
    while len(_ENGINES) >= CACHE_CAPACITY:
        _ENGINES.popitem(last=False)
    engine = load_engine(ref, device=device)
    _ENGINES[key] = engine
    return engine, True


def cached_tokenizer(ref: ModelRef):
    """This worker's tokenizer of ``ref`` (cheap to load; prompts need it before the model)."""
    tokenizer = _TOKENIZERS.get(ref.version_dir)
    if tokenizer is None:
        tokenizer = _TOKENIZERS[ref.version_dir] = load_tokenizer(ref.version_dir)
    return tokenizer
