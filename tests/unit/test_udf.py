"""One batch of the generation stage without Spark: a fake engine, real prompts and scores, and
the per-row time budget of prompt building and scoring."""

import time

import pandas as pd
import pytest

from enrich import schemas as S
from enrich import udf
from enrich.config import load_config
from enrich.engine import EngineStats, Generation, GenerationEngine
from enrich.model.registry import ModelRef
from enrich.tasks import enabled_tasks

MODEL = ModelRef(
    model_version="catalog-enrich:v1", version_dir="models/v1", base_dir="models/base",
    base_model="builtin", adapter_id="adapter-1", quantization="nf4", compute_dtype="float32",
    context_length=512,
)
GENERATED = {S.ACCEPTED, S.NEEDS_REVIEW, S.REJECTED}


class EchoEngine:
    """A minimal :class:`GenerationEngine`: writes a sentence from the product line of each
    prompt (``text`` overrides it), fails the prompts that contain ``failing``, and records the
    limits it was called with."""

    def __init__(self, text: str | None = None, *, failing: str | None = None,
                 device: str = "cpu") -> None:
        self.text, self.failing, self.device = text, failing, device
        self.stats = EngineStats()
        self.calls: list[dict] = []

    def generate(self, prompts, *, max_new_tokens, batch_size=64, on_rows=None):
        self.calls.append({"rows": len(prompts), "max_new_tokens": max_new_tokens,
                           "batch_size": batch_size})
        self.stats.batches += 1
        out = []
        for prompt in prompts:
            if self.failing is not None and self.failing in prompt:
                out.append(Generation(None, 40, 0, 0.0, "out of memory on a single row"))
                continue
            text = self.text
            if text is None:
                title = next(line for line in prompt.split("\n") if line.startswith("Product:"))
                text = f"The {title[9:]} comes in blue and keeps its charge for 40 hours."
            out.append(Generation(text, prompt_tokens=40, output_tokens=14, seconds=0.01,
                                  mean_logprob=-0.4))
        return out


