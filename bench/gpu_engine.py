"""Benchmark: the engine without Spark on Llama-shaped models with random weights, against naive
batched ``generate``, with the fraction of the hardware ceiling.

    python bench/gpu_engine.py                      # on a GPU: 0.5B and 1.5B shapes, nf4 and bf16
    python bench/gpu_engine.py --small --rows 32    # anywhere: tiny shapes, proves the path works

Random weights shaped like Qwen2.5-0.5B / 1.5B (no download; shapes are what speed depends on),
loaded through the job's own loader (``enrich.model.loading.load_base``) in each precision. Two
workloads, prompt lengths spread +-20% around their mean and the end token ignored, so every row
writes exactly its new tokens: description (100 prompt tokens, 90 new) and review (1,250, 60).

Each line compares, in the same process on the same prompts:
- **engine**: sorted by length, batches under the token budget from ``--memory-gb``, finished
  rows leave the batch;
- **naive**: ``model.generate`` on fixed, unsorted batches of 64.

The ceiling (H200: 4.8 TB/s, 989 TFLOP/s dense bf16), for batch B, prompt P, O new tokens and
mean context c = P + O/2:
    decode step = max((weight bytes + B*c*KV bytes per token) / bandwidth,
                      B*(2*params + 4*layers*q_dim*c) / peak FLOP/s)
    prefill per row = (2*linear params*P + 2*lm_head params + 2*layers*q_dim*P^2) / peak FLOP/s
    ceiling rows/s = B / (B*prefill + O*decode step)
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time

SHAPES = {
    "0.5B": dict(hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
                 num_attention_heads=14, num_key_value_heads=2, vocab_size=151936),
    "1.5B": dict(hidden_size=1536, intermediate_size=8960, num_hidden_layers=28,
                 num_attention_heads=12, num_key_value_heads=2, vocab_size=151936),
    # --small: the same code path at a size a CPU runs in seconds.
    "tiny": dict(hidden_size=128, intermediate_size=256, num_hidden_layers=2,
                 num_attention_heads=4, num_key_value_heads=2, vocab_size=2048),
}
WORKLOADS = {"description": (100, 90), "review": (1250, 60)}
SMALL_WORKLOADS = {"description": (40, 16), "review": (200, 12)}
BANDWIDTH = 4.8e12  # H200 HBM3e, bytes/s
PEAK_BF16 = 989e12  # H200 dense bf16 FLOP/s
NAIVE_BATCH = 64
WEIGHT_BYTES = {"bf16": 2.0, "nf4": 0.516, "int8": 1.0}  # per non-embedding linear parameter


class IdsOnly:
    """The engine needs only pad and end token ids when it is given token ids."""

    pad_token_id = 0
    eos_token_id = 1


def build_model(shape: str, folder: str) -> dict:
    """Save a random-weight Llama of ``shape`` to ``folder``; return its size figures."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    from enrich.model.loading import quiet_transformers

    quiet_transformers()
    dims = SHAPES[shape]
    config = LlamaConfig(**dims, max_position_embeddings=4096, tie_word_embeddings=False,
                         pad_token_id=0, bos_token_id=2, eos_token_id=1)
    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    with torch.device(device):
        model = LlamaForCausalLM(config).to(torch.bfloat16)
    model.save_pretrained(folder, safe_serialization=True)
    head = dims["hidden_size"] // dims["num_attention_heads"]
    lm_head = dims["vocab_size"] * dims["hidden_size"]
    linear = sum(p.numel() for n, p in model.named_parameters()
                 if p.dim() == 2 and "embed" not in n and "lm_head" not in n)
    del model
    return {
        "linear": linear, "lm_head": lm_head, "layers": dims["num_hidden_layers"],
        "q_dim": dims["num_attention_heads"] * head,
        "kv_bytes": 2 * dims["num_hidden_layers"] * dims["num_key_value_heads"] * head * 2,
    }


def ceiling_rows_per_second(size: dict, precision: str, batch: int, prompt: int, new: int) -> float:
    """Rows/s the H200 allows at this batch size (roofline, see the module docstring)."""
    weights = size["linear"] * WEIGHT_BYTES[precision] + size["lm_head"] * 2.0
    params = size["linear"] + size["lm_head"]
    context = prompt + new / 2
    step_memory = (weights + batch * context * size["kv_bytes"]) / BANDWIDTH
    step_compute = batch * (2 * params + 4 * size["layers"] * size["q_dim"] * context) / PEAK_BF16
    prefill = (2 * size["linear"] * prompt + 2 * size["lm_head"]
               + 2 * size["layers"] * size["q_dim"] * prompt * prompt) / PEAK_BF16
    return batch / (batch * prefill + new * max(step_memory, step_compute))


def prompts_for(n: int, mean: int, vocab: int, seed: int) -> list[list[int]]:
    rng = random.Random(seed)
    return [[2] + [rng.randrange(3, vocab) for _ in range(rng.randint(int(mean * 0.8), int(mean * 1.2)) - 1)]
            for _ in range(n)]


