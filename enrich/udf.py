"""The generation stage: work rows in, scored output rows out, through ``mapInPandas``.

Each Python worker takes the model from :func:`enrich.model.loading.cached_engine`, so a version
is loaded once per worker and reused for every batch and task that worker runs. Per batch the
stage builds the prompts, generates, scores, and returns rows in the task's output schema with
their provenance. A row whose prompt cannot be built or whose generation fails comes back with
``status = 'failed'`` and the reason in ``error``; its neighbours are unaffected.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

import pandas as pd
from pyspark.sql import DataFrame

from enrich import schemas as S
from enrich.config import GenerationConfig, QualityConfig
from enrich.model.registry import ModelRef
from enrich.quality import score_text
from enrich.tasks import REFERENCES, PromptError, Task


@dataclass(frozen=True)
class RunContext:
    """What the driver hands to every worker for one task of one run."""

    run_id: str
    model: ModelRef
    generation: GenerationConfig
    quality: QualityConfig

    def decoding(self, task: Task) -> str:
        """The decoding parameters recorded on each row, as JSON."""
        return json.dumps(
            {"strategy": "greedy", "max_new_tokens": task.cfg.max_new_tokens}, sort_keys=True
        )


def _failed(error: str) -> dict:
    return {S.STATUS: S.FAILED, S.ERROR: error[:2000], S.REJECT_REASONS: ["failed"]}


def process_batch(pdf: pd.DataFrame, *, task: Task, ctx: RunContext, engine) -> pd.DataFrame:
    """Build prompts, generate and score one batch of work rows (runs inside a worker).

    Args:
        pdf: work rows of ``task``.
        task: the task.
        ctx: run id, model and settings.
        engine: an :class:`enrich.generation.Engine`.

    Returns:
        One output row per work row, in the task's output schema.
    """
    records = pdf.to_dict("records")
    prompts: dict[int, str] = {}
    rows: list[dict] = []
    for i, record in enumerate(records):
        try:
            prompts[i] = task.build_prompt(record)
            rows.append({})
        except PromptError as exc:
            rows.append(_failed(f"prompt: {exc}"))
        except Exception as exc:  # noqa: BLE001 - bad input data becomes a failed row
            rows.append(_failed(f"prompt: {type(exc).__name__}: {exc}"))
    order = list(prompts)
    generations = engine.generate(
        [prompts[i] for i in order],
        max_new_tokens=task.cfg.max_new_tokens,
        batch_size=ctx.generation.batch_size,
    )
    on_gpu = str(engine.device).startswith("cuda")
    for i, gen in zip(order, generations):
        cost = {
            S.PROMPT_TOKENS: gen.prompt_tokens,
            S.OUTPUT_TOKENS: gen.output_tokens,
            S.GENERATION_SECONDS: gen.seconds,
            S.GPU_SECONDS: gen.seconds if on_gpu else 0.0,
        }
        if gen.error is not None:
            rows[i] = {**_failed(f"generation: {gen.error}"), **cost}
            continue
        refs = records[i].get(REFERENCES)
        scores = score_text(
            gen.text,
            None if refs is None else list(refs),
            bounds=(task.cfg.min_words, task.cfg.max_words),
            cfg=ctx.quality,
        )
        rows[i] = {
            task.text_column: gen.text,
            S.STATUS: scores.status,
            S.ERROR: None,
            S.REJECT_REASONS: scores.reject_reasons,
            S.QUALITY_SCORE: scores.quality_score,
            S.BLEU: scores.bleu,
            S.CHRF: scores.chrf,
            S.REFERENCE_COUNT: scores.reference_count,
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
    out = []
    for record, row in zip(records, rows):
        full = {name: None for name in task.schema.fieldNames()}
        full.update({S.PRODUCT_ID: record[S.PRODUCT_ID], S.INPUT_FINGERPRINT: record[S.INPUT_FINGERPRINT]})
        full.update({col: _plain(record.get(col)) for col in task.extra_columns})
        full.update(row)
        full.update(provenance)
        out.append(full)
    return pd.DataFrame(out, columns=task.schema.fieldNames())


def _plain(value):
    # Arrow hands arrays to pandas as numpy arrays; the output converter wants lists.
    return value.tolist() if hasattr(value, "tolist") else value


def generate_stage(
    work: DataFrame, *, task: Task, ctx: RunContext, model_loads=None, batches=None
) -> DataFrame:
    """Generate and score ``task`` for every work row (lazy; runs when written).

    Args:
        work: work rows of the task (see :meth:`enrich.tasks.Task.work_rows`).
        task: the task.
        ctx: run id, model reference and settings, shipped to the workers.
        model_loads: optional Spark accumulator counting model loads in the workers.
        batches: optional Spark accumulator counting Arrow batches processed.

    Returns:
        A DataFrame in the task's output schema.
    """
    threads = ctx.generation.cpu_threads

    def run(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from enrich.model.loading import cached_engine

        engine = None
        for pdf in frames:
            if pdf.empty:
                continue
            if engine is None:
                import torch

                if not torch.cuda.is_available():
                    torch.set_num_threads(threads)
                engine, loaded = cached_engine(ctx.model)
                if loaded and model_loads is not None:
                    model_loads.add(1)
            if batches is not None:
                batches.add(1)
            yield process_batch(pdf, task=task, ctx=ctx, engine=engine)

    return work.mapInPandas(run, task.schema)
