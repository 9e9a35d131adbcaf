"""Merging an adapter into its base: one set of weights to serve, re-quantized to NF4 on load.

peft warns that merging into a 4-bit base rounds badly, so the merge runs on a de-quantized copy:
the base is loaded in full precision, the adapter applied and folded in with
``merge_and_unload``, and the result saved as an ordinary model folder. ``evaluate`` reports how
often its outputs equal those of base + adapter.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)


def merge_adapter(base_dir: Path, adapter_dir: Path, out_dir: Path, *, dtype: str) -> None:
    """Fold the adapter in ``adapter_dir`` into the base in ``base_dir``; save to ``out_dir``.

    Args:
        base_dir: the base model folder.
        adapter_dir: a folder with ``adapter_model.safetensors`` and its config.
        out_dir: where the merged model and its tokenizer go.
        dtype: ``float32`` or ``bfloat16``, the precision the merge is done and saved in.
    """
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    from enrich.model.loading import load_tokenizer, quiet_transformers

    quiet_transformers()
    base = AutoModelForCausalLM.from_pretrained(
        str(base_dir), dtype=getattr(torch, dtype), use_safetensors=True
    )
    merged = PeftModel.from_pretrained(base, str(adapter_dir)).merge_and_unload()
    merged.save_pretrained(out_dir, safe_serialization=True)
    load_tokenizer(adapter_dir).save_pretrained(out_dir)
    log.info("merged the adapter into %s", out_dir)
