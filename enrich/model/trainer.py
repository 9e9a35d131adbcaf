"""The training loop shared by pretraining and fine-tuning: transformers' Trainer on our examples.

Examples are dicts of ``input_ids`` and ``labels`` (``-100`` where no loss is taken). The loss
runs the output layer only at the positions that have a label (:func:`answer_loss`): a review
prompt of 600 tokens with a 60-token answer would otherwise compute, keep for the backward pass
and throw away 49,152 vocabulary logits for each of its prompt tokens. Progress is logged as
plain lines: step, loss, elapsed and estimated time left.
"""

from __future__ import annotations

import logging
import tempfile
import time

from enrich.engine.batching import batches_by_length

log = logging.getLogger(__name__)


class TrainingDataError(ValueError):
    """The tables hold nothing to train on; the message says what is missing."""


IGNORE = -100  # label of a position that takes no loss (prompt tokens, padding)


def answer_loss(model, input_ids, attention_mask, labels):
    """Mean cross-entropy of the next-token predictions at the labelled positions only.

    Equal to a causal LM's own loss on the same labels, but the output layer (and its softmax)
    runs only where ``labels`` is not -100.
    """
    import torch

    causal = model.get_base_model() if hasattr(model, "get_base_model") else model  # peft
    hidden = causal.get_decoder()(input_ids=input_ids, attention_mask=attention_mask)[0]
    targets = labels[:, 1:]
    keep = targets != IGNORE
    logits = causal.get_output_embeddings()(hidden[:, :-1][keep]).float()
    return torch.nn.functional.cross_entropy(logits, targets[keep])


def _answer_trainer():
    from transformers import Trainer

    class AnswerTrainer(Trainer):
        """Trainer whose loss computes logits only where there are labels."""

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            loss = answer_loss(
                model, inputs["input_ids"], inputs.get("attention_mask"), inputs["labels"]
            )
            # Evaluation asks for outputs too; there are no logits to give back, by design.
            return (loss, {}) if return_outputs else loss

    return AnswerTrainer


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
    batch_tokens: int,
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
        batch_size: most examples per step.
        batch_tokens: most tokens per step (examples x the longest of them): steps over long
            review prompts take fewer examples, and activations stay within memory.
        learning_rate: peak learning rate (cosine decay after a short warm-up).
        seed: seeds data order and initialisation, so a rerun gives the same weights.
        label: name used in progress lines.

    Returns:
        ``{"steps", "final_loss", "train_loss", "eval_loss", "seconds"}``.
    """
    from transformers import DataCollatorForSeq2Seq, TrainingArguments
    from transformers.trainer_callback import PrinterCallback

    from enrich.model.loading import quiet_transformers

    quiet_transformers()

    if steps == 0:
        return {"steps": 0, "final_loss": None, "train_loss": None, "eval_loss": None, "seconds": 0.0}
    started = time.perf_counter()
    pad = DataCollatorForSeq2Seq(
        tokenizer, padding=True, label_pad_token_id=IGNORE, return_tensors="pt"
    )

    def batches(items: list[dict] | None) -> list[list[dict]] | None:
        return token_batches(items, max_rows=batch_size, max_tokens=batch_tokens) if items else None

    padding_side = tokenizer.padding_side
    tokenizer.padding_side = "right"  # positions then match an unpadded prompt at generation
    with tempfile.TemporaryDirectory(prefix="catalog-enrich-train-") as scratch:
        args = TrainingArguments(
            output_dir=scratch,
            # Each dataset item is a whole step's batch (token_batches); the trainer shuffles them.
            per_device_train_batch_size=1,
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
            per_device_eval_batch_size=1,
        )
        trainer = _answer_trainer()(
            model=model,
            args=args,
            train_dataset=batches(examples),
            data_collator=lambda items: pad(items[0]),
            callbacks=[_progress_callback(label, steps)],
        )
        trainer.remove_callback(PrinterCallback)  # our callback logs progress instead
        try:
            result = trainer.train()
            evaluated = trainer.evaluate(batches(eval_examples)) if eval_examples else {}
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


def token_batches(examples: list[dict], *, max_rows: int, max_tokens: int) -> list[list[dict]]:
    """``examples`` cut into batches of similar length: sorted by length (stable), each batch at
    most ``max_rows`` examples and ``max_tokens`` tokens counted as rows x its longest example,
    at least one example. Similar lengths waste little on padding; review prompts are five times
    longer than description prompts.
    """
    lengths = [len(example["input_ids"]) for example in examples]
    return [
        [examples[i] for i in batch]
        for batch in batches_by_length(lengths, max_rows=max_rows, max_tokens=max_tokens)
    ]


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()
