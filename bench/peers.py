"""Benchmark: our engine against the CPU engines a user would pick instead, on the tuned real base.

    make bench-peers                      # installs the bench extra, then runs this
    .venv/bin/python bench/peers.py [--descriptions 64] [--reviews 32] [--rounds 2] [--threads 2]

The project's current model version (``models/``, built by ``make run``: SmolLM2-135M-Instruct
with the shipped LoRA adapter) and real prompts of both tasks from the catalog in ``warehouse/``
(built as the job builds them; review summaries at the configured review token budget), the
tasks' own limits, greedy decoding, one process, ``--threads`` threads for every engine.

Engines (each a :class:`enrich.engine.base.GenerationEngine`; peers in ``bench/peer_engines.py``):

- ours, in each precision the loader offers: ``nf4`` (the job's default: on the CPU the NF4
  weights dequantized once and the adapter merged), ``bf16`` (adapter merged in bf16), ``int8``
  (bitsandbytes LLM.int8, adapter unmerged), and float32 on the merged weights the peers get;
- HF ``generate`` one row at a time and in left-padded batches, on the merged float32 weights;
- CTranslate2, converted from the merged float32 folder, in each CPU compute type and batch size;
- llama.cpp (when ``llama-cpp-python`` is installed), on the merged weights written into a copy of
  the embedded base's GGUF, F32 and Q8_0.

The work is run in ``--rounds`` rounds; in each, every engine runs every prompt, in an order
rotated from round to round, so drift in the machine's load hits all alike. Slow engines (the
per-row loops) run only the first ``--slow-prompts`` of each task.

Before the rounds, a CPU ceiling: torch's matrix products on the model's layer shapes at the row
counts the engines use (decode batches and a prompt chunk), float32 and bfloat16.

Prints, per task and engine: rows/s, output tokens/s, achieved GFLOP/s (the model's useful
matrix and attention work, padding excluded, every row's whole prompt counted: our engine runs
the prefix a batch's prompts share once, so for it this is the rate of the work it stands in
for, above what it computes) and its share of the ceiling, the share of rows
whose tokens equal our default engine's and our float32 engine's (same weights as the peers),
and our default engine's rows/s over theirs; then the headline against the fastest peer.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from workload import model_ref, peak_rss_mb, task_prompts

from enrich.config import load_config
from enrich.spark import build_session

# Row counts of the ceiling's products: decode batches and the engine's prompt chunk (2,048 tokens).
CEILING_ROWS = (16, 32, 64, 2048)


@dataclass
class Config:
    """One engine configuration of the benchmark."""

    name: str
    build: object  # () -> GenerationEngine, called once before the rounds
    batch_size: int = 64
    slow: bool = False  # runs only the first --slow-prompts of each task
    engine: object = None
    seconds: dict = field(default_factory=dict)  # task -> seconds summed over rounds
    outputs: dict = field(default_factory=dict)  # task -> list of Generation (first round)


# Model arithmetic -------------------------------------------------------------------------------

def model_shapes(config) -> dict[str, tuple[int, int]]:
    """(out, in) of each linear layer of one decoder layer, and of the LM head."""
    d = config.hidden_size
    heads, kv = config.num_attention_heads, config.num_key_value_heads
    head_dim = getattr(config, "head_dim", None) or d // heads
    return {
        "q": (heads * head_dim, d), "k": (kv * head_dim, d), "v": (kv * head_dim, d),
        "o": (d, heads * head_dim), "gate": (config.intermediate_size, d),
        "up": (config.intermediate_size, d), "down": (d, config.intermediate_size),
        "lm_head": (config.vocab_size, d),
    }


def useful_flops(config, prompt: int, output: int) -> float:
    """Matrix and attention FLOPs one row needs: every prompt and output token through every
    layer, the LM head once per output token, attention over the causal context; no padding."""
    shapes = model_shapes(config)
    layer = sum(2 * o * i for name, (o, i) in shapes.items() if name != "lm_head")
    head = 2 * shapes["lm_head"][0] * shapes["lm_head"][1]
    L, dq = config.num_hidden_layers, shapes["q"][0]
    attention = 2 * L * dq * prompt**2 + 4 * L * dq * (prompt * output + output**2 / 2)
    return L * layer * (prompt + output) + head * output + attention


def measure_ceiling(config, threads: int, seconds: float = 0.4) -> dict:
    """Attainable matmul GFLOP/s on the model's shapes: per dtype and row count, one decoder
    layer's products (q, k, v, o, gate, up, down) timed back to back, and the LM head alone."""
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(threads)
    shapes = model_shapes(config)
    out = {}
    for dtype in (torch.float32, torch.bfloat16):
        for rows in CEILING_ROWS:
            weights = {n: torch.randn(s, dtype=dtype) * 0.02 for n, s in shapes.items()}
            inputs = {n: torch.randn(rows, s[1], dtype=dtype) for n, s in shapes.items()}
            for group in (("q", "k", "v", "o", "gate", "up", "down"), ("lm_head",)):
                flops = sum(2 * rows * shapes[n][0] * shapes[n][1] for n in group)
                with torch.inference_mode():
                    for n in group:
                        F.linear(inputs[n], weights[n])  # warm-up
                    reps, started = 0, time.perf_counter()
                    while time.perf_counter() - started < seconds:
                        for n in group:
                            F.linear(inputs[n], weights[n])
                        reps += 1
                    elapsed = time.perf_counter() - started
                key = (str(dtype).removeprefix("torch."), rows, "layer" if len(group) > 1 else "lm_head")
                out[key] = flops * reps / elapsed / 1e9
    return out


