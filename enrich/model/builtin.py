"""The builtin base: a byte-level BPE tokenizer and a small Llama model pretrained on catalog text.

No model hub is reachable, so the embedded default trains its own base on the CPU in minutes. The
result is an ordinary Hugging Face model folder (``config.json``, ``model.safetensors``,
tokenizer files), loaded by the same code as any real base model.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from enrich.config import BuiltinBaseConfig
from enrich.model.registry import BASE_MANIFEST
from enrich.model.trainer import TrainingDataError, run_trainer

log = logging.getLogger(__name__)

PAD, EOS = "<pad>", "</s>"


def base_id(cfg: BuiltinBaseConfig, documents: list[str], seed: int) -> str:
    """A name for the base that changes with its settings, its training text and its seed."""
    digest = hashlib.sha256(json.dumps(cfg.model_dump(), sort_keys=True).encode())
    digest.update(str(seed).encode())
    for doc in documents:
        digest.update(doc.encode())
    return f"builtin-{digest.hexdigest()[:12]}"


def train_tokenizer(documents: list[str], *, vocab_size: int):
    """Train a byte-level BPE tokenizer on ``documents`` and wrap it for transformers."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=[PAD, EOS],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(documents, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, pad_token=PAD, eos_token=EOS, padding_side="left"
    )


def _chunks(documents: list[str], tokenizer, seq_len: int) -> list[dict]:
    # Documents joined by the end token and cut into equal blocks: no padding is trained on.
    stream: list[int] = []
    for ids in tokenizer(documents, add_special_tokens=False)["input_ids"]:
        stream.extend(ids)
        stream.append(tokenizer.eos_token_id)
    return [
        {"input_ids": stream[i : i + seq_len], "labels": stream[i : i + seq_len]}
        for i in range(0, len(stream) - seq_len + 1, seq_len)
    ]


def build_base(
    documents: list[str], cfg: BuiltinBaseConfig, *, seed: int, out_dir: Path
) -> dict:
    """Train the tokenizer and pretrain the base; save both into ``out_dir``.

    Args:
        documents: catalog text.
        cfg: model shape and pretraining settings.
        seed: training seed.
        out_dir: an empty folder to save into.

    Returns:
        What was trained: token count, steps, final loss, seconds.
    """
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM, set_seed

    if not documents:
        raise TrainingDataError("no catalog text to pretrain on: the products table is empty")
    tokenizer = train_tokenizer(documents, vocab_size=cfg.vocab_size)
    blocks = _chunks(documents, tokenizer, cfg.train_seq_len)
    if not blocks:
        raise TrainingDataError("the catalog text is shorter than one training block")
    set_seed(seed)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=cfg.hidden_size,
        intermediate_size=cfg.intermediate_size,
        num_hidden_layers=cfg.layers,
        num_attention_heads=cfg.heads,
        num_key_value_heads=cfg.heads,
        max_position_embeddings=cfg.context_length,
        tie_word_embeddings=True,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=tokenizer.eos_token_id,
    )
    model = LlamaForCausalLM(config)
    log.info(
        "pretraining the builtin base: %.1fM parameters, %d blocks of %d tokens, %d steps",
        model.num_parameters() / 1e6, len(blocks), cfg.train_seq_len, cfg.steps,
    )
    metrics = run_trainer(
        model,
        blocks,
        tokenizer=tokenizer,
        steps=cfg.steps,
        batch_size=cfg.batch_size,
        batch_tokens=cfg.batch_size * cfg.train_seq_len,
        learning_rate=cfg.learning_rate,
        seed=seed,
        label="pretrain",
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    model.to(torch.float32).save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    metrics.update(tokens=len(blocks) * cfg.train_seq_len, documents=len(documents))
    (out_dir / BASE_MANIFEST).write_text(json.dumps(metrics, indent=2, sort_keys=True))
    return metrics