def burn(seconds: float) -> None:
    """Keep this thread busy for ``seconds`` of CPU time (the budget counts CPU, not waiting)."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def setup(*overrides: str):
    cfg = load_config(None, list(overrides))
    ctx = udf.RunContext(
        run_id="run-1", model=MODEL, generation=cfg.generation, quality=cfg.quality
    )
    return {t.name: t for t in enabled_tasks(cfg)}, ctx


def products(*titles: str) -> pd.DataFrame:
    return pd.DataFrame([
        {S.PRODUCT_ID: f"p{i}", S.INPUT_FINGERPRINT: f"f{i}", S.TITLE: title, S.BRAND: "Halvik",
         S.CATEGORY: "audio", S.ATTRIBUTES: {"colour": "blue", "battery": "40 h"},
         "references": None}
        for i, title in enumerate(titles, 1)
    ])


def test_within_budget_returns_the_result_or_names_the_step_and_the_setting():
    assert udf.within_budget("scoring", lambda: 42, budget_seconds=1.0) == 42
    with pytest.raises(udf.OverBudget, match=r"scoring took 0\.\d\d s of CPU, over the row time "
                       r"budget of 0\.01 s \(generation\.row_time_budget_seconds\)"):
        udf.within_budget("scoring", lambda: burn(0.05), budget_seconds=0.01)


def test_a_row_over_budget_fails_alone_and_its_neighbours_are_written(monkeypatch):
    tasks, ctx = setup("generation.row_time_budget_seconds=0.05")
    task = tasks["description"]
    build, score = task.build_prompt, task.score

    def slow_build(record, tokenizer=None):
        if record[S.TITLE] == "Slow Prompt":
            burn(0.2)
        return build(record, tokenizer)

    def slow_score(text, *args, **kwargs):
        if "Slow Score" in text:
            burn(0.2)
        return score(text, *args, **kwargs)

    # The scorers load their models on a worker's first row; the budget here is far below that.
    udf.process_batch(products("Warm Up"), task=task, ctx=setup()[1], tokenizer=None,
                      engine=EchoEngine)
    monkeypatch.setattr(task, "build_prompt", slow_build)
    monkeypatch.setattr(task, "score", slow_score)
    out = udf.process_batch(
        products("Halo Headphones", "Slow Prompt", "Slow Score", "Aria Speaker"),
        task=task, ctx=ctx, tokenizer=None, engine=EchoEngine,
    )
    rows = {r[S.PRODUCT_ID]: r for r in out.to_dict("records")}
    for pid, step in (("p2", "prompt building"), ("p3", "scoring")):
        assert rows[pid][S.STATUS] == S.FAILED and rows[pid][S.REJECT_REASONS] == [udf.OVER_BUDGET]
        assert rows[pid][S.ERROR].startswith(f"{step} took ")
        assert "generation.row_time_budget_seconds" in rows[pid][S.ERROR]
        assert rows[pid][task.text_column] is None  # never published
    assert rows["p3"][S.OUTPUT_TOKENS] == 14  # its generation still counts
    for pid in ("p1", "p4"):
        assert rows[pid][S.STATUS] in GENERATED and rows[pid][S.ERROR] is None
        assert rows[pid][task.text_column].startswith("The ")


def test_the_hostile_rows_of_issue_24_stay_far_inside_the_default_budget():
    tasks, ctx = setup()
    word = "x" * 1_000_000  # the one-word review that held a Spark task for half an hour
    review_rows = pd.DataFrame([{
        S.PRODUCT_ID: "p1", S.INPUT_FINGERPRINT: "f1", S.TITLE: "Desk " + word, S.CATEGORY: word,
        "reviews": [{S.REVIEW_ID: "r1", S.RATING: 4, S.BODY: word},
                    {S.REVIEW_ID: "r2", S.RATING: 5, S.BODY: "a-" * 500_000}],
        "review_total": 2, "known_product": True, S.MEAN_RATING: 4.5, "references": [word],
    }])
    udf.process_batch(products("Warm Up"), task=tasks["description"], ctx=ctx, tokenizer=None,
                      engine=EchoEngine)  # the scorers load their models on a worker's first row
    start = time.thread_time()
    out = udf.process_batch(review_rows, task=tasks["review_summary"], ctx=ctx, tokenizer=None,
                            engine=lambda: EchoEngine("1" * 1_000_000))
    spent = time.thread_time() - start
    row = out.to_dict("records")[0]
    assert row[S.STATUS] in GENERATED and row[S.REVIEW_COUNT] == 2
    assert "too_long" in row[S.REJECT_REASONS]  # scored on its head, never accepted unread
    assert spent < ctx.generation.row_time_budget_seconds / 5


def test_the_runs_attribute_domains_reach_the_scorer():
    from dataclasses import replace

    from enrich.quality.domains import AttributeDomains

    tasks, ctx = setup()
    row = {S.PRODUCT_ID: "p1", S.INPUT_FINGERPRINT: "f1", S.TITLE: "Halo Top", S.BRAND: "Halvik",
           S.CATEGORY: "sport", S.ATTRIBUTES: {"activity": "gym"}, "references": None}
    domains = AttributeDomains.learn([("activity", "gym"), ("activity", "trail")])
    engine = lambda: EchoEngine("The Halvik Halo Top is made for the trail.")  # noqa: E731
    for context, expected in ((ctx, []), (replace(ctx, domains=domains), ["activity: trail"])):
        out = udf.process_batch(pd.DataFrame([row]), task=tasks["description"], ctx=context,
                                tokenizer=None, engine=engine)
        assert list(out[S.CONTRADICTED_FACTS][0]) == expected


def test_any_engine_of_the_contract_runs_the_stage_which_passes_it_the_limits():
    tasks, ctx = setup()
    task = tasks["description"]
    engine = EchoEngine(failing="Broken", device="cuda:0")
    assert isinstance(engine, GenerationEngine)
    made = []
    out = udf.process_batch(
        products("Halo Headphones", "Broken Speaker", "Aria Speaker"), task=task, ctx=ctx,
        tokenizer=None, engine=lambda: made.append(engine) or engine,
    )
    assert len(made) == 1  # the factory is called once per batch, the engine reused inside it
    assert engine.calls == [{"rows": 3, "max_new_tokens": task.cfg.max_new_tokens,
                             "batch_size": ctx.generation.batch_size}]
    rows = {r[S.PRODUCT_ID]: r for r in out.to_dict("records")}
    for pid in ("p1", "p3"):
        assert rows[pid][S.STATUS] in GENERATED and rows[pid][S.ERROR] is None
        assert rows[pid][task.text_column].startswith("The ")
        assert (rows[pid][S.OUTPUT_TOKENS], rows[pid][S.GPU_SECONDS]) == (14, 0.01)  # on cuda:0
    failed = rows["p2"]  # the engine's per-row error fails that row alone
    assert failed[S.STATUS] == S.FAILED and failed[task.text_column] is None
    assert failed[S.ERROR] == "generation: out of memory on a single row"


def test_a_batch_without_prompts_never_makes_an_engine():
    tasks, ctx = setup()
    review_rows = pd.DataFrame([{
        S.PRODUCT_ID: "p1", S.INPUT_FINGERPRINT: "f1", S.TITLE: "Desk", S.CATEGORY: "home",
        "reviews": [], "review_total": 0, "known_product": True, S.MEAN_RATING: None,
        "references": None,
    }])

    def no_engine():
        raise AssertionError("an engine was made for a batch without prompts")

    out = udf.process_batch(review_rows, task=tasks["review_summary"], ctx=ctx, tokenizer=None,
                            engine=no_engine)
    assert out[S.STATUS].tolist() == [S.SKIPPED]


def test_joined_frames_join_arrow_batches_up_to_the_rows_and_lose_none():
    frames = [pd.DataFrame({"k": range(start, start + n)}) for start, n in
              [(0, 3), (3, 0), (3, 3), (6, 3), (9, 2)]]
    groups = list(udf.joined_frames(iter(frames), rows=5))
    assert [(list(g["k"]), joined) for g, joined in groups] == [
        ([0, 1, 2, 3, 4, 5], 2),
        ([6, 7, 8, 9, 10], 2),
    ]
    assert list(udf.joined_frames(iter([pd.DataFrame({"k": []})]), rows=5)) == []
