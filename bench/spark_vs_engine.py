"""Benchmark: the whole Spark job on a demo catalog against the engine alone on the same prompts.

    .venv/bin/python bench/spark_vs_engine.py [--products 2000] [--steps]

Writes a fresh demo catalog of ``--products`` products (2,000 by default) under a temporary
folder and enriches it with the project's current model version (``models/``, built by
``make run``), in the configuration's compute dtype. Side by side, in one run:

- **engine alone**: the same prompts, dealt over as many processes as Spark has cores, each with
  the same torch threads as a Spark worker; each process loads the model and generates its share
  (no Spark, no scoring, no tables). Timed before and after the Spark job; the mean counts.
- **Spark job**: ``run_enrichment`` end to end, timed around the call: selection, prompts,
  generation in ``mapInPandas``, scoring, the staging write, the MERGE and the run log.

With ``--steps`` it also prints the job's driver-side steps on a timeline (reading the sources,
selection, domains, generation with its staging write, the chunk summary, the MERGE, the run log),
timed by wrapping those functions of :mod:`enrich.enrichment`, so the fixed part of the job's
time is named step by step.

Prints both wall times, where the job's time went (the engine's own seconds inside the workers,
summed over the rows from the output tables' ``generation_seconds`` and spread over the cores,
and the rest), the CPU the Spark JVM itself used during the job, peak memory (each engine-alone
process's, and the job's: the JVM's and each Python worker's, read from ``/proc`` while the
reused workers are still alive), and the headline: how much the job adds to the generation time.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import tempfile
import time

from workload import model_ref, peak_rss_mb, task_prompts

from pyspark.sql import functions as F

from enrich import schemas as S
from enrich.config import DemoConfig, load_config
from enrich.demo import create_demo_catalog
from enrich.enrichment import run_enrichment
from enrich.spark import build_session
from enrich.tables import read_table


def _generate_share(args) -> tuple[int, float, float, float]:
    ref, threads, memory_mb, batch_size, share = args
    import torch

    from enrich.model.loading import load_engine

    started = time.perf_counter()
    torch.set_num_threads(threads)
    engine = load_engine(ref, device="cpu", memory_mb=memory_mb)
    loaded = time.perf_counter() - started
    rows = 0
    for prompts, max_new in share:
        rows += len(engine.generate(prompts, max_new_tokens=max_new, batch_size=batch_size))
    return rows, loaded, time.perf_counter() - started, peak_rss_mb()


def engine_alone(ref, cfg, workload, processes: int) -> tuple[float, int, float, float]:
    """Wall seconds, rows, mean load seconds and the largest peak RSS (MiB) of one process, for
    the engine in ``processes`` processes."""
    shares = [[] for _ in range(processes)]
    for prompts, max_new in workload.values():
        ordered = sorted(prompts, key=len)
        for p in range(processes):
            shares[p].append((ordered[p::processes], max_new))
    jobs = [
        (ref, cfg.generation.cpu_threads, cfg.generation.memory_budget_mb,
         cfg.generation.batch_size, share)
        for share in shares
    ]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        results = pool.map(_generate_share, jobs)
    wall = time.perf_counter() - started
    rows, loads = sum(r[0] for r in results), sum(r[1] for r in results)
    return wall, rows, loads / len(results), max(r[3] for r in results)


def jvm_pid(spark) -> int:
    """The Spark JVM's process id (driver and, in local mode, executors)."""
    return spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()


def proc_stat(pid: int) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name (state, ppid, ...)."""
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def jvm_cpu_seconds(spark) -> float:
    """CPU seconds the Spark JVM has used so far."""
    fields = proc_stat(jvm_pid(spark))
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_tree_mb(root: int) -> tuple[float, list[float]]:
    """Peak resident memory (MiB, ``VmHWM``) of process ``root`` and of each of its descendants
    still running (in local mode: the JVM, then its Python daemon and workers)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents[int(entry)] = int(proc_stat(int(entry))[1])
            except OSError:  # the process ended meanwhile
                continue
    tree, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        tree.append(pid)
        frontier += [child for child, parent in parents.items() if parent == pid]
    peaks = []
    for pid in tree:
        try:
            with open(f"/proc/{pid}/status") as f:
                hwm = next(line for line in f if line.startswith("VmHWM"))
            peaks.append(int(hwm.split()[1]) / 1024)
        except (OSError, StopIteration):
            continue
    return peaks[0], peaks[1:]


