"""The generation stage: work rows in, scored output rows out, through ``mapInPandas``.

Each Python worker takes its engine from :func:`enrich.model.loading.cached_engine`, so a version
is loaded once per worker and reused for every batch and task that worker runs; a batch whose
rows are all skipped or failed loads nothing. A worker joins consecutive Arrow batches into one
batch of a few engine batches' rows (:data:`JOINED_BATCHES`), so the engine sorts more prompts by
their real token length. The stage uses the engine only through its contract
(:class:`enrich.engine.GenerationEngine`), so it runs with whichever backend loading picked. Per
batch the stage builds the prompts (review tasks measure their token budget with the model's
tokenizer), generates, scores, and returns rows in the task's output schema with their
provenance. A row whose prompt cannot be built or whose generation fails comes back with
``status = 'failed'`` and the reason in ``error``; a row a rule skips comes back ``skipped`` with
its reason; neighbours are unaffected. So does a row whose prompt building or scoring runs over
``generation.row_time_budget_seconds`` (see :func:`within_budget`).

On a cluster the stage asks for GPUs through a stage-level resource profile
(``generation.gpus_per_task``); inside a task the worker uses the GPU address Spark assigned it.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TypeVar

import pandas as pd
from pyspark.sql import DataFrame

from enrich import schemas as S
from enrich.config import GenerationConfig, QualityConfig
from enrich.engine import GenerationEngine
from enrich.faults import fault_point
from enrich.model.registry import ModelRef
from enrich.progress import Counters
from enrich.quality.ads import BrandIndex
from enrich.quality.domains import AttributeDomains
from enrich.tasks import REFERENCES, PromptError, SkipRow, Task

log = logging.getLogger(__name__)

OVER_BUDGET = "over_time_budget"  # reason code of a row whose step ran over its time budget
# Engine batches' worth of rows a worker joins from its Arrow batches before generating. The
# engine sorts one call's prompts by their token length and cuts its batches from that order;
# the partition's order (by an estimate of the prompt's size) is coarse, so 64 rows of one Arrow
# batch span up to half again in tokens and pad more. One call over several generated 7% faster
# for review summaries (bench/RESULTS.md).
JOINED_BATCHES = 4
_T = TypeVar("_T")


@dataclass(frozen=True)
class RunContext:
    """What the driver hands to every worker for one task of one run.

    ``domains`` (the catalog's categorical attribute values and its product and brand names,
    learned once per run by :func:`enrich.quality.domains.learn_domains`, the names bounded by
    ``quality.max_catalog_names``) is small, and travels with the stage's function; so do
    ``brands``, the catalog's brands (as many at most), learned only when a search-ad task runs.
    """

    run_id: str
    model: ModelRef
    generation: GenerationConfig
    quality: QualityConfig
    domains: AttributeDomains | None = None
    brands: BrandIndex | None = None

    def decoding(self, task: Task) -> str:
        """The decoding parameters recorded on each row, as JSON."""
        return json.dumps(
            {"strategy": "greedy", "max_new_tokens": task.cfg.max_new_tokens}, sort_keys=True
        )


def _not_generated(status: str, code: str, message: str) -> dict:
    return {S.STATUS: status, S.ERROR: message[:2000], S.REJECT_REASONS: [code]}


class OverBudget(Exception):
    """A row's step took more CPU time than ``generation.row_time_budget_seconds``."""


def within_budget(step: str, work: Callable[[], _T], *, budget_seconds: float) -> _T:
    """``work()``, or :class:`OverBudget` when it took more than ``budget_seconds`` of CPU.

    Python cannot stop a running regular expression or scorer from outside, so the budget is
    checked when the step returns; it does not cut the step short. What it guarantees: a row
    whose step ran over is never published (it is written ``failed``, with the step and its
    time), and the rows beside it are built, generated and scored as usual. That no step runs
    long in the first place is the work of the limits: every untrusted text is cut before it is
    read, and every pattern runs in linear time (``tests/unit/test_linear_time.py``). CPU time
    of this thread is counted, so a busy machine does not fail rows that did little work.

    Args:
        step: what ``work`` does, for the error message ("prompt building", "scoring").
        work: the step.
        budget_seconds: CPU seconds it may take.

    Raises:
        OverBudget: naming the step, its time and the setting to look at.
    """
    start = time.thread_time()
    result = work()
    spent = time.thread_time() - start
    if spent > budget_seconds:
        raise OverBudget(
            f"{step} took {spent:.2f} s of CPU, over the row time budget of {budget_seconds:g} s "
            "(generation.row_time_budget_seconds): an input of this row is unusually costly to "
            "read; look at it, or raise the budget"
        )
    return result


