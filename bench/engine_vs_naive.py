"""Benchmark: the generation engine against a naive loop (``model.generate`` one row at a time).

    .venv/bin/python bench/engine_vs_naive.py [--prompts 500] [--rounds 5] [--threads 2]

Same model version (the project's current one in ``models/``, built by ``make run``), loaded
twice: by the engine's loader (on the CPU: the NF4 weights dequantized once, the adapter merged)
and plainly, as transformers and peft load it (4-bit base, adapter applied, bitsandbytes'
defaults), for the timed naive loop; same prompts (the first ``--prompts`` of each task from the
catalog in ``warehouse/``), same limits, in one process. The prompts are cut into ``--rounds``
slices; each slice runs through the engine and the naive loop in turn, alternating which goes
first, so drift on the machine hits both alike.

Agreement, token for token: against ``model.generate`` one row at a time on the engine's own
weights (batching, padding and the engine's loop; the issue's criterion, and timed too, as a
second baseline), against the naive loop's output (whose one-row kernel rounds differently),
and, on the first ``--check-4bit`` prompts of each task, against ``generate`` on the 4-bit model
through bitsandbytes' dequantize-and-multiply path with the adapter unmerged (the same weights
computed the unmerged way). Prints rows/s per task and system, the agreements, peak memory, and
the headline speed-up.
"""

from __future__ import annotations

import argparse
import time

from workload import model_ref, peak_rss_mb, task_prompts
from enrich.config import load_config
from enrich.spark import build_session


def naive(model, tokenizer, prompts: list[str], max_new_tokens: int) -> list[tuple[int, ...]]:
    """``model.generate`` on one prompt at a time: the baseline."""
    import torch

    out = []
    for prompt in prompts:
        ids = tokenizer(prompt, return_tensors="pt")["input_ids"]
        with torch.inference_mode():
            new = model.generate(
                input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_new_tokens,
                do_sample=False, pad_token_id=tokenizer.pad_token_id,
                eos_token_id=tokenizer.eos_token_id,
            )[0, ids.shape[1]:].tolist()
        if tokenizer.eos_token_id in new:
            new = new[: new.index(tokenizer.eos_token_id)]
        out.append(tuple(new))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=None)
    parser.add_argument("--prompts", type=int, default=500, help="prompts per task")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2, help="torch threads")
    parser.add_argument("--check-4bit", type=int, default=100,
                        help="prompts per task checked against the unmerged 4-bit model")
    parser.add_argument("--set", action="append", default=[], dest="overrides")
    args = parser.parse_args()
    cfg = load_config(args.config, args.overrides)
    ref = model_ref(cfg)
    spark = build_session(cfg.spark, cfg.warehouse)
    spark.sparkContext.setLogLevel("ERROR")
    workload = task_prompts(spark, cfg, ref, args.prompts)
    spark.stop()

    import torch

    from enrich.model.loading import load_4bit_reference, load_engine, load_model

    torch.set_num_threads(args.threads)
    engine = load_engine(ref, device="cpu", memory_mb=cfg.generation.memory_budget_mb)
    plain = load_model(ref, device="cpu")  # as transformers and peft load it, no engine settings
    unmerged = load_4bit_reference(ref)
    loaded_rss = peak_rss_mb()
    print(f"model {ref.model_version} ({ref.weights_label}) on the CPU, {args.threads} threads; "
          f"batch cap {cfg.generation.batch_size} rows, token budget {engine.token_budget}")
    print(f"{'task':<16}{'rows':>6}{'engine rows/s':>15}{'naive rows/s':>14}{'speed-up':>10}"
          f"{'naive, engine weights':>23}{'agree':>8}{'vs naive':>10}{'vs 4-bit':>10}"
          f"{'out tok/row':>12}")
    totals = {"engine": 0.0, "naive": 0.0, "rows": 0, "agree": 0}
    for name, (prompts, max_new) in workload.items():
        seconds = {"engine": 0.0, "naive": 0.0}
        engine_ids, naive_ids = [], []
        size = -(-len(prompts) // args.rounds)
        for r, start in enumerate(range(0, len(prompts), size)):
            chunk = prompts[start : start + size]
            order = ("engine", "naive") if r % 2 == 0 else ("naive", "engine")
            for system in order:
                started = time.perf_counter()
                if system == "engine":
                    result = engine.generate(chunk, max_new_tokens=max_new,
                                             batch_size=cfg.generation.batch_size)
                    engine_ids += [g.token_ids for g in result]
                else:
                    naive_ids += naive(plain, engine.tokenizer, chunk, max_new)
                seconds[system] += time.perf_counter() - started
        started = time.perf_counter()
        same_model = naive(engine.model, engine.tokenizer, prompts, max_new)
        rate_same = len(prompts) / (time.perf_counter() - started)
        checked = prompts[: args.check_4bit]
        four_bit = naive(unmerged, engine.tokenizer, checked, max_new)
        agree = sum(a == b for a, b in zip(engine_ids, same_model))
        agree_naive = sum(a == b for a, b in zip(engine_ids, naive_ids))
        agree_4bit = sum(a == b for a, b in zip(engine_ids, four_bit))
        n = len(prompts)
        rate_e, rate_n = n / seconds["engine"], n / seconds["naive"]
        print(f"{name:<16}{n:>6}{rate_e:>15.2f}{rate_n:>14.2f}{rate_e / rate_n:>9.1f}x"
              f"{rate_same:>16.2f} rows/s{agree / n:>8.1%}{agree_naive / n:>10.1%}"
              f"{agree_4bit / len(checked):>10.1%}{sum(map(len, naive_ids)) / n:>12.1f}")
        totals["engine"] += seconds["engine"]
        totals["naive"] += seconds["naive"]
        totals["rows"] += n
        totals["agree"] += agree
    stats = engine.stats
    print(f"engine: {stats.batches} batches, {stats.decode_steps} decode steps, "
          f"{stats.oom_splits} out-of-memory splits; peak RSS {peak_rss_mb():.0f} MiB "
          f"({loaded_rss:.0f} MiB after loading)")
    rows = totals["rows"]
    speedup = totals["naive"] / totals["engine"]
    print(f"headline: engine {rows / totals['engine']:.2f} rows/s vs naive "
          f"{rows / totals['naive']:.2f} rows/s = {speedup:.1f}x (target 10x); token-for-token "
          f"agreement {totals['agree'] / rows:.1%} (target 98%)")


if __name__ == "__main__":
    main()
