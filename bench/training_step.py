"""Benchmark: QLoRA training steps on the embedded base, side by side: tokens/s and peak memory.

    .venv/bin/python bench/training_step.py [--steps 3] [--threads 2]

Each setting runs in its own process (so each peak RSS is its own): the base loaded in NF4 as
`catalog-enrich train` loads it, a LoRA adapter (rank 16, every linear layer), AdamW, and the
project's answer-only loss (:func:`enrich.model.trainer.answer_loss`) over random token batches
whose last 60 positions are the answer. The first step warms up and is not timed. The headline
compares the default (bfloat16 compute, no dropout, 2,048-token steps) with QLoRA's usual
float32-compute, dropout 0.05 setting.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

# (label, compute dtype, LoRA dropout, rows, length, gradient checkpointing)
SETTINGS = [
    ("float32, dropout 0.05", "float32", 0.05, 4, 512, False),
    ("bfloat16, dropout 0.05", "bfloat16", 0.05, 4, 512, False),
    ("bfloat16, no dropout (default)", "bfloat16", 0.0, 4, 512, False),
    ("bfloat16, no dropout, 2 x 1024", "bfloat16", 0.0, 2, 1024, False),
    ("bfloat16, no dropout, 8 x 512 checkpointed", "bfloat16", 0.0, 8, 512, True),
]
ANSWER = 60


def one(base: str, dtype: str, dropout: float, rows: int, length: int, checkpoint: bool,
        steps: int, threads: int) -> dict:
    """Time ``steps`` training steps of one setting in this process."""
    import torch
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training

    from enrich.model.loading import load_base
    from enrich.model.trainer import IGNORE, answer_loss

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = load_base(base, quantization="nf4", compute_dtype=dtype, device="cpu")
    model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=checkpoint)
    model = get_peft_model(model, LoraConfig(
        r=16, lora_alpha=32, lora_dropout=dropout, task_type="CAUSAL_LM",
        target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
    ))
    model.train()
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    ids = torch.randint(100, 40_000, (rows, length))
    labels = ids.clone()
    labels[:, : length - ANSWER] = IGNORE
    seconds = []
    for _ in range(steps + 1):
        started = time.perf_counter()
        answer_loss(model, ids, torch.ones_like(ids), labels).backward()
        optimizer.step()
        optimizer.zero_grad()
        seconds.append(time.perf_counter() - started)
    timed = sum(seconds[1:]) / steps
    return {
        "tokens_per_second": round(rows * length / timed, 1),
        "peak_gib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--config", default=None, help="config whose registry holds the base")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        base, *setting = json.loads(args.one)
        print(json.dumps(one(base, *setting, steps=args.steps, threads=args.threads)))
        return

    from enrich.config import load_config
    from enrich.model import embedded
    from enrich.model.registry import Registry

    cfg = load_config(args.config)
    _, base = embedded.prepare_embedded(Registry(cfg.model.registry, cfg.model.name))
    print(f"{'setting':<44}{'tokens/step':>12}{'tokens/s':>10}{'peak GiB':>10}")
    results = {}
    for label, *setting in SETTINGS:
        out = subprocess.run(
            [sys.executable, __file__, "--steps", str(args.steps), "--threads", str(args.threads),
             "--one", json.dumps([str(base), *setting])],
            check=True, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]
        results[label] = json.loads(out)
        rows, length = setting[2], setting[3]
        print(f"{label:<44}{rows * length:>12}{results[label]['tokens_per_second']:>10.1f}"
              f"{results[label]['peak_gib']:>10.2f}")
    default = results["bfloat16, no dropout (default)"]
    usual = results["float32, dropout 0.05"]
    print(
        f"headline: the default trains at {default['tokens_per_second'] / usual['tokens_per_second']:.2f}x "
        f"the tokens/s of float32 compute with dropout, in {default['peak_gib']:.1f} GiB "
        f"against {usual['peak_gib']:.1f}"
    )


if __name__ == "__main__":
    main()