# The driver-side steps of run_enrichment that --steps times, in enrich.enrichment's namespace.
# _run_task starts with the selection's count (it materialises the persisted work rows) and then
# calls _run_chunks: the gap between their starts is the count.
STEPS = (
    "read_sources", "ensure_table", "ensure_run_log", "table_version", "interrupted_runs",
    "_run_task", "_run_chunks", "run_domains", "generate_rows", "_summarise", "merge_rows",
    "delete_tree", "_record_run",
)


def time_steps() -> list[tuple[float, str, float]]:
    """Wrap the job's driver-side steps; the returned list fills with (start, step, seconds)."""
    import functools

    from enrich import enrichment

    timed: list[tuple[float, str, float]] = []

    def wrap(step):
        @functools.wraps(step)
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return step(*args, **kwargs)
            finally:
                timed.append((started, step.__name__, time.perf_counter() - started))
        return run

    for name in STEPS:
        setattr(enrichment, name, wrap(getattr(enrichment, name)))
    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--steps", action="store_true",
                        help="also print the job's driver-side steps on a timeline")
    args = parser.parse_args()
    steps = time_steps() if args.steps else []
    with tempfile.TemporaryDirectory(prefix="bench-spark-") as root:
        cfg = load_config(None, [f"warehouse.root={root}/warehouse"])
        ref = model_ref(cfg)
        spark = build_session(cfg.spark, cfg.warehouse)
        spark.sparkContext.setLogLevel("ERROR")
        create_demo_catalog(spark, cfg.warehouse, DemoConfig(products=args.products))
        workload = task_prompts(spark, cfg, ref, None)
        processes = spark.sparkContext.defaultParallelism
        rows = sum(len(p) for p, _ in workload.values())

        first = engine_alone(ref, cfg, workload, processes)
        jvm = jvm_cpu_seconds(spark)
        started = time.perf_counter()
        report = run_enrichment(spark, cfg)
        job = time.perf_counter() - started
        jvm = jvm_cpu_seconds(spark) - jvm
        jvm_peak, python_peaks = peak_rss_tree_mb(jvm_pid(spark))
        outputs = [read_table(spark, cfg.warehouse.table(t.table)) for t in report.tasks]
        inside = sum(o.agg(F.sum(S.GENERATION_SECONDS)).first()[0] or 0.0 for o in outputs)
        second = engine_alone(ref, cfg, workload, processes)
        spark.stop()

    generated = report.selected - report.count("skipped") - report.count("failed")
    alone = (first[0] + second[0]) / 2
    print(f"{args.products} products; {rows} prompts; {processes} processes / Spark cores, "
          f"{cfg.generation.cpu_threads} torch thread(s) each")
    print(f"{'system':<30}{'rows':>7}{'wall s':>9}{'rows/s':>9}")
    print(f"{'engine alone (before)':<30}{first[1]:>7}{first[0]:>9.1f}{first[1] / first[0]:>9.2f}")
    print(f"{'Spark job (run_enrichment)':<30}{generated:>7}{job:>9.1f}{generated / job:>9.2f}")
    print(f"{'engine alone (after)':<30}{second[1]:>7}{second[0]:>9.1f}{second[1] / second[0]:>9.2f}")
    print(f"model load per process: {first[2]:.1f}s / {second[2]:.1f}s (included above); "
          f"job model loads: {report.model_loads}")
    print(f"inside the job: the engine's generation seconds summed over the rows {inside:.1f}s, "
          f"{inside / processes:.1f}s per core; the rest of the job (selection, prompts, scoring, "
          f"staging, MERGE, run log, idle cores) {job - inside / processes:.1f}s")
    print(f"the Spark JVM's own CPU during the job (planning, Delta logs, JIT compiling, "
          f"shuffles, MERGE): {jvm:.1f} core-seconds, {jvm / processes:.1f}s of the "
          f"{processes} cores")
    workers = sorted(python_peaks, reverse=True)[:processes]
    print(f"peak RSS: engine alone {max(first[3], second[3]):.0f} MiB per process; Spark job: JVM "
          f"{jvm_peak:.0f} MiB, Python workers {', '.join(f'{m:.0f}' for m in workers)} MiB")
    print(f"headline: the Spark job took {job:.1f}s against {alone:.1f}s for the engine alone: "
          f"Spark adds {job / alone - 1:+.1%} to the generation time (target at most +10%)")
    if args.steps:
        print("the job's driver-side steps (start after the job's start, seconds; nested steps "
              "are inside the one above them):")
        for start, step, seconds in sorted(steps):
            print(f"  {start - started:+8.1f}s  {step:<18}{seconds:8.2f}s")


if __name__ == "__main__":
    main()
