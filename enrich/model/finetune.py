"""QLoRA fine-tuning: a LoRA adapter trained on a 4-bit base for all tasks at once.

The base is loaded in NF4 (:func:`enrich.model.loading.load_base`), prepared for k-bit training,
and wrapped with a peft LoRA adapter. The loss is taken on the answer tokens only; the prompt,
which names the task, is context.
"""

from __future__ import annotations

import logging
import random
from pathlib import Path

from enrich.config import LoraConfig
from enrich.model.base import Base
from enrich.model.corpus import Example
from enrich.model.loading import load_base, load_tokenizer
from enrich.model.trainer import IGNORE, TrainingDataError, run_trainer

log = logging.getLogger(__name__)



def encode_examples(examples: list[Example], tokenizer, *, context_length: int) -> list[dict]:
    """Token ids and labels for each example; labels are -100 over the prompt.

    Examples longer than ``context_length`` have their answer cut to fit; an example whose
    prompt alone does not fit is dropped.
    """
    prompts = tokenizer([e.prompt for e in examples], add_special_tokens=True)["input_ids"]
    answers = tokenizer([e.answer for e in examples], add_special_tokens=False)["input_ids"]
    encoded, dropped = [], 0
    for prompt, answer in zip(prompts, answers):
        answer = answer + [tokenizer.eos_token_id]
        room = context_length - len(prompt)
        if room < 8:
            dropped += 1
            continue
        answer = answer[:room]
        encoded.append({"input_ids": prompt + answer, "labels": [IGNORE] * len(prompt) + answer})
    if dropped:
        log.warning("dropped %d examples whose prompt does not fit the context", dropped)
    if examples and not encoded:
        raise TrainingDataError(
            f"none of the {len(examples)} examples fits the base's context of {context_length} "
            "tokens with room for an answer: shorten the prompts (review_token_budget, "
            "max_reviews) or use a base with a longer context"
        )
    return encoded


def finetune_adapter(
    base: Base,
    train: list[Example],
    validation: list[Example],
    cfg: LoraConfig,
    *,
    quantization: str,
    compute_dtype: str,
    seed: int,
    out_dir: Path,
    device: str,
    start_from: Path | None = None,
) -> dict:
    """Train a LoRA adapter on the 4-bit base and save adapter and tokenizer into ``out_dir``.

    Args:
        base: the base model folder.
        train: supervised examples of every task, shuffled here with ``seed``.
        validation: held-out examples; their loss after training is reported.
        cfg: adapter shape and training settings.
        quantization: base weight format while training (``nf4``).
        compute_dtype: compute dtype of the 4-bit layers.
        seed: seed for data order and adapter initialisation.
        out_dir: folder to save ``adapter_model.safetensors``, its config and the tokenizer in.
        device: ``cpu`` or ``cuda``.
        start_from: a saved adapter to continue training (its shape replaces ``cfg``'s), or
            None for a new one.

    Returns:
        Training metrics: steps, losses, seconds, examples per task and split.
    """
    from peft import LoraConfig as PeftLoraConfig
    from peft import get_peft_model, prepare_model_for_kbit_training
    from transformers import set_seed

    if not train:
        raise TrainingDataError(
            "no training examples: no product in the training split has a human description "
            "or review summary (import some with `catalog-enrich import`)"
        )
    set_seed(seed)
    tokenizer = load_tokenizer(base.path)
    model = load_base(
        base.path, quantization=quantization, compute_dtype=compute_dtype, device=device
    )
    model = prepare_model_for_kbit_training(
        model, use_gradient_checkpointing=cfg.gradient_checkpointing
    )
    if start_from is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(start_from), is_trainable=True)
    else:
        model = get_peft_model(
            model,
            PeftLoraConfig(
                r=cfg.rank,
                lora_alpha=cfg.alpha,
                lora_dropout=cfg.dropout,
                target_modules=list(cfg.target_modules),
                task_type="CAUSAL_LM",
            ),
        )
    ordered = list(train)
    random.Random(seed).shuffle(ordered)
    metrics = run_trainer(
        model,
        encode_examples(ordered, tokenizer, context_length=base.context_length),
        eval_examples=encode_examples(validation, tokenizer, context_length=base.context_length),
        tokenizer=tokenizer,
        steps=cfg.steps,
        batch_size=cfg.batch_size,
        batch_tokens=cfg.batch_tokens,
        learning_rate=cfg.learning_rate,
        seed=seed,
        label="fine-tune",
    )
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    return {
        **metrics,
        "examples": {
            "train": _per_task(train),
            "validation": _per_task(validation),
        },
    }


def _per_task(examples: list[Example]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for example in examples:
        counts[example.task] = counts.get(example.task, 0) + 1
    return counts
