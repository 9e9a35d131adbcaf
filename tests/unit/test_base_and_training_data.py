"""Base model folders (the checks before training), prompt-only loss masking, merged refs."""

import pytest

from enrich.model.base import BaseModelError, check_base_folder
from enrich.model.builtin import train_tokenizer
from enrich.model.corpus import Example
from enrich.model.finetune import IGNORE, encode_examples

TEXTS = ["Title: Mug\nA red mug for coffee.", "The steel bottle keeps water cold."] * 10
TARGETS = ["q_proj", "v_proj"]


@pytest.fixture(scope="module")
def tokenizer():
    return train_tokenizer(TEXTS, vocab_size=300)


def save_tiny_llama(folder, tokenizer, *, weights=True, tok=True):
    from transformers import LlamaConfig, LlamaForCausalLM

    model = LlamaForCausalLM(
        # Widths in multiples of 64: bitsandbytes' CPU 4-bit kernels need them.
        LlamaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128,
                    num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=2,
                    max_position_embeddings=256)
    )
    folder.mkdir(parents=True, exist_ok=True)
    model.config.save_pretrained(folder)
    if weights:
        model.save_pretrained(folder)
    if tok:
        tokenizer.save_pretrained(folder)
    return folder


def test_a_complete_folder_passes_and_gives_its_context(tmp_path, tokenizer):
    folder = save_tiny_llama(tmp_path / "m", tokenizer)
    assert check_base_folder(folder, TARGETS) == 256


def test_missing_folder(tmp_path):
    with pytest.raises(BaseModelError, match="does not exist"):
        check_base_folder(tmp_path / "nope", TARGETS)


def test_folder_without_config(tmp_path):
    (tmp_path / "m").mkdir()
    with pytest.raises(BaseModelError, match="no config.json"):
        check_base_folder(tmp_path / "m", TARGETS)


def test_folder_without_weights(tmp_path, tokenizer):
    folder = save_tiny_llama(tmp_path / "m", tokenizer, weights=False)
    with pytest.raises(BaseModelError, match="no safetensors weights"):
        check_base_folder(folder, TARGETS)


def test_pickled_weights_are_refused(tmp_path, tokenizer):
    import torch
    from safetensors.torch import load_file

    folder = save_tiny_llama(tmp_path / "m", tokenizer)
    # The same weights as an old-style pickle, the only weights in the folder.
    torch.save(load_file(folder / "model.safetensors"), folder / "pytorch_model.bin")
    (folder / "model.safetensors").unlink()
    with pytest.raises(BaseModelError, match="pickled weights.*safe_serialization"):
        check_base_folder(folder, TARGETS)


def test_folder_without_tokenizer(tmp_path, tokenizer):
    folder = save_tiny_llama(tmp_path / "m", tokenizer, tok=False)
    with pytest.raises(BaseModelError, match="no tokenizer"):
        check_base_folder(folder, TARGETS)


def test_architecture_without_the_target_modules(tmp_path, tokenizer):
    folder = save_tiny_llama(tmp_path / "m", tokenizer)
    with pytest.raises(BaseModelError, match=r"\['c_attn'\] are not modules.*q_proj"):
        check_base_folder(folder, ["q_proj", "c_attn"])


def test_loss_is_taken_on_the_answer_only(tokenizer):
    example = Example("description", "Title: Mug\n", "A red mug.")
    (encoded,) = encode_examples([example], tokenizer, context_length=64)
    prompt = tokenizer(example.prompt)["input_ids"]
    answer = tokenizer(example.answer, add_special_tokens=False)["input_ids"]
    assert encoded["input_ids"] == prompt + answer + [tokenizer.eos_token_id]
    assert encoded["labels"] == [IGNORE] * len(prompt) + answer + [tokenizer.eos_token_id]


def test_long_answers_are_cut_and_unfittable_prompts_dropped(tokenizer):
    long = Example("description", "Title: Mug\n", "A red mug. " * 50)
    huge = Example("description", "Title: Mug\n" * 40, "A red mug.")
    encoded = encode_examples([long, huge], tokenizer, context_length=32)
    assert len(encoded) == 1
    assert len(encoded[0]["input_ids"]) == 32
