"""Shared by the CPU benchmarks: the project's model version and real prompts from a catalog.

The prompts are built exactly as the job builds them (work rows through Spark and Arrow, then
each task's ``build_prompt`` with the model's tokenizer), so the benchmarks time the workload the
job runs.
"""

from __future__ import annotations

import resource
import sys

from enrich.config import JobConfig
from enrich.model.loading import load_tokenizer
from enrich.model.registry import Registry, RegistryError
from enrich.sources import read_sources
from enrich.tasks import PromptError, SkipRow, enabled_tasks


def model_ref(cfg: JobConfig):
    """The configured model version, or exit saying how to build one."""
    try:
        return Registry(cfg.model.registry, cfg.model.name).ref(
            cfg.model.version, precision=cfg.generation.precision,
            compute_dtype=cfg.model.compute_dtype,
        )
    except RegistryError as exc:
        sys.exit(f"{exc}\nBuild the project's model first: `make run` (or `catalog-enrich train`).")


def task_prompts(spark, cfg: JobConfig, ref, per_task: int | None) -> dict[str, tuple[list[str], int]]:
    """Up to ``per_task`` prompts of each enabled task (all when None), by product id, with the
    task's ``max_new_tokens``."""
    tasks = enabled_tasks(cfg)
    sources = read_sources(spark, cfg, tasks)
    tokenizer = load_tokenizer(ref.version_dir)
    out = {}
    for task in tasks:
        work = sources.work_rows(task).orderBy(task.key)
        if per_task:
            work = work.limit(per_task * 2)  # room for rows a rule skips
        prompts = []
        for record in work.toPandas().to_dict("records"):
            try:
                prompts.append(task.build_prompt(record, tokenizer).text)
            except (SkipRow, PromptError):
                continue
        out[task.name] = (prompts[:per_task] if per_task else prompts, task.cfg.max_new_tokens)
    return out


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
