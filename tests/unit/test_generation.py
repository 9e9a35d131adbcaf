"""The generation engine on a tiny real Llama model (no Spark, no quantization)."""

import copy
import inspect
from collections import Counter

import pytest
import torch

from enrich.engine import EngineStats, GenerationEngine
from enrich.engine.batched import Engine
from enrich.engine.batching import kv_bytes_per_token, token_budget
from enrich.model.builtin import train_tokenizer

TEXTS = [
    "The Halvik Halo headphones come in silver with a forty hour battery.",
    "A sturdy steel water bottle keeps drinks cold all day long.",
    "Reviewers love the comfort but some complain about the battery.",
] * 20

PROMPTS = [
    "### Task: description\nTitle: Halvik Halo\n### Description:\n",
    "A sturdy steel",
    "Reviewers love the comfort but some complain about the battery and the sound quality too.",
    "The",
    "### Task: review_summary\nReviews:\n- [5/5] Love it.\n### Summary:\n",
]


@pytest.fixture(scope="module")
def tiny():
    from transformers import LlamaConfig, LlamaForCausalLM

    tokenizer = train_tokenizer(TEXTS, vocab_size=300)
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=128,
        pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
    )
    model = LlamaForCausalLM(config).eval()
    return model, tokenizer


def alone(model, tokenizer, prompt: str, max_new_tokens: int) -> str:
    ids = tokenizer(prompt, return_tensors="pt")["input_ids"]
    with torch.inference_mode():
        out = model.generate(
            input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_new_tokens,
            do_sample=False, pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
        )[0, ids.shape[1]:].tolist()
    if tokenizer.eos_token_id in out:
        out = out[: out.index(tokenizer.eos_token_id)]
    return tokenizer.decode(out, skip_special_tokens=True).strip()


def test_the_engine_satisfies_the_engine_contract(tiny):
    model, tokenizer = tiny
    engine = Engine(model, tokenizer, context_length=128)
    assert isinstance(engine, GenerationEngine)
    assert isinstance(engine.stats, EngineStats) and str(engine.device) == "cpu"
    # generate takes the contract's arguments, as keywords with the same defaults, and returns
    # its results; anything more it takes has a default, so a caller of the contract can omit it.
    contract = inspect.signature(GenerationEngine.generate)
    own = inspect.signature(Engine.generate)
    assert own.return_annotation == contract.return_annotation
    for name, wanted in contract.parameters.items():
        got = own.parameters[name]
        assert (got.kind, got.default, got.annotation) == (
            wanted.kind, wanted.default, wanted.annotation), name
    extra = set(own.parameters) - set(contract.parameters)
    assert all(own.parameters[n].default is not inspect.Parameter.empty for n in extra)


def test_batched_output_matches_one_at_a_time_in_input_order(tiny):
    model, tokenizer = tiny
    engine = Engine(model, tokenizer, context_length=128)
    results = engine.generate(PROMPTS, max_new_tokens=12, batch_size=3)
    assert [r.error for r in results] == [None] * len(PROMPTS)
    expected = [alone(model, tokenizer, p, 12) for p in PROMPTS]
    assert [r.text for r in results] == expected
    for prompt, result in zip(PROMPTS, results):
        assert result.prompt_tokens == len(tokenizer(prompt)["input_ids"])
        assert 0 <= result.output_tokens <= 12
        assert result.seconds > 0


@pytest.mark.parametrize("prefill_tokens", [1, 40])
def test_prompts_run_in_chunks_of_rows_give_the_same_output(tiny, prefill_tokens):
    model, tokenizer = tiny
    engine = Engine(model, tokenizer, context_length=128, prefill_tokens=prefill_tokens)
    results = engine.generate(PROMPTS * 2, max_new_tokens=10, batch_size=10)
    assert engine.stats.batches == 1  # one batch, its prompts in several chunks
    assert [r.text for r in results] == [alone(model, tokenizer, p, 10) for p in PROMPTS * 2]


SHARED = "### Task: description\nWrite a short text about the product.\nTitle: "
TEMPLATED = [SHARED + t for t in ("Halvik Halo", "A sturdy steel bottle", "The", "Halvik Halo 2",
                                  "Reviewers love the comfort but some complain")]


@pytest.mark.parametrize("prefill_tokens", [1, 40, 2048])
def test_a_shared_prefix_computed_once_gives_the_same_output(tiny, prefill_tokens):
    model, tokenizer = tiny
    engine = Engine(model, tokenizer, context_length=128, prefill_tokens=prefill_tokens)
    encoded = [tokenizer(p)["input_ids"] for p in TEMPLATED]
    shared = Engine.shared_prefix(encoded)
    assert shared >= 10 and shared < min(map(len, encoded))  # the template, not a whole prompt
    results = engine.generate(TEMPLATED, max_new_tokens=10, batch_size=8)
    assert engine.stats.batches == 1
    assert [r.text for r in results] == [alone(model, tokenizer, p, 10) for p in TEMPLATED]


def test_the_shared_prefix_leaves_every_row_its_last_token():
    assert Engine.shared_prefix([[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6, 7]]) == 5
    assert Engine.shared_prefix([[1, 2, 3, 4, 5, 6]]) == 0  # one row: nothing to share
    assert Engine.shared_prefix([[1, 2, 3, 9], [1, 2, 3, 4, 5]]) == 0  # under the minimum


def test_too_long_and_empty_prompts_fail_alone(tiny):
    model, tokenizer = tiny
    engine = Engine(model, tokenizer, context_length=40)
    results = engine.generate(["word " * 100, "", "The"], max_new_tokens=8)
    assert "fit the model's context of 40" in results[0].error
    assert results[1].error == "empty prompt"
    assert results[2].error is None and results[2].text is not None


