"""Benchmark: the job's lean local JVM against the JVM's own defaults, on the same demo catalog.

    .venv/bin/python bench/local_jvm.py [--products 60] [--rounds 2]

In local mode the job starts its JVM with ``enrich.spark.LOCAL_JVM_OPTIONS`` (the serial
collector and the quick compiler only). Side by side, in one run, each round runs the whole job
(``run_enrichment`` on a fresh demo catalog of ``--products`` products, the project's current
model version) once with those options and once with the JVM's defaults (G1 and both compilers),
alternating which goes first. A JVM's options are fixed when it starts, so every job runs in a
process of its own.

Prints, per run and as means: the job's wall time and the CPU the Spark JVM used during it, and
the headline ratios. The JVM's CPU is what it takes from the Python workers on the same cores.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time

from enrich.spark import LOCAL_JVM_OPTIONS

JVM_DEFAULTS = "-XX:+UseG1GC"  # what a JDK 17 picks on this machine class, named explicitly
VARIANTS = {"lean (job default)": None, "JVM defaults": JVM_DEFAULTS}


def one_job(products: int, jvm_options: str | None) -> dict:
    """Run the job once in this process; its wall seconds and the JVM's CPU seconds."""
    from spark_vs_engine import jvm_cpu_seconds

    from enrich.config import DemoConfig, load_config
    from enrich.demo import create_demo_catalog
    from enrich.enrichment import run_enrichment
    from enrich.spark import build_session

    with tempfile.TemporaryDirectory(prefix="bench-jvm-") as root:
        cfg = load_config(None, [f"warehouse.root={root}/warehouse"])
        if jvm_options is not None:
            cfg.spark.conf["spark.driver.extraJavaOptions"] = jvm_options
        spark = build_session(cfg.spark, cfg.warehouse)
        spark.sparkContext.setLogLevel("ERROR")
        create_demo_catalog(spark, cfg.warehouse, DemoConfig(products=products))
        cpu = jvm_cpu_seconds(spark)
        started = time.perf_counter()
        report = run_enrichment(spark, cfg)
        wall = time.perf_counter() - started
        cpu = jvm_cpu_seconds(spark) - cpu
        options = " ".join(  # the collector and compiler flags, not those Spark adds itself
            o for o in spark.sparkContext.getConf().get("spark.driver.extraJavaOptions", "").split()
            if o.startswith("-XX:") and "IgnoreUnrecognized" not in o
        )
        spark.stop()
    return {"wall": wall, "jvm_cpu": cpu, "rows": report.selected, "options": options}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", choices=list(VARIANTS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_job(args.products, VARIANTS[args.child])))
        return

    runs: dict[str, list[dict]] = {name: [] for name in VARIANTS}
    print(f"{args.products} products, {args.rounds} round(s); lean options: {LOCAL_JVM_OPTIONS}")
    print(f"{'round':<7}{'JVM':<22}{'rows':>6}{'job s':>9}{'JVM CPU s':>11}  options")
    for round_ in range(args.rounds):
        order = list(VARIANTS) if round_ % 2 == 0 else list(reversed(VARIANTS))
        for name in order:
            done = subprocess.run(
                [sys.executable, __file__, "--products", str(args.products), "--child", name],
                capture_output=True, text=True, check=False,
            )
            if done.returncode:
                sys.exit(f"the {name} job failed:\n{done.stderr[-4000:]}")
            run = json.loads(done.stdout.strip().splitlines()[-1])
            runs[name].append(run)
            print(f"{round_ + 1:<7}{name:<22}{run['rows']:>6}{run['wall']:>9.1f}"
                  f"{run['jvm_cpu']:>11.1f}  {run['options']}")

    def mean(name: str, key: str) -> float:
        return sum(r[key] for r in runs[name]) / len(runs[name])

    lean, default = list(VARIANTS)
    for key, label in (("wall", "job wall"), ("jvm_cpu", "JVM CPU")):
        print(f"mean {label}: lean {mean(lean, key):.1f}s, JVM defaults {mean(default, key):.1f}s; "
              f"lean/defaults = {mean(lean, key) / mean(default, key):.2f}x")


if __name__ == "__main__":
    main()
