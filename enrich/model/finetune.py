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
from enrich.model.corpus import Example
from enrich.model.loading import load_base, load_tokenizer
from enrich.model.training import train

log = logging.getLogger(__name__)

IGNORE = -100


def encode_examples(examples: list[Example], tokenizer, *, context_length: int) -> list[dict]:
    """Token ids and labels for each example; labels are -100 over the prompt.

    Examples longer than ``context_length`` have their answer cut to fit; an example whose
    prompt alone does not fit is dropped.
    """
    prompts = tokenizer([e.prompt for e in examples], add_special_tokens=False)["input_ids"]
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
    return encoded


def finetune_adapter(
    base_dir: Path,
    examples: list[Example],
    cfg: LoraConfig,
    *,
    quantization: str,
    compute_dtype: str,
    context_length: int,
    seed: int,
    out_dir: Path,
    device: str,
) -> dict:
    """Train a LoRA adapter on the 4-bit base and save adapter and tokenizer into ``out_dir``.

    Args:
        base_dir: the base model folder.
        examples: supervised examples of every task, shuffled here with ``seed``.
        cfg: adapter shape and training settings.
        quantization: base weight format while training (``nf4``).
        compute_dtype: compute dtype of the 4-bit layers.
        context_length: longest training sequence.
        seed: seed for data order and adapter initialisation.
        out_dir: folder to save ``adapter_model.safetensors``, its config and the tokenizer in.
        device: ``cpu`` or ``cuda``.

    Returns:
        Training metrics (steps, loss, seconds, examples per task).
    """
    from peft import LoraConfig as PeftLoraConfig
    from peft import get_peft_model, prepare_model_for_kbit_training
    from transformers import set_seed

    if not examples:
        raise ValueError(
            "no training examples: no product has a human description or review summary"
        )
    set_seed(seed)
    tokenizer = load_tokenizer(base_dir)
    base = load_base(base_dir, quantization=quantization, compute_dtype=compute_dtype, device=device)
    present = {name.rsplit(".", 1)[-1] for name, _ in base.named_modules()}
    missing = [m for m in cfg.target_modules if m not in present]
    if missing:
        raise ValueError(
            f"model.lora.target_modules {missing} are not modules of the base in {base_dir}"
        )
    base = prepare_model_for_kbit_training(base, use_gradient_checkpointing=False)
    model = get_peft_model(
        base,
        PeftLoraConfig(
            r=cfg.rank,
            lora_alpha=cfg.alpha,
            lora_dropout=cfg.dropout,
            target_modules=list(cfg.target_modules),
            task_type="CAUSAL_LM",
        ),
    )
    ordered = list(examples)
    random.Random(seed).shuffle(ordered)
    encoded = encode_examples(ordered, tokenizer, context_length=context_length)
    metrics = train(
        model,
        encoded,
        tokenizer=tokenizer,
        steps=cfg.steps,
        batch_size=cfg.batch_size,
        learning_rate=cfg.learning_rate,
        seed=seed,
        label="fine-tune",
    )
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    per_task: dict[str, int] = {}
    for example in examples:
        per_task[example.task] = per_task.get(example.task, 0) + 1
    return {**metrics, "examples": per_task}
