"""The generation engine on a tiny real Llama model (no Spark, no quantization)."""

import pytest
import torch

from enrich.generation import Engine
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


def test_too_long_and_empty_prompts_fail_alone(tiny):
    model, tokenizer = tiny
    engine = Engine(model, tokenizer, context_length=40)
    results = engine.generate(["word " * 100, "", "The"], max_new_tokens=8)
    assert "fit the model's context of 40" in results[0].error
    assert results[1].error == "empty prompt"
    assert results[2].error is None and results[2].text is not None


class Exploding(torch.nn.Module):
    """Wraps a model; generate() raises whenever a batch holds the poisoned token."""

    def __init__(self, model, poison: int):
        super().__init__()
        self.model, self.poison = model, poison

    def generate(self, input_ids, **kwargs):
        if (input_ids == self.poison).any():
            raise RuntimeError("poisoned row")
        return self.model.generate(input_ids=input_ids, **kwargs)


def test_a_failing_row_is_isolated_from_its_batch(tiny):
    model, tokenizer = tiny
    poison = tokenizer("Zebras", add_special_tokens=False)["input_ids"][0]
    engine = Engine(Exploding(model, poison), tokenizer, context_length=128)
    prompts = ["The Halvik", "Zebras", "A sturdy"]
    results = engine.generate(prompts, max_new_tokens=6, batch_size=8)
    assert results[1].error == "RuntimeError: poisoned row"
    assert results[0].error is None and results[2].error is None
    assert results[0].text == alone(model, tokenizer, "The Halvik", 6)
