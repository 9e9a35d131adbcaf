"""The training loop shared by pretraining and fine-tuning: transformers' Trainer on our examples.

Examples are dicts of ``input_ids`` and ``labels`` (``-100`` where no loss is taken). Progress is
logged as plain lines: step, loss, elapsed and estimated time left.
"""

from __future__ import annotations

import logging
import tempfile
import time

log = logging.getLogger(__name__)


class TrainingDataError(ValueError):
    """The tables hold nothing to train on; the message says what is missing."""


def _progress_callback(label: str, steps: int):
    from transformers import TrainerCallback

    class Progress(TrainerCallback):
        def __init__(self) -> None:
            self.started = time.perf_counter()
            self.every = max(1, steps // 20)

        def on_log(self, args, state, control, logs=None, **kwargs):
            if not logs or "loss" not in logs:
                return
            if state.global_step % self.every and state.global_step != steps:
                return
            elapsed = time.perf_counter() - self.started
            left = elapsed / max(state.global_step, 1) * (steps - state.global_step)
            log.info(
                "%s step %d/%d loss %.3f elapsed %.0fs left ~%.0fs",
                label, state.global_step, steps, logs["loss"], elapsed, left,
            )

    return Progress()


def run_trainer(
    model,
    examples: list[dict],
    *,
    eval_examples: list[dict] | None = None,
    tokenizer,
    steps: int,
    batch_size: int,
    learning_rate: float,
    seed: int,
    label: str,
) -> dict:
    """Train ``model`` in place for ``steps`` optimizer steps.

    Args:
        model: the model (full, or a peft model whose adapter is the only trainable part).
        examples: dicts with ``input_ids`` and ``labels``.
        eval_examples: held-out examples; their mean loss after training is reported.
        tokenizer: pads the batches (on the right for training).
        steps: optimizer steps; 0 trains nothing.
        batch_size: examples per step.
        learning_rate: peak learning rate (cosine decay after a short warm-up).
        seed: seeds data order and initialisation, so a rerun gives the same weights.
        label: name used in progress lines.

    Returns:
        ``{"steps", "final_loss", "train_loss", "eval_loss", "seconds"}``.
    """
    from transformers import DataCollatorForSeq2Seq, Trainer, TrainingArguments
    from transformers.trainer_callback import PrinterCallback

    from enrich.model.loading import quiet_transformers

    quiet_transformers()

    if steps == 0:
        return {"steps": 0, "final_loss": None, "train_loss": None, "eval_loss": None, "seconds": 0.0}
    started = time.perf_counter()
    collator = DataCollatorForSeq2Seq(
        tokenizer, padding=True, label_pad_token_id=-100, return_tensors="pt"
    )
    padding_side = tokenizer.padding_side
    tokenizer.padding_side = "right"  # positions then match an unpadded prompt at generation
    with tempfile.TemporaryDirectory(prefix="catalog-enrich-train-") as scratch:
        args = TrainingArguments(
            output_dir=scratch,
            per_device_train_batch_size=batch_size,
            max_steps=steps,
            learning_rate=learning_rate,
            lr_scheduler_type="cosine",
            warmup_steps=max(1, steps // 20),
            weight_decay=0.0,
            logging_steps=1,
            save_strategy="no",
            report_to="none",
            disable_tqdm=True,
            seed=seed,
            data_seed=seed,
            use_cpu=not _cuda(),
            dataloader_num_workers=0,
            remove_unused_columns=False,
            per_device_eval_batch_size=batch_size,
            **_length_grouping(TrainingArguments),
        )
        trainer = Trainer(
            model=model,
            args=args,
            train_dataset=examples,
            data_collator=collator,
            callbacks=[_progress_callback(label, steps)],
        )
        trainer.remove_callback(PrinterCallback)  # our callback logs progress instead
        try:
            result = trainer.train()
            evaluated = trainer.evaluate(eval_examples) if eval_examples else {}
        finally:
            tokenizer.padding_side = padding_side
    losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
    return {
        "steps": steps,
        "final_loss": round(sum(losses[-10:]) / len(losses[-10:]), 4) if losses else None,
        "train_loss": round(result.training_loss, 4),
        "eval_loss": round(evaluated["eval_loss"], 4) if "eval_loss" in evaluated else None,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _length_grouping(arguments_class) -> dict:
    # Batches of similar lengths waste little on padding: review prompts are several times longer
    # than description prompts. transformers 5.x renamed the switch; use whichever this one has.
    fields = getattr(arguments_class, "__dataclass_fields__", {})
    if "train_sampling_strategy" in fields:
        return {"train_sampling_strategy": "group_by_length"}
    return {"group_by_length": True}


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()
