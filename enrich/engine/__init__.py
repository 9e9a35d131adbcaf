"""The generation engine: one contract, and the backends that implement it.

The package owns everything between a list of prompts and a list of results: batching, the
model's forward passes, the KV cache, greedy decoding, and turning a failing row into data.
Callers see one narrow contract (:mod:`enrich.engine.base`): prompts and limits in
(``generate(prompts, *, max_new_tokens, batch_size, on_rows)``); texts, token ids and counts,
seconds, mean log-probabilities and per-row errors out (:class:`Generation`), in the prompts'
order, plus :class:`EngineStats` counters. The generation stage never knows which backend runs.

Modules:

- :mod:`enrich.engine.base`: the contract, :class:`GenerationEngine`, :class:`Generation` and
  :class:`EngineStats`;
- :mod:`enrich.engine.batched`: :class:`~enrich.engine.batched.Engine`, the backend the job runs
  today (batched greedy decoding over any transformers causal LM, CPU or GPU);
- :mod:`enrich.engine.kv_cache`: its KV cache written in place;
- :mod:`enrich.engine.batching`: batches by length under a token budget, and the budget a KV-cache
  memory allowance gives (also used by training).

A new backend plugs in at two places and nowhere else:

1. a class that satisfies :class:`GenerationEngine` (``device``, ``stats`` and ``generate``, with
   the guarantees its docstring lists), in a module of this package whose heavy imports happen
   inside its functions, so the driver and the CPU tests can import the package. A GPU cluster
   backend, for example, would wrap vLLM's offline ``LLM`` with ``enable_lora=True``: one
   ``LLM.generate`` over the prompts with ``SamplingParams(temperature=0,
   max_tokens=max_new_tokens, logprobs=1)`` and the version's adapter as a ``LoRARequest``, each
   output mapped to a :class:`Generation` (a request that fails becomes a row with ``error``);
2. the choice of backend in :func:`enrich.model.loading.load_engine`, the one function that
   builds an engine for a model version; the per-worker cache and the stage take what it returns.

A benchmark peer in ``bench/`` (batched HF ``generate``, CTranslate2, llama.cpp) plugs in the same
way: it implements the protocol, and a benchmark then times it and this package's engines through
one loop. Tests of the stage use a fake engine (``tests/unit/test_udf.py``); tests of a backend run
a tiny real model (``tests/unit/test_generation.py``), behind the ``gpu`` marker where it needs one.
"""

from enrich.engine.base import EngineStats, Generation, GenerationEngine

__all__ = ["EngineStats", "Generation", "GenerationEngine"]
