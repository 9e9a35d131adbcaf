"""Loading a model version for generation, and the per-worker cache that keeps it loaded.

The base is loaded in 4-bit NF4 with bitsandbytes (double quantization, the run's compute dtype:
``auto`` is bfloat16 where the device computes it natively, see :func:`native_compute_dtype`)
and the LoRA adapter applied with peft; ``int8`` (bitsandbytes LLM.int8) and ``bf16`` (adapter
merged) are the other generation precisions. :func:`load_engine` is the one place
that picks the engine (:mod:`enrich.engine`) a loaded version runs in. A Python worker loads a
version once and keeps its engine in :data:`_ENGINES` under the version's cache key; with
``spark.python.worker.reuse=true`` the worker, and the model, survive between tasks.

torch, transformers and peft are imported inside the functions, so importing this module (on the
driver, in the CPU test suite) loads none of them.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

from enrich.engine import GenerationEngine
from enrich.engine.batched import Engine
from enrich.engine.batching import token_budget
from enrich.model.registry import ModelRef

log = logging.getLogger(__name__)

# Loaded engines of this Python process, most recently used last, and tokenizers.
_ENGINES: OrderedDict[str, GenerationEngine] = OrderedDict()
_TOKENIZERS: dict[str, object] = {}
CACHE_CAPACITY = 2
DEFAULT_MEMORY_MB = 1024.0


def quiet_transformers() -> None:
    """Turn off transformers' progress bars (weight loading, saving): they flood job logs."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


def default_device() -> str:
    """``cuda`` when a GPU is visible to this process, else ``cpu``."""
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


PRECISIONS = ("nf4", "int8", "bf16")


def quantization_config(quantization: str, compute_dtype: str):
    """The transformers ``BitsAndBytesConfig`` for a precision name (None for ``bf16``)."""
    import torch
    from transformers import BitsAndBytesConfig

    if quantization == "nf4":
        return BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=getattr(torch, compute_dtype),
        )
    if quantization == "int8":
        return BitsAndBytesConfig(load_in_8bit=True)
    if quantization == "bf16":
        return None
    raise ValueError(f"unsupported precision {quantization!r}; supported: {', '.join(PRECISIONS)}")


def native_compute_dtype(device: str) -> str:
    """``bfloat16`` where ``device`` computes it natively (a GPU with bf16; a CPU with AVX-512
    BF16 or AMX, on which bf16 products run 2-4x float32's), else ``float32``."""
    import torch

    if str(device).startswith("cuda"):
        return "bfloat16" if torch.cuda.is_bf16_supported() else "float32"
    native = (
        getattr(torch.cpu, name, lambda: False)()
        for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    )
    return "bfloat16" if any(native) else "float32"


def resolved(ref: ModelRef, device: str) -> ModelRef:
    """``ref`` with its compute dtype ``auto`` made the one for ``device``."""
    if ref.compute_dtype != "auto":
        return ref
    return replace(ref, compute_dtype=native_compute_dtype(device))


def activation_dtype(quantization: str, compute_dtype: str):
    """The dtype activations and the KV cache have under a precision."""
    import torch

    return torch.bfloat16 if quantization == "bf16" else getattr(torch, compute_dtype)