def naive(model, prompts: list[list[int]], new: int) -> None:
    """``generate`` on fixed, unsorted batches of 64 (left padding, end token ignored)."""
    import torch

    device = next(model.parameters()).device
    for start in range(0, len(prompts), NAIVE_BATCH):
        batch = prompts[start : start + NAIVE_BATCH]
        width = max(map(len, batch))
        ids = torch.zeros((len(batch), width), dtype=torch.long)
        mask = torch.zeros_like(ids)
        for row, p in enumerate(batch):
            ids[row, width - len(p):] = torch.tensor(p)
            mask[row, width - len(p):] = 1
        with torch.inference_mode():
            model.generate(input_ids=ids.to(device), attention_mask=mask.to(device),
                           max_new_tokens=new, min_new_tokens=new, do_sample=False,
                           pad_token_id=0, eos_token_id=None)


def timed(action, cuda: bool) -> tuple[float, float]:
    """Seconds and peak memory (GiB: allocated on a GPU, process RSS on the CPU) of ``action``."""
    import resource

    import torch

    if cuda:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    started = time.perf_counter()
    action()
    if cuda:
        torch.cuda.synchronize()
    seconds = time.perf_counter() - started
    peak = (torch.cuda.max_memory_allocated() if cuda
            else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024) / 2**30
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="tiny shapes and workloads (CPU)")
    parser.add_argument("--shapes", nargs="*", default=None)
    parser.add_argument("--precisions", nargs="*", default=["nf4", "bf16"])
    parser.add_argument("--rows", type=int, default=512, help="prompts per workload")
    parser.add_argument("--batch-rows", type=int, default=512, help="engine's row cap per batch")
    parser.add_argument("--memory-gb", type=float, default=40.0, help="engine's KV cache budget")
    args = parser.parse_args()

    import torch

    from enrich.engine.batched import Engine
    from enrich.engine.batching import token_budget
    from enrich.model.loading import load_base

    cuda = torch.cuda.is_available()
    device = "cuda" if cuda else "cpu"
    shapes = args.shapes or (["tiny"] if args.small else ["0.5B", "1.5B"])
    workloads = SMALL_WORKLOADS if args.small else WORKLOADS
    print(f"device: {torch.cuda.get_device_name() if cuda else 'CPU'}; {args.rows} rows per workload; "
          f"engine budget {args.memory_gb:g} GiB of KV cache, at most {args.batch_rows} rows a batch")
    print(f"{'model':<6}{'prec':<6}{'workload':<13}{'system':<8}{'rows/s':>9}{'tok/s':>10}"
          f"{'peak GiB':>10}{'batch':>7}{'ceiling rows/s':>16}{'of ceiling':>12}")
    speedups = []
    for shape in shapes:
        with tempfile.TemporaryDirectory(prefix="bench-gpu-") as folder:
            size = build_model(shape, folder)
            for precision in args.precisions:
                model = load_base(folder, quantization=precision, compute_dtype="bfloat16", device=device)
                model.eval()
                budget = token_budget(model.config, 2, args.memory_gb * 1024)
                engine = Engine(model, IdsOnly(), context_length=4096, token_budget=budget)
                engine.generate_ids(prompts_for(4, 32, SHAPES[shape]["vocab_size"], 1),
                                    max_new_tokens=4, stop_at_eos=False)  # warm-up
                for name, (prompt_len, new) in workloads.items():
                    prompts = prompts_for(args.rows, prompt_len, SHAPES[shape]["vocab_size"], 7)
                    rows_per_batch = min(args.batch_rows, max(1, budget // int(prompt_len * 1.2 + new)))
                    e_s, e_peak = timed(lambda: engine.generate_ids(
                        prompts, max_new_tokens=new, batch_size=args.batch_rows, stop_at_eos=False), cuda)
                    n_s, n_peak = timed(lambda: naive(model, prompts, new), cuda)
                    for system, seconds, peak, batch in (("engine", e_s, e_peak, rows_per_batch),
                                                         ("naive", n_s, n_peak, NAIVE_BATCH)):
                        rate = args.rows / seconds
                        if cuda:
                            ceiling = ceiling_rows_per_second(size, precision, batch, prompt_len, new)
                            ceil_text = f"{ceiling:>16,.0f}{rate / ceiling:>12.1%}"
                        else:
                            ceil_text = f"{'n/a (CPU)':>16}{'':>12}"
                        print(f"{shape:<6}{precision:<6}{name:<13}{system:<8}{rate:>9.1f}"
                              f"{rate * new:>10.0f}{peak:>10.2f}{batch:>7}{ceil_text}")
                    speedups.append((f"{shape} {precision} {name}", n_s / e_s))
                del engine, model
                if cuda:
                    torch.cuda.empty_cache()
    worst = min(speedups, key=lambda s: s[1])
    print("speed-up of the engine over naive batches of 64: "
          + ", ".join(f"{k} {v:.1f}x" for k, v in speedups))
    print(f"headline: engine at least {worst[1]:.1f}x the naive baseline (lowest: {worst[0]}; "
          f"target 5x)")


if __name__ == "__main__":
    main()
