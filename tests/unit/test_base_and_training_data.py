"""Base model folders (the checks before training), prompt-only loss masking, merged refs."""

import pytest

from enrich.model.base import BaseModelError, check_base_folder
from enrich.model.builtin import train_tokenizer
from enrich.model.corpus import Example, one_spaced
from enrich.model.finetune import IGNORE, encode_examples

TEXTS = ["Title: Mug\nA red mug for coffee.", "The steel bottle keeps water cold."] * 10
TARGETS = ["q_proj", "v_proj"]


@pytest.fixture(scope="module")
def tokenizer():
    return train_tokenizer(TEXTS, vocab_size=300)


def save_tiny_llama(folder, tokenizer, *, weights=True, tok=True, context=256):
    from transformers import LlamaConfig, LlamaForCausalLM

    model = LlamaForCausalLM(
        # Widths in multiples of 64: bitsandbytes' CPU 4-bit kernels need them.
        LlamaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128,
                    num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=2,
                    max_position_embeddings=context)
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


def test_the_loss_at_answer_positions_equals_the_models_own_loss(tmp_path, tokenizer):
    import torch
    from transformers import AutoModelForCausalLM

    from enrich.model.trainer import answer_loss

    model = AutoModelForCausalLM.from_pretrained(save_tiny_llama(tmp_path / "m", tokenizer))
    ids = torch.randint(3, len(tokenizer), (2, 12))
    mask = torch.ones_like(ids)
    mask[1, 9:] = 0  # right padding
    labels = ids.clone()
    labels[:, :5] = IGNORE  # the prompt
    labels[1, 9:] = IGNORE
    expected = model(input_ids=ids, attention_mask=mask, labels=labels).loss
    assert torch.allclose(answer_loss(model, ids, mask, labels), expected, atol=1e-6)


def test_token_batches_group_similar_lengths_under_both_limits():
    from enrich.model.trainer import token_batches

    items = [{"input_ids": [0] * n} for n in (100, 10, 12, 90, 11, 95, 13, 9)]
    batches = token_batches(items, max_rows=3, max_tokens=200)
    sizes = [[len(e["input_ids"]) for e in b] for b in batches]
    # Three rows at most; 13, 90 and 95 would be 3 x 95 = 285 tokens, over 200.
    assert sizes == [[9, 10, 11], [12, 13], [90, 95], [100]]
    # An example longer than the budget still gets a batch of its own.
    assert token_batches([{"input_ids": [0] * 500}], max_rows=3, max_tokens=200) == [
        [{"input_ids": [0] * 500}]
    ]


def test_examples_take_every_rows_first_reference_before_any_second():
    from enrich.model.corpus import LabelledRow, examples

    rows = [LabelledRow("description", f"p{i}", f"prompt {i}", [f"a{i}", f"b{i}", f"c{i}"], {})
            for i in range(3)]
    picked = examples(rows, limit=4)
    assert [e.answer for e in picked] == ["a0", "a1", "a2", "b0"]
    assert [e.product_id for e in picked] == ["p0", "p1", "p2", "p0"]


def test_a_small_task_is_repeated_up_to_its_floor():
    from enrich.model.corpus import LabelledRow, examples

    rows = [LabelledRow("review_summary", "p0", "prompt", ["s1", "s2"], {})]
    assert [e.answer for e in examples(rows, limit=100, at_least=5)] == ["s1", "s2", "s1", "s2", "s1"]
    assert examples([], limit=100, at_least=5) == []


def test_examples_digest_counts_datasets_and_changes_with_any_text():
    from enrich.model.corpus import examples_digest

    items = [Example("description", "p", "a", "e2e-1"), Example("description", "p", "b", "P0000001")]
    digest = examples_digest(items)
    assert digest["description"]["examples"] == {"e2e": 1, "demo": 1}
    changed = examples_digest([items[0], Example("description", "p", "c", "P0000001")])
    assert changed["description"]["sha256"] != digest["description"]["sha256"]


def test_no_example_fitting_the_context_is_an_error_that_says_what_to_change(tokenizer):
    from enrich.model.trainer import TrainingDataError

    huge = Example("description", "Title: Mug\n" * 40, "A red mug.")
    with pytest.raises(TrainingDataError, match="context of 32 tokens.*review_token_budget"):
        encode_examples([huge], tokenizer, context_length=32)


def test_limits_and_floors_apply_to_each_dataset_and_invented_numbers_are_left_out():
    from enrich.model.corpus import LabelledRow, examples

    e2e = [LabelledRow("description", f"e2e-{i}", f"rating: {i} out of 5", [f"Rated {i} of 5.", "Nice."],
                       {}) for i in range(1, 4)]
    demo = [LabelledRow("description", "P0000001", "Title: Mug", ["A mug.", "One of 12 mugs."], {})]
    picked = examples(e2e + demo, limit=4, at_least=3)
    by = {}
    for e in picked:
        by.setdefault(e.product_id[:3], []).append(e.answer)
    assert by["e2e"] == ["Rated 1 of 5.", "Rated 2 of 5.", "Rated 3 of 5.", "Nice."]  # capped at 4
    # "12" is in no prompt: that reference is dropped; the one left is repeated to the floor.
    assert by["P00"] == ["A mug.", "A mug.", "A mug."]


def test_references_are_one_spaced_and_keep_their_line_breaks():
    assert one_spaced("  A   warm\t coat.\n\n  Lined  \n") == "A warm coat.\nLined"
    assert one_spaced("Quiet Fan\nIt comes in grey.") == "Quiet Fan\nIt comes in grey."