def process_batch(
    pdf: pd.DataFrame,
    *,
    task: Task,
    ctx: RunContext,
    tokenizer,
    engine: Callable[[], GenerationEngine],
    on_rows: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Build prompts, generate and score one batch of work rows (runs inside a worker).

    Args:
        pdf: work rows of ``task``.
        task: the task.
        ctx: run id, model and settings.
        tokenizer: the model's tokenizer, for prompt budgets.
        engine: returns the engine (any :class:`enrich.engine.GenerationEngine`); called only
            when some row of the batch has a prompt.
        on_rows: called as rows finish generating, with the rows and tokens so far (progress).

    Returns:
        One output row per work row, in the task's output schema.
    """
    records = pdf.to_dict("records")
    budget = ctx.generation.row_time_budget_seconds
    prompts: dict[int, str] = {}
    inputs = {}
    rows: list[dict] = []

    def build(record: dict):
        prompt = task.build_prompt(record, tokenizer)
        return prompt, task.score_inputs(record, prompt)

    for i, record in enumerate(records):
        try:
            prompt, facts = within_budget(
                "prompt building", lambda: build(record), budget_seconds=budget
            )
        except SkipRow as skip:
            rows.append(_not_generated(S.SKIPPED, skip.code, str(skip)))
        except PromptError as exc:
            rows.append(_not_generated(S.FAILED, "failed", f"prompt: {exc}"))
        except OverBudget as exc:
            rows.append(_not_generated(S.FAILED, OVER_BUDGET, str(exc)))
        except Exception as exc:  # noqa: BLE001 - bad input data becomes a failed row
            rows.append(_not_generated(S.FAILED, "failed", f"prompt: {type(exc).__name__}: {exc}"))
        else:
            prompts[i] = prompt.text
            inputs[i] = facts
            rows.append(dict(prompt.columns))
    order = list(prompts)
    generations = []
    on_gpu = False
    if order:
        generator = engine()
        on_gpu = str(generator.device).startswith("cuda")
        generations = generator.generate(
            [prompts[i] for i in order],
            max_new_tokens=task.cfg.max_new_tokens,
            batch_size=ctx.generation.batch_size,
            on_rows=on_rows,
        )
    for i, gen in zip(order, generations):
        cost = {
            S.PROMPT_TOKENS: gen.prompt_tokens,
            S.OUTPUT_TOKENS: gen.output_tokens,
            S.GENERATION_SECONDS: gen.seconds,
            S.GPU_SECONDS: gen.seconds if on_gpu else 0.0,
        }
        if gen.error is not None:
            rows[i] = {**rows[i], **_not_generated(S.FAILED, "failed", f"generation: {gen.error}"), **cost}
            continue
        refs = records[i].get(REFERENCES)
        try:
            scored = within_budget(
                "scoring",
                lambda: task.score(
                    gen.text,
                    references=None if refs is None else list(refs),
                    inputs=inputs[i],
                    mean_logprob=gen.mean_logprob,
                    stopped_at_limit=gen.output_tokens >= task.cfg.max_new_tokens,
                    quality=ctx.quality,
                    domains=ctx.domains,
                    brands=ctx.brands,
                ),
                budget_seconds=budget,
            )
        except OverBudget as exc:
            rows[i] = {**rows[i], **_not_generated(S.FAILED, OVER_BUDGET, str(exc)), **cost}
            continue
        rows[i] = {
            **rows[i],
            **scored,
            S.ERROR: None,
            S.MEAN_LOGPROB: gen.mean_logprob,
            **cost,
        }
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    provenance = {
        S.MODEL_VERSION: ctx.model.model_version,
        S.BASE_MODEL: ctx.model.base_model,
        S.ADAPTER_ID: ctx.model.adapter_id,
        S.QUANTIZATION: ctx.model.weights_label,
        S.PROMPT_VERSION: task.prompt_version,
        S.DECODING: ctx.decoding(task),
        S.RUN_ID: ctx.run_id,
        S.GENERATED_AT: now,
    }
    columns = task.schema.fieldNames()
    out = []
    for record, row in zip(records, rows):
        full = {name: None for name in columns}
        carried = (task.key, S.INPUT_FINGERPRINT, *task.extra_columns)
        full.update({name: _plain(record[name]) for name in carried if name in record})
        full.update(row)
        full.update(provenance)
        out.append(full)
    return pd.DataFrame(out, columns=columns)


def _plain(value):
    # Arrow hands arrays to pandas as numpy arrays; the output converter wants lists.
    return value.tolist() if hasattr(value, "tolist") else value


_said_cpu = False


def assigned_device() -> str:
    """The device this task should generate on: the GPU Spark assigned it, else ``cuda`` when a
    GPU is visible, else ``cpu`` (said once per worker in the log)."""
    global _said_cpu
    from pyspark import TaskContext

    context = TaskContext.get()
    resources = context.resources() if context is not None else {}
    if "gpu" in resources and resources["gpu"].addresses:
        return f"cuda:{resources['gpu'].addresses[0]}"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if not _said_cpu:
        log.info("no GPU assigned or visible: generating on the CPU (pid %d)", os.getpid())
        _said_cpu = True
    return "cpu"


def joined_frames(
    frames: Iterator[pd.DataFrame], *, rows: int
) -> Iterator[tuple[pd.DataFrame, int]]:
    """Consecutive non-empty frames joined until they hold at least ``rows`` rows (the last
    group may hold fewer), each with the number of frames it joins."""
    held: list[pd.DataFrame] = []
    count = 0
    for pdf in frames:
        if pdf.empty:
            continue
        held.append(pdf)
        count += len(pdf)
        if count >= rows:
            yield pd.concat(held, ignore_index=True), len(held)
            held, count = [], 0
    if held:
        yield pd.concat(held, ignore_index=True), len(held)


def gpu_profile(gen: GenerationConfig):
    """A stage-level resource profile asking ``gpus_per_task`` GPUs per task, or None."""
    if gen.gpus_per_task <= 0:
        return None
    from pyspark.resource import ResourceProfileBuilder, TaskResourceRequests

    requests = TaskResourceRequests().cpus(gen.cpus_per_task).resource("gpu", gen.gpus_per_task)
    return ResourceProfileBuilder().require(requests).build


def generate_stage(
    work: DataFrame, *, task: Task, ctx: RunContext, model_loads=None, batches=None,
    oom_retries=None, counters: Counters | None = None,
) -> DataFrame:
    """Generate and score ``task`` for every work row (lazy; runs when written).

    Args:
        work: work rows of the task (see :meth:`enrich.tasks.Task.work_rows`).
        task: the task.
        ctx: run id, model reference and settings, shipped to the workers.
        model_loads: optional Spark accumulator counting model loads in the workers.
        batches: optional Spark accumulator counting Arrow batches processed.
        oom_retries: optional Spark accumulator counting batches halved after running out of
            memory.
        counters: optional :class:`enrich.progress.Counters` that each batch's rows and tokens
            are added to, for progress reports.

    Returns:
        A DataFrame in the task's output schema.
    """
    threads = ctx.generation.cpu_threads

    def run(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from enrich.model.loading import cached_engine, cached_tokenizer

        device = assigned_device()
        state: dict = {}
        live = counters.sender() if counters is not None else None
        done = [0, 0]  # rows and tokens of this task's finished batches

        def engine():
            if "engine" not in state:
                if device == "cpu":
                    import torch

                    torch.set_num_threads(threads)
                state["engine"], loaded = cached_engine(
                    ctx.model, device=device, memory_mb=ctx.generation.memory_budget_mb
                )
                if loaded and model_loads is not None:
                    model_loads.add(1)
                state["oom_seen"] = state["engine"].stats.oom_splits
            return state["engine"]

        for pdf, joined in joined_frames(frames, rows=JOINED_BATCHES * ctx.generation.batch_size):
            fault_point("generate")
            if batches is not None:
                batches.add(joined)
            out = process_batch(
                pdf, task=task, ctx=ctx, tokenizer=cached_tokenizer(ctx.model), engine=engine,
                on_rows=None if live is None else (
                    lambda rows, tokens: live.send(done[0] + rows, done[1] + tokens)
                ),
            )
            if counters is not None:
                done[0] += len(out)
                done[1] += counters.add_batch(out)
                if live is not None:
                    live.send(*done, now=True)
            yield out
            if "engine" in state and oom_retries is not None:
                splits = state["engine"].stats.oom_splits
                oom_retries.add(splits - state["oom_seen"])
                state["oom_seen"] = splits

    return work.mapInPandas(run, task.schema, profile=gpu_profile(ctx.generation))