class Wrapped(torch.nn.Module):
    """A model whose forward pass raises ``error`` whenever ``fails(input_ids)`` is true."""

    def __init__(self, model, fails, error):
        super().__init__()
        self.model, self.fails, self.error = model, fails, error
        self.config = model.config

    def get_base_model(self):  # as peft's wrappers: the engine reads the forward's keywords here
        return self.model

    def forward(self, input_ids, **kwargs):
        if self.fails(input_ids):
            raise self.error
        return self.model(input_ids=input_ids, **kwargs)


def poisoned(model, poison: int):
    return Wrapped(model, lambda ids: bool((ids == poison).any()), RuntimeError("poisoned row"))


def test_a_failing_row_is_isolated_from_its_batch(tiny):
    model, tokenizer = tiny
    poison = tokenizer("Zebras", add_special_tokens=False)["input_ids"][0]
    engine = Engine(poisoned(model, poison), tokenizer, context_length=128)
    prompts = ["The Halvik", "Zebras", "A sturdy"]
    results = engine.generate(prompts, max_new_tokens=6, batch_size=8)
    assert results[1].error == "RuntimeError: poisoned row"
    assert results[0].error is None and results[2].error is None
    assert results[0].text == alone(model, tokenizer, "The Halvik", 6)


def test_rows_stop_at_their_own_end_token_and_match_generate_alone(tiny):
    model, tokenizer = tiny
    # Make a token the random model writes often the end token, so rows end at different steps
    # and leave the batch while others go on.
    written = Counter()
    for prompt in PROMPTS:
        ids = tokenizer(prompt, return_tensors="pt")["input_ids"]
        with torch.inference_mode():
            out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=16,
                                 do_sample=False, pad_token_id=tokenizer.pad_token_id)
        written.update(out[0, ids.shape[1] + 1 :].tolist())  # not the first: every row would stop
    stopping = copy.deepcopy(tokenizer)
    stopping.eos_token = tokenizer.convert_ids_to_tokens(written.most_common(1)[0][0])
    engine = Engine(model, stopping, context_length=128)
    results = engine.generate(PROMPTS * 3, max_new_tokens=16, batch_size=8)
    assert [r.text for r in results] == [alone(model, stopping, p, 16) for p in PROMPTS * 3]
    lengths = {r.output_tokens for r in results}
    assert len(lengths) > 1 and max(lengths) <= 16  # rows really ended at different steps


def test_mean_logprob_is_that_of_the_generated_tokens(tiny):
    model, tokenizer = tiny
    prompt = PROMPTS[0]
    result = Engine(model, tokenizer, context_length=128).generate([prompt], max_new_tokens=10)[0]
    ids = tokenizer(prompt, return_tensors="pt")["input_ids"]
    with torch.inference_mode():
        full = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=10,
                              do_sample=False, pad_token_id=tokenizer.pad_token_id)
        logprobs = torch.log_softmax(model(full).logits[0].float(), dim=-1)
    start = ids.shape[1]
    new = full[0, start:].tolist()
    assert tokenizer.eos_token_id not in new and len(new) == result.output_tokens
    picked = [logprobs[start - 1 + k, t].item() for k, t in enumerate(new)]
    assert result.mean_logprob == pytest.approx(sum(picked) / len(picked), abs=1e-4)
    assert result.mean_logprob < 0


def test_out_of_memory_halves_the_batch_and_loses_nothing(tiny):
    model, tokenizer = tiny
    # Any prefill of more than two rows runs out of memory.
    oom = Wrapped(model, lambda ids: ids.shape[0] > 2 and ids.shape[1] > 1, torch.OutOfMemoryError("CUDA out of memory"))
    engine = Engine(oom, tokenizer, context_length=128)
    prompts = PROMPTS + PROMPTS[:2]  # 7 rows in one batch: 7 -> 3 + 4 -> (1 + 2) + (2 + 2)
    results = engine.generate(prompts, max_new_tokens=8, batch_size=8)
    assert [r.error for r in results] == [None] * 7
    assert [r.text for r in results] == [alone(model, tokenizer, p, 8) for p in prompts]
    assert engine.stats.oom_splits == 3
    assert engine.stats.row_retries == 0


def test_a_row_that_runs_out_of_memory_alone_fails_alone(tiny):
    model, tokenizer = tiny
    long = PROMPTS[2]
    width = len(tokenizer(long)["input_ids"])
    oom = Wrapped(model, lambda ids: ids.shape[1] >= width, torch.OutOfMemoryError("out of memory"))
    results = Engine(oom, tokenizer, context_length=128).generate([long, "The"], max_new_tokens=4)
    assert results[0].error == "out of memory on a single row"
    assert results[1].error is None


def test_batches_are_sorted_by_length_and_kept_under_the_token_budget(tiny):
    model, tokenizer = tiny
    engine = Engine(model, tokenizer, context_length=128, token_budget=100)
    lengths = [30, 5, 12, 5, 40, 8, 90]
    batches = engine.plan_batches(lengths, max_new_tokens=10, max_rows=3)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    flat = [lengths[i] for b in batches for i in b]
    assert flat == sorted(flat)
    for batch in batches:
        assert len(batch) <= 3
        assert len(batch) == 1 or len(batch) * (max(lengths[i] for i in batch) + 10) <= 100
    assert [lengths[i] for i in batches[-1]] == [90]  # over the budget alone: still runs, alone


def test_token_budget_follows_the_kv_cache_size(tiny):
    model, _ = tiny
    # 2 layers x 2 heads x 16 dims x (key + value) x 4 bytes
    assert kv_bytes_per_token(model.config, 4) == 2 * 2 * 2 * 16 * 4
    assert token_budget(model.config, 4, memory_mb=1) == 2**20 // 512
