"""The batched engine: greedy decoding of many prompts with one loaded transformers model.

This is the :class:`enrich.engine.GenerationEngine` the job runs in each worker. Prompts are
tokenized once and sorted by length; batches are cut under a token budget (rows times the longest
prompt plus the new tokens, derived from a KV-cache memory budget by
:func:`enrich.engine.batching.token_budget`) and a row cap. Each batch is padded on the right; the
tokens all its prompts start with (a task's instructions, about half a description prompt) run
once, on one row, and are copied into every row's cache; the rest of the prompts run causally (no
mask) in chunks of rows, and the batch is decoded greedily by the engine's own
loop over a KV cache written in place (:mod:`enrich.engine.kv_cache`), with a mask that hides each
row's padding. A row stops at its own end token or token limit, and finished rows leave the batch
(in groups, once they are a quarter of it), so later steps compute only the rows still writing.
Results come back in the caller's order, with tokens, seconds (each decode step's time shared by
the rows in it) and the mean log-probability of the generated tokens.

Failures never escape as exceptions: an out-of-memory batch is halved and retried (counted in
:attr:`Engine.stats`), any other failing batch is retried row by row so one bad row fails alone,
and a row's failure comes back as data (:attr:`Generation.error`).

Example:
    >>> engine = Engine(model, tokenizer, context_length=512)
    >>> out = engine.generate(["### Task: description\\nTitle: Mug\\n"], max_new_tokens=32)
    >>> out[0].text, out[0].output_tokens
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable
from dataclasses import replace

from enrich.engine.base import EngineStats, Generation
from enrich.engine.batching import batches_by_length

log = logging.getLogger(__name__)

DEFAULT_TOKEN_BUDGET = 16_384
# Prompt tokens per forward pass: on the CPU, chunks of about 2,000 tokens ran the prompts of a
# 64-row review batch in three quarters of the time one pass took (their activations stay in
# the caches); a chunk this size still fills a GPU's matrix units.
DEFAULT_PREFILL_TOKENS = 2048
# Fewest leading tokens shared by a batch's prompts that are computed once for all its rows:
# below it the extra one-row pass costs about what it saves.
MIN_SHARED_PREFIX = 4


def cache_argument(model) -> str:
    """The keyword ``model``'s forward takes the KV cache by: ``cache`` where transformers has
    renamed it (``past_key_values`` is deprecated there, to go in 5.40), else ``past_key_values``."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model  # peft
    return "cache" if "cache" in inspect.signature(base.forward).parameters else "past_key_values"


class _Tally:
    """Rows finished in one :meth:`Engine.generate_ids` call and their tokens, reported to a
    callback as they finish."""

    def __init__(self, callback: Callable[[int, int], None] | None) -> None:
        self.callback = callback
        self.rows = self.tokens = 0

    def add(self, tokens: int) -> None:
        self.rows += 1
        self.tokens += tokens
        if self.callback is not None:
            self.callback(self.rows, self.tokens)


def _is_oom(exc: BaseException) -> bool:
    import torch

    return isinstance(exc, torch.OutOfMemoryError) or "out of memory" in str(exc).lower()


