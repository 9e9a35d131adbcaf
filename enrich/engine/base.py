"""The engine contract: prompts and limits in; texts, token counts and per-row errors out.

Everything that consumes an engine (the generation stage in :mod:`enrich.udf`, the benchmarks)
depends on :class:`GenerationEngine` and :class:`Generation` only, never on a backend's own
classes, so a backend can be swapped without touching them. Nothing here imports torch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Generation:
    """What one prompt produced.

    A row that could not be generated has ``text = None`` and the reason in ``error``; its token
    counts say what was known (the prompt's tokens, where it was tokenized).
    """

    text: str | None
    prompt_tokens: int
    output_tokens: int
    seconds: float
    error: str | None = None
    mean_logprob: float | None = None  # mean log-probability of the generated tokens
    token_ids: tuple[int, ...] = ()  # the generated tokens, end token excluded


@dataclass
class EngineStats:
    """Counters of one engine over its life (a worker's, with the model cache).

    A backend fills the counters that apply to it and leaves the others at zero; the stage reports
    ``oom_splits`` as ``enrichment_runs.oom_retries``.
    """

    batches: int = 0
    decode_steps: int = 0
    oom_splits: int = 0  # batches halved after running out of memory
    row_retries: int = 0  # batches retried row by row after another error


@runtime_checkable
class GenerationEngine(Protocol):
    """A loaded model that generates greedily for many prompts at once.

    An implementation:

    - returns exactly one :class:`Generation` per prompt, in the order of ``prompts``;
    - decodes greedily and stops a row at its end token or at ``max_new_tokens``;
    - never raises for a bad row or batch: a row that fails comes back with ``error`` set, and
      its neighbours are unaffected;
    - is loaded once per worker and reused across batches (see
      :func:`enrich.model.loading.cached_engine`), so ``generate`` must be callable many times.

    Example:
        >>> engine: GenerationEngine = cached_engine(ref, device="cpu")[0]
        >>> [g.text for g in engine.generate(prompts, max_new_tokens=90) if g.error is None]
    """

    @property
    def device(self) -> object:
        """Where it computes (a ``torch.device`` or its name): the stage counts a row's seconds
        as GPU seconds when ``str(device)`` starts with ``cuda``."""
        ...

    @property
    def stats(self) -> EngineStats:
        """Its counters, read by the stage after each batch."""
        ...

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
            batch_size: most prompts in one batch (a backend's own limits may allow fewer).
            on_rows: called as rows finish with the rows finished so far in this call and their
                tokens (prompt and output), for progress reports.

        Returns:
            One :class:`Generation` per prompt, in the order of ``prompts``.
        """
        ...