# Engines ----------------------------------------------------------------------------------------

def merged_folder(ref, work: Path) -> Path:
    """The version's adapter merged into its float32 base, saved once under ``work``."""
    from enrich.model.merge import merge_adapter

    out = work / "merged-float32"
    if not (out / "config.json").is_file():
        merge_adapter(Path(ref.base_dir), Path(ref.version_dir), out, dtype="float32")
    return out


def configs(args, cfg, ref, work: Path) -> list[Config]:
    """The engine configurations, built lazily (each loads its model when the rounds start)."""
    import dataclasses

    import torch
    from transformers import AutoModelForCausalLM

    from enrich.engine.batched import Engine
    from enrich.engine.batching import token_budget
    from enrich.model.loading import load_engine, load_tokenizer, resolved

    import peer_engines as peers

    memory = cfg.generation.memory_budget_mb
    tokenizer = load_tokenizer(ref.version_dir)
    merged = merged_folder(ref, work)
    shared: dict = {}

    def fp32_model():
        if "fp32" not in shared:
            shared["fp32"] = AutoModelForCausalLM.from_pretrained(
                str(merged), dtype=torch.float32, attn_implementation="sdpa").eval()
        return shared["fp32"]

    def ours(precision, **change):
        return lambda: load_engine(dataclasses.replace(ref, precision=precision, **change),
                                   device="cpu", memory_mb=memory)

    def ours_fp32():
        model = fp32_model()
        return Engine(model, tokenizer, context_length=ref.context_length,
                      token_budget=token_budget(model.config, 4, memory))

    bs, *more_sizes = args.ours_batch
    default = f"ours {ref.precision} {resolved(ref, 'cpu').compute_dtype}"
    out = [
        Config(f"{default} (job default)", ours(ref.precision), bs),
        *(Config(f"{default} bs{size}", ours(ref.precision), size) for size in more_sizes),
        Config("ours fp32 merged", ours_fp32, bs),
        Config("ours bf16 merged", ours("bf16"), bs),
        # The job's NF4 weights dequantized into float32 (the default where the CPU has no bf16).
        Config("ours nf4 computed in fp32", ours("nf4", compute_dtype="float32"), bs),
        Config("ours int8 (bnb, adapter)", ours("int8"), bs, slow=True),
        Config("HF generate per row fp32", lambda: peers.HFGenerate(fp32_model(), tokenizer, batched=False),
               1, slow=True),
    ]
    for size in args.hf_batch:
        out.append(Config(f"HF generate batched fp32 bs{size}",
                          lambda: peers.HFGenerate(fp32_model(), tokenizer, batched=True), size))
    try:
        import ctranslate2
    except ImportError:
        print("CTranslate2 not installed (pip install -e .[bench]): skipped")
    else:
        ct2_dir = peers.convert_ctranslate2(merged, work / "ctranslate2-float32")
        supported = ctranslate2.get_supported_compute_types("cpu")
        for compute_type in args.ct2_types:
            if compute_type not in supported:
                print(f"CTranslate2 {compute_type}: not supported on this CPU ({sorted(supported)})")
                continue
            generator = {}

            def build(compute_type=compute_type, generator=generator):
                if "g" not in generator:
                    generator["g"] = peers.CTranslate2Engine(
                        ct2_dir, tokenizer, compute_type=compute_type, threads=args.threads)
                return generator["g"]

            for size in args.ct2_batch:
                out.append(Config(f"CTranslate2 {compute_type} bs{size}", build, size))
    try:
        import llama_cpp  # noqa: F401
    except ImportError as exc:
        print(f"llama.cpp not available ({exc}): skipped; `pip install llama-cpp-python` builds it")
    else:
        from enrich.model.embedded import gguf_path

        for quant in args.gguf_types:
            gguf_file = peers.write_merged_gguf(gguf_path(), merged, work / f"merged-{quant}.gguf",
                                                quant=quant)
            out.append(Config(
                f"llama.cpp {quant} merged (1 seq)",
                lambda f=gguf_file: peers.LlamaCppEngine(f, tokenizer, threads=args.threads,
                                                         context=ref.context_length),
                64, slow=args.llama_slow))
    return [c for c in out if not any(s in c.name for s in args.skip)]