class Engine:
    """Generates text for many prompts with one loaded model; a
    :class:`enrich.engine.GenerationEngine`.

    Args:
        model: a causal LM (a peft model over a quantized base, or any transformers causal LM).
        tokenizer: its tokenizer; needs a pad and an eos token.
        context_length: longest sequence (prompt plus new tokens) the model accepts.
        token_budget: most tokens in one batch, counted as rows x (longest prompt + new tokens);
            see :func:`enrich.engine.batching.token_budget`.
        prefill_tokens: most tokens (rows x padded prompt length) in one forward pass over the
            prompts; a batch's prompts run in chunks of rows under it (at least one row).
    """

    def __init__(
        self,
        model,
        tokenizer,
        *,
        context_length: int,
        token_budget: int = DEFAULT_TOKEN_BUDGET,
        prefill_tokens: int = DEFAULT_PREFILL_TOKENS,
    ) -> None:
        if tokenizer.pad_token_id is None or tokenizer.eos_token_id is None:
            raise ValueError("the tokenizer needs a pad token and an eos token")
        self.model = model
        self.tokenizer = tokenizer
        self.context_length = context_length
        self.token_budget = token_budget
        self.prefill_tokens = prefill_tokens
        self.device = next(model.parameters()).device
        self.stats = EngineStats()
        self._cache_argument = cache_argument(model)

    # Planning ------------------------------------------------------------------------------

    def plan_batches(self, lengths: list[int], max_new_tokens: int, max_rows: int) -> list[list[int]]:
        """Indices of ``lengths`` grouped into batches: sorted by length, each under the budget.

        A batch costs rows x (its longest prompt + ``max_new_tokens``); it holds at most
        ``max_rows`` rows and at least one.
        """
        return batches_by_length(
            lengths, max_rows=max_rows, max_tokens=self.token_budget, extra=max_new_tokens
        )

    # Generation ----------------------------------------------------------------------------

    def generate(
        self,
        prompts: list[str],
        *,
        max_new_tokens: int,
        batch_size: int = 64,
        on_rows: Callable[[int, int], None] | None = None,
    ) -> list[Generation]:
        """Generate greedily for each prompt.

        Args:
            prompts: the prompts, in any order.
            max_new_tokens: most tokens to generate per row.
            batch_size: most prompts in one batch (the token budget may allow fewer).
            on_rows: called as rows finish with the rows finished so far in this call and their
                tokens (prompt and output), for progress reports.

        Returns:
            One :class:`Generation` per prompt, in the order of ``prompts``.
        """
        # Special tokens as the model expects them at the start (a BOS for Llama-style bases).
        encoded = self.tokenizer(prompts, add_special_tokens=True)["input_ids"] if prompts else []
        results = self.generate_ids(
            encoded, max_new_tokens=max_new_tokens, batch_size=batch_size, on_rows=on_rows
        )
        return [
            r if r.error else replace(r, text=self.tokenizer.decode(r.token_ids, skip_special_tokens=True).strip())
            for r in results
        ]

    def generate_ids(
        self,
        encoded: list[list[int]],
        *,
        max_new_tokens: int,
        batch_size: int = 64,
        stop_at_eos: bool = True,
        on_rows: Callable[[int, int], None] | None = None,
    ) -> list[Generation]:
        """:meth:`generate` on token ids; results carry ``token_ids`` and no text.

        ``stop_at_eos=False`` generates exactly ``max_new_tokens`` per row (for benchmarks).
        """
        tally = _Tally(on_rows)
        results: list[Generation | None] = [None] * len(encoded)
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
        lengths = [len(encoded[i]) for i in runnable]
        eos = self.tokenizer.eos_token_id if stop_at_eos else None
        for batch in self.plan_batches(lengths, max_new_tokens, batch_size):
            rows = [runnable[j] for j in batch]
            generated = self._generate_guarded(rows, encoded, max_new_tokens, eos, tally)
            for i, generation in zip(rows, generated):
                results[i] = generation
        return results  # type: ignore[return-value]

    def _generate_guarded(
        self,
        rows: list[int],
        encoded: list[list[int]],
        max_new_tokens: int,
        eos: int | None,
        tally: _Tally,
    ) -> list[Generation]:
        try:
            return self._generate_batch([encoded[i] for i in rows], max_new_tokens, eos, tally)
        except Exception as exc:  # noqa: BLE001 - retried below, then recorded per row
            if len(rows) == 1:
                message = "out of memory on a single row" if _is_oom(exc) else f"{type(exc).__name__}: {exc}"
                return [Generation(None, len(encoded[rows[0]]), 0, 0.0, message)]
            if _is_oom(exc):
                self._release_memory()
                self.stats.oom_splits += 1
                half = len(rows) // 2
                log.warning("out of memory on a batch of %d rows; retrying as %d + %d",
                            len(rows), half, len(rows) - half)
                return [
                    *self._generate_guarded(rows[:half], encoded, max_new_tokens, eos, tally),
                    *self._generate_guarded(rows[half:], encoded, max_new_tokens, eos, tally),
                ]
            self.stats.row_retries += 1
            log.warning("batch of %d failed (%s); retrying row by row", len(rows), exc)
            return [
                self._generate_guarded([i], encoded, max_new_tokens, eos, tally)[0] for i in rows
            ]

    def _prefill(self, input_ids, lengths, cache, shared: int = 0):
        """The prompts' forward passes, in chunks of rows under :attr:`prefill_tokens`, each
        writing into its rows of ``cache``; the logits of each row's last prompt token.

        The first ``shared`` tokens, the same in every row, run once on one row and are copied
        into every row of the cache; the chunks run only the tokens after them. Prompts are
        padded on the right, so a row's tokens never see its padding and the passes need no
        mask: attention runs causal, skipping the half a masked pass computes and throws away.
        Logits are computed at the chunk's distinct last positions only.
        """
        import torch

        from enrich.engine.kv_cache import preallocated_cache, rows_of, write_prefix

        if shared:
            prefix = preallocated_cache(self.model.config, shared, rows=1)
            self.model(
                input_ids=input_ids[:1, :shared], **{self._cache_argument: prefix},
                use_cache=True, logits_to_keep=1,
            )
            write_prefix(cache, prefix)
            input_ids, lengths = input_ids[:, shared:], lengths - shared
        rows = max(1, self.prefill_tokens // input_ids.shape[1])
        logits = []
        for start in range(0, len(input_ids), rows):
            chunk = slice(start, start + rows)
            last, where = torch.unique(lengths[chunk] - 1, return_inverse=True)
            out = self.model(
                input_ids=input_ids[chunk],
                **{self._cache_argument: rows_of(cache, start, len(where), shared)},
                use_cache=True,
                logits_to_keep=last,
            )
            logits.append(out.logits[torch.arange(len(where), device=self.device), where].float())
        return torch.cat(logits)

    @staticmethod
    def shared_prefix(batch: list[list[int]]) -> int:
        """How many leading tokens every prompt of ``batch`` shares (a task's instructions, a
        chat template's system turn), to be computed once: at most one less than the shortest
        prompt, so each row still runs its last token; 0 under :data:`MIN_SHARED_PREFIX` or
        for a single row."""
        if len(batch) < 2:
            return 0
        first, limit = batch[0], min(len(ids) for ids in batch) - 1
        shared = 0
        while shared < limit and all(ids[shared] == first[shared] for ids in batch):
            shared += 1
        return shared if shared >= MIN_SHARED_PREFIX else 0

    def _forward(self, input_ids, mask, positions, cache):
        """One forward pass over ``cache``: the float logits of each row's last position."""
        out = self.model(
            input_ids=input_ids,
            attention_mask=mask,
            position_ids=positions,
            **{self._cache_argument: cache},
            use_cache=True,
            logits_to_keep=1,
        )
        return out.logits[:, -1, :].float()

    def _release_memory(self) -> None:
        import torch

        if self.device.type == "cuda":
            torch.cuda.empty_cache()

    def _generate_batch(
        self, batch: list[list[int]], max_new_tokens: int, eos: int | None, tally: _Tally
    ) -> list[Generation]:
        """Greedy decoding of one batch; finished rows leave the batch (and the KV cache)."""
        import torch

        from enrich.engine.kv_cache import preallocated_cache

        n, width = len(batch), max(len(ids) for ids in batch)
        input_ids = torch.full((n, width), self.tokenizer.pad_token_id, dtype=torch.long)
        for row, ids in enumerate(batch):  # right padding: the new tokens follow the padding
            input_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
        input_ids = input_ids.to(self.device)
        lengths = torch.tensor([len(ids) for ids in batch], device=self.device)
        mask = (torch.arange(width, device=self.device) < lengths[:, None]).long()
        self.stats.batches += 1
        positions = lengths[:, None] - 1  # of each row's last token so far
        cache = preallocated_cache(self.model.config, width + max_new_tokens, rows=n)
        tokens: list[list[int]] = [[] for _ in range(n)]
        logprob_sums = [0.0] * n
        seconds = [0.0] * n
        active = list(range(n))  # batch rows in cache order
        finished = [False] * n
        chosen = None  # each step's tokens, the next step's input
        with torch.inference_mode():
            for step in range(max_new_tokens):
                started = time.perf_counter()
                if step == 0:
                    logits = self._prefill(input_ids, lengths, cache, self.shared_prefix(batch))
                else:
                    logits = self._forward(chosen[:, None], mask, positions, cache)
                chosen = logits.argmax(dim=-1)
                logprobs = torch.log_softmax(logits, dim=-1).gather(1, chosen[:, None])[:, 0]
                chosen_list, logprob_list = chosen.tolist(), logprobs.tolist()
                elapsed = time.perf_counter() - started
                self.stats.decode_steps += 1
                writing = [slot for slot, row in enumerate(active) if not finished[row]]
                for slot in writing:
                    row = active[slot]
                    seconds[row] += elapsed / len(writing)
                    if chosen_list[slot] == eos:
                        finished[row] = True
                    else:
                        tokens[row].append(chosen_list[slot])
                        logprob_sums[row] += logprob_list[slot]
                        finished[row] = len(tokens[row]) >= max_new_tokens
                    if finished[row]:
                        tally.add(len(batch[row]) + len(tokens[row]))
                keep = [slot for slot, row in enumerate(active) if not finished[row]]
                if not keep:
                    break
                # Finished rows leave the batch once they are a quarter of it: copying the KV
                # cache at every single finish would cost more than the steps it saves.
                if len(active) - len(keep) >= max(1, len(active) // 4):
                    index = torch.tensor(keep, device=self.device)
                    cache.batch_select_indices(index)
                    mask, positions, chosen = mask[index], positions[index], chosen[index]
                    active = [active[slot] for slot in keep]
                positions = positions + 1
                mask = torch.cat([mask, mask.new_ones((len(active), 1))], dim=-1)
        return [
            Generation(
                None,
                len(prompt),
                len(ids),
                seconds[row],
                mean_logprob=logprob_sums[row] / len(ids) if ids else None,
                token_ids=tuple(ids),
            )
            for row, (prompt, ids) in enumerate(zip(batch, tokens))
        ]
