"""Cutting work into batches: by length under a token budget, and the budget a memory allowance
for the KV cache gives.

Shared by the batched engine and by training (:func:`enrich.model.trainer.token_batches`); a
backend that batches on its own (vLLM) needs none of it. Nothing here imports torch.
"""

from __future__ import annotations


def batches_by_length(
    lengths: list[int], *, max_rows: int, max_tokens: int, extra: int = 0
) -> list[list[int]]:
    """Indices of ``lengths`` in batches of similar length: sorted by length (stable), each batch
    at most ``max_rows`` rows and ``max_tokens`` tokens counted as rows x (its longest + ``extra``),
    at least one row. Similar lengths waste little on padding."""
    batches: list[list[int]] = []
    current: list[int] = []
    for i in sorted(range(len(lengths)), key=lambda i: (lengths[i], i)):
        cost = (len(current) + 1) * (lengths[i] + extra)  # sorted: the newest is the longest
        if current and (len(current) >= max_rows or cost > max_tokens):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


def kv_bytes_per_token(config, dtype_bytes: int) -> int:
    """Bytes of KV cache one token takes in a model with this config (keys and values, all layers)."""
    heads = config.num_attention_heads
    kv_heads = getattr(config, "num_key_value_heads", None) or heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // heads
    return 2 * config.num_hidden_layers * kv_heads * head_dim * dtype_bytes


def token_budget(config, dtype_bytes: int, memory_mb: float) -> int:
    """Tokens (rows x padded length) a batch may hold so its KV cache fits in ``memory_mb``."""
    return max(1, int(memory_mb * 2**20) // kv_bytes_per_token(config, dtype_bytes))