# Report -----------------------------------------------------------------------------------------

def machine() -> str:
    import platform

    import torch

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    flags = open("/proc/cpuinfo").read()
    isa = [f for f in ("avx512_bf16", "avx512_vnni", "amx_bf16", "amx_int8") if f in flags]
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores ({', '.join(isa) or 'no bf16/vnni/amx'}), {mem:.0f} GiB; "
            f"torch {torch.__version__}, {torch.backends.mkldnn.is_available() and 'oneDNN' or ''}")


def print_ceiling(ceiling: dict) -> None:
    print("CPU ceiling, torch F.linear on the model's shapes, GFLOP/s "
          "(one decoder layer's 7 products back to back / the LM head):")
    for dtype in ("float32", "bfloat16"):
        cells = "  ".join(f"{rows:>4} rows {ceiling[(dtype, rows, 'layer')]:6.1f}/"
                          f"{ceiling[(dtype, rows, 'lm_head')]:<6.1f}" for rows in CEILING_ROWS)
        print(f"  {dtype:<9} {cells}")


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=None)
    parser.add_argument("--descriptions", type=int, default=64, help="description prompts")
    parser.add_argument("--reviews", type=int, default=32, help="review-summary prompts")
    parser.add_argument("--slow-prompts", type=int, default=8,
                        help="prompts per task for the per-row loops (HF per row, int8)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ours-batch", type=lambda s: [int(x) for x in s.split(",")],
                        default=[64], help="our batch sizes: the first for every mode, the "
                        "others for the job default only")
    parser.add_argument("--hf-batch", type=lambda s: [int(x) for x in s.split(",")], default=[64])
    parser.add_argument("--ct2-types", type=lambda s: s.split(","), default=["int8", "float32"])
    parser.add_argument("--ct2-batch", type=lambda s: [int(x) for x in s.split(",")],
                        default=[16, 32, 64])
    parser.add_argument("--gguf-types", type=lambda s: s.split(","), default=["F32", "Q8_0"])
    parser.add_argument("--llama-slow", action="store_true",
                        help="run llama.cpp on --slow-prompts only")
    parser.add_argument("--skip", action="append", default=[],
                        help="skip engines whose name contains this (repeatable)")
    parser.add_argument("--work-dir", default=None,
                        help="converted models (default: <registry>/bench-peers)")
    parser.add_argument("--no-ceiling", action="store_true")
    parser.add_argument("--ceiling-only", action="store_true",
                        help="measure the CPU ceiling and stop (no Spark, no engines)")
    parser.add_argument("--set", action="append", default=[], dest="overrides")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # bitsandbytes' int8 casts warn on every product
    logging.getLogger("bitsandbytes").setLevel(logging.ERROR)
    cfg = load_config(args.config, args.overrides)
    ref = model_ref(cfg)
    work = Path(args.work_dir or Path(cfg.model.registry) / "bench-peers")
    work.mkdir(parents=True, exist_ok=True)
    if args.ceiling_only:
        from transformers import AutoConfig

        print(f"machine: {machine()}\nload before: {load()}")
        print_ceiling(measure_ceiling(AutoConfig.from_pretrained(ref.base_dir), args.threads))
        print(f"load after: {load()}")
        return
    spark = build_session(cfg.spark, cfg.warehouse)
    spark.sparkContext.setLogLevel("ERROR")
    sizes = {"description": args.descriptions, "review_summary": args.reviews}
    workload = task_prompts(spark, cfg, ref, max(sizes.values()))
    spark.stop()
    workload = {t: (p[: sizes.get(t, len(p))], m) for t, (p, m) in workload.items() if sizes.get(t)}

    import torch
    from transformers import AutoConfig

    torch.set_num_threads(args.threads)
    model_config = AutoConfig.from_pretrained(ref.base_dir)
    print(f"machine: {machine()}")
    print(f"load before: {load()}")
    print(f"model {ref.model_version} on {ref.base_model}; {args.threads} threads for every engine")
    ceiling = {} if args.no_ceiling else measure_ceiling(model_config, args.threads)
    if ceiling:
        print_ceiling(ceiling)
    peak = max(ceiling.values()) if ceiling else float("nan")
    print(f"ceiling used for shares: {peak:.1f} GFLOP/s (the best cell above)")

    runs = configs(args, cfg, ref, work)
    for c in runs:
        started = time.perf_counter()
        c.engine = c.build()
        print(f"loaded {c.name} in {time.perf_counter() - started:.1f}s")
    print(f"peak RSS after loading: {peak_rss_mb():.0f} MiB")
    for c in runs:  # first calls (kernel selection, allocations) stay out of the timing
        for prompts, _ in workload.values():
            c.engine.generate(prompts[:2], max_new_tokens=4, batch_size=c.batch_size)

    for r in range(args.rounds):
        for task, (prompts, max_new) in workload.items():
            order = runs[r % len(runs):] + runs[: r % len(runs)]
            if r % 2:
                order = order[::-1]
            for c in order:
                chunk = prompts[: args.slow_prompts] if c.slow else prompts
                started = time.perf_counter()
                result = c.engine.generate(chunk, max_new_tokens=max_new, batch_size=c.batch_size)
                c.seconds[task] = c.seconds.get(task, 0.0) + time.perf_counter() - started
                c.outputs.setdefault(task, result)
        print(f"round {r + 1} done; load: {load()}")

    reference, same_weights = runs[0], next((c for c in runs if c.name == "ours fp32 merged"), runs[0])
    header = (f"{'engine':<34}{'bs':>4}{'rows':>5}{'rows/s':>8}{'out tok/s':>10}{'GFLOP/s':>9}"
              f"{'ceil':>6}{'=ours':>7}{'=fp32':>7}{'ours/x':>8}{'err':>4}")
    best: dict = {}
    for task, (prompts, max_new) in workload.items():
        print(f"\n{task}: {len(prompts)} prompts, {max_new} new tokens at most, "
              f"prompt tokens mean {sum(g.prompt_tokens for g in reference.outputs[task]) / len(prompts):.0f}")
        print(header)
        ref_rate = len(prompts) * args.rounds / reference.seconds[task]
        for c in runs:
            outs = c.outputs[task]
            n = len(outs)
            seconds = c.seconds[task] / args.rounds
            rate = n / seconds
            tokens = sum(g.output_tokens for g in outs)
            flops = sum(useful_flops(model_config, g.prompt_tokens, g.output_tokens) for g in outs)
            agree = sum(a.token_ids == b.token_ids for a, b in zip(outs, reference.outputs[task])) / n
            agree32 = sum(a.token_ids == b.token_ids for a, b in zip(outs, same_weights.outputs[task])) / n
            errors = sum(g.error is not None for g in outs)
            print(f"{c.name:<34}{c.batch_size:>4}{n:>5}{rate:>8.2f}{tokens / seconds:>10.1f}"
                  f"{flops / seconds / 1e9:>9.1f}{flops / seconds / 1e9 / peak:>6.0%}{agree:>7.0%}"
                  f"{agree32:>7.0%}{ref_rate / rate:>7.2f}x{errors:>4}")
            best.setdefault(task, {})[c.name] = rate
    print(f"\nload after: {load()}; peak RSS {peak_rss_mb():.0f} MiB")
    ours_names = [c.name for c in runs if c.name.startswith("ours")]
    peer_names = [c.name for c in runs if not c.name.startswith("ours") and not c.slow]
    for task in workload:
        top_ours = max(ours_names, key=lambda n: best[task][n])
        if not peer_names:
            continue
        top_peer = max(peer_names, key=lambda n: best[task][n])
        print(f"headline {task}: fastest of ours {top_ours} {best[task][top_ours]:.2f} rows/s; "
              f"fastest peer {top_peer} {best[task][top_peer]:.2f} rows/s; "
              f"ratio {best[task][top_ours] / best[task][top_peer]:.2f}x (target 1.5x); "
              f"job default {best[task][ours_names[0]] / best[task][top_peer]:.2f}x")


if __name__ == "__main__":
    main()
