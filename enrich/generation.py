"""The generation engine that runs inside each worker: batched greedy decoding with per-row results.

Prompts are tokenized once, sorted by length so a batch holds prompts of similar size, left-padded
with an attention mask, generated greedily, cut at each row's end token, and returned in the
caller's order. A batch that raises is retried row by row, so one bad row fails alone; a row's
failure is returned as data (:attr:`Generation.error`), never raised.

Example:
    >>> engine = Engine(model, tokenizer)
    >>> out = engine.generate(["### Task: description\\nTitle: Mug\\n"], max_new_tokens=32)
    >>> out[0].text, out[0].output_tokens
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Generation:
    """What one prompt produced."""

    text: str | None
    prompt_tokens: int
    output_tokens: int
    seconds: float
    error: str | None = None


class Engine:
    """Generates text for many prompts with one loaded model.

    Args:
        model: a causal LM (a peft model over a quantized base, or any ``generate``-capable one).
        tokenizer: its tokenizer; needs a pad and an eos token.
        context_length: longest sequence (prompt plus new tokens) the model accepts.
    """

    def __init__(self, model, tokenizer, *, context_length: int) -> None:
        if tokenizer.pad_token_id is None or tokenizer.eos_token_id is None:
            raise ValueError("the tokenizer needs a pad token and an eos token")
        self.model = model
        self.tokenizer = tokenizer
        self.context_length = context_length
        self.device = next(model.parameters()).device

    def generate(
        self, prompts: list[str], *, max_new_tokens: int, batch_size: int = 32
    ) -> list[Generation]:
        """Generate greedily for each prompt.

        Args:
            prompts: the prompts, in any order.
            max_new_tokens: most tokens to generate per row.
            batch_size: most prompts per ``generate`` call.

        Returns:
            One :class:`Generation` per prompt, in the order of ``prompts``.
        """
        # Special tokens as the model expects them at the start (a BOS for Llama-style bases).
        encoded = self.tokenizer(prompts, add_special_tokens=True)["input_ids"]
        results: list[Generation | None] = [None] * len(prompts)
        runnable = []
        limit = self.context_length - max_new_tokens
        for i, ids in enumerate(encoded):
            if not ids:
                results[i] = Generation(None, 0, 0, 0.0, "empty prompt")
            elif len(ids) > limit:
                results[i] = Generation(
                    None,
                    len(ids),
                    0,
                    0.0,
                    f"prompt has {len(ids)} tokens; at most {limit} fit the model's context of "
                    f"{self.context_length} with {max_new_tokens} new tokens",
                )
            else:
                runnable.append(i)
        runnable.sort(key=lambda i: (len(encoded[i]), i))
        for start in range(0, len(runnable), batch_size):
            batch = runnable[start : start + batch_size]
            for i, generation in zip(batch, self._generate_isolated(batch, encoded, max_new_tokens)):
                results[i] = generation
        return results  # type: ignore[return-value]

    def _generate_isolated(
        self, batch: list[int], encoded: list[list[int]], max_new_tokens: int
    ) -> list[Generation]:
        try:
            return self._generate_batch([encoded[i] for i in batch], max_new_tokens)
        except Exception as exc:  # noqa: BLE001 - retried row by row below, then recorded
            if len(batch) == 1:
                return [
                    Generation(None, len(encoded[batch[0]]), 0, 0.0, f"{type(exc).__name__}: {exc}")
                ]
            log.warning("batch of %d failed (%s); retrying row by row", len(batch), exc)
            return [
                self._generate_isolated([i], encoded, max_new_tokens)[0] for i in batch
            ]

    def _generate_batch(self, batch: list[list[int]], max_new_tokens: int) -> list[Generation]:
        import torch

        padded = self.tokenizer.pad(
            {"input_ids": batch}, padding=True, return_tensors="pt", padding_side="left"
        )
        started = time.perf_counter()
        with torch.inference_mode():
            output = self.model.generate(
                input_ids=padded["input_ids"].to(self.device),
                attention_mask=padded["attention_mask"].to(self.device),
                max_new_tokens=max_new_tokens,
                do_sample=False,
                pad_token_id=self.tokenizer.pad_token_id,
                eos_token_id=self.tokenizer.eos_token_id,
            )
        seconds = (time.perf_counter() - started) / len(batch)
        new_tokens = output[:, padded["input_ids"].shape[1] :].tolist()
        results = []
        for prompt_ids, ids in zip(batch, new_tokens):
            if self.tokenizer.eos_token_id in ids:
                ids = ids[: ids.index(self.tokenizer.eos_token_id)]
            text = self.tokenizer.decode(ids, skip_special_tokens=True).strip()
            results.append(Generation(text, len(prompt_ids), len(ids), seconds))
        return results