def load_tokenizer(folder: str | Path):
    """Load a tokenizer saved with the model, padding on the left for generation."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    tokenizer.padding_side = "left"
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_base(base_dir: str | Path, *, quantization: str, compute_dtype: str, device: str):
    """Load a base causal LM on ``device`` in a precision of :data:`PRECISIONS`, SDPA attention."""
    from transformers import AutoModelForCausalLM

    quiet_transformers()
    return AutoModelForCausalLM.from_pretrained(
        str(base_dir),
        quantization_config=quantization_config(quantization, compute_dtype),
        dtype=activation_dtype(quantization, compute_dtype),
        device_map={"": device},
        attn_implementation="sdpa",
        use_safetensors=True,
    )


def load_model(ref: ModelRef, *, device: str):
    """Load a model version's weights on ``device`` in ``ref.precision``, in eval mode.

    ``nf4`` and ``int8`` apply the LoRA adapter over the quantized base; ``bf16`` loads the base
    in bf16 and merges the adapter into it. A version's saved merged weights
    (``ref.merged_dir``) replace base and adapter in every precision.
    """
    from peft import PeftModel

    ref = resolved(ref, device)
    load = {"quantization": ref.precision, "compute_dtype": ref.compute_dtype, "device": device}
    if ref.merged_dir:
        return load_base(ref.merged_dir, **load).eval()
    model = PeftModel.from_pretrained(load_base(ref.base_dir, **load), ref.version_dir)
    if ref.precision == "bf16":
        model = model.merge_and_unload()
    return model.eval()


def load_engine(
    ref: ModelRef, *, device: str | None = None, memory_mb: float = DEFAULT_MEMORY_MB
) -> GenerationEngine:
    """Load a model version into the engine that generates with it.

    The one place that chooses the backend (a new one, such as vLLM on a GPU cluster, is picked
    here and nowhere else). Today it is always :class:`enrich.engine.batched.Engine`, whose batches
    keep their KV cache within ``memory_mb``, over :func:`load_model` on a GPU and
    :func:`load_for_cpu` on the CPU.
    """
    device = device or default_device()
    ref = resolved(ref, device)
    started = time.perf_counter()
    model = load_for_cpu(ref) if device == "cpu" else load_model(ref, device=device)
    tokenizer = load_tokenizer(ref.version_dir)
    dtype = activation_dtype(ref.precision, ref.compute_dtype)
    budget = token_budget(model.config, dtype.itemsize, memory_mb)
    log.info(
        "loaded %s (%s, computing in %s) on %s in %.1fs; batches up to %d tokens",
        ref.model_version, ref.weights_label, dtype, device, time.perf_counter() - started, budget,
    )
    return Engine(model, tokenizer, context_length=ref.context_length, token_budget=budget)


def load_for_cpu(ref: ModelRef):
    """A model version for generating on the CPU; ``nf4`` dequantized once.

    bitsandbytes' CPU kernels dequantize a 4-bit matrix at every call, and peft adds the adapter's
    two products to every adapted layer. For ``nf4`` the base is quantized as on a GPU (the same
    rounded weights), dequantized once to the compute dtype with transformers, and the adapter
    merged into it with peft in that dtype, so each layer is one product. The outputs agree with
    the 4-bit model's (``bench/engine_vs_naive.py`` measures the rate); the weights take the
    compute dtype's size in memory instead of 4 bits. ``int8`` (LLM.int8 also quantizes the
    activations) and ``bf16`` load as :func:`load_model` loads them.
    """
    from peft import PeftModel

    if ref.precision != "nf4":
        return load_model(ref, device="cpu")
    ref = resolved(ref, "cpu")
    dtype = activation_dtype(ref.precision, ref.compute_dtype)
    load = {"quantization": ref.precision, "compute_dtype": ref.compute_dtype, "device": "cpu"}
    base = load_base(ref.merged_dir or ref.base_dir, **load).dequantize(dtype=dtype)
    if ref.merged_dir:
        return base.eval()
    return PeftModel.from_pretrained(base, ref.version_dir).merge_and_unload().eval()


def load_4bit_reference(ref: ModelRef):
    """The 4-bit model with its adapter unmerged, on the CPU, through bitsandbytes'
    dequantize-and-multiply path: what :func:`load_for_cpu` is checked against (the default
    one-row kernel rounds differently)."""
    import bitsandbytes as bnb

    model = load_model(ref, device="cpu")
    for module in model.modules():
        if isinstance(module, bnb.nn.Linear4bit):
            module.support_avx512bf16_for_cpu = False
    return model


def cached_engine(
    ref: ModelRef, *, device: str | None = None, memory_mb: float = DEFAULT_MEMORY_MB
) -> tuple[GenerationEngine, bool]:
    """This worker's engine for ``ref`` on ``device``, loading it with :func:`load_engine` on first
    use.

    Returns:
        The engine, and True when this call loaded it.
    """
    device = device or default_device()
    key = f"{ref.cache_key}|{device}|{memory_mb}"
    engine = _ENGINES.get(key)
    if engine is not None:
        _ENGINES.move_to_end(key)
        return engine, False
    while len(_ENGINES) >= CACHE_CAPACITY:
        _ENGINES.popitem(last=False)
    ref.fetch()
    engine = load_engine(ref, device=device, memory_mb=memory_mb)
    _ENGINES[key] = engine
    return engine, True


def cached_tokenizer(ref: ModelRef):
    """This worker's tokenizer of ``ref`` (cheap to load; prompts need it before the model)."""
    tokenizer = _TOKENIZERS.get(ref.version_dir)
    if tokenizer is None:
        ref.fetch()  # a registry at a URL: this machine's copy, made once
        tokenizer = _TOKENIZERS[ref.version_dir] = load_tokenizer(ref.version_dir)
    return tokenizer
