"""The model is loaded once per Python worker, not per batch or per task; every precision loads."""

import pytest

from enrich.model.registry import Registry
from enrich.tables import read_table
from enrich.tasks import enabled_tasks
from enrich.udf import RunContext, generate_stage


def run_stage(spark, cfg, work):
    sc = spark.sparkContext
    loads, batches = sc.accumulator(0), sc.accumulator(0)
    ctx = RunContext("test-run", Registry(cfg.model.registry, cfg.model.name).ref(), cfg.generation, cfg.quality)
    task = enabled_tasks(cfg)[0]
    rows = generate_stage(work, task=task, ctx=ctx, model_loads=loads, batches=batches).collect()
    return rows, loads.value, batches.value


def test_model_loads_once_per_worker_across_batches_and_jobs(spark, built):
    cfg = built
    task = enabled_tasks(cfg)[0]
    products = read_table(spark, cfg.warehouse.table("products"))
    reviews = read_table(spark, cfg.warehouse.table("reviews"))
    partitions = 6  # more tasks than workers: a load per task would show
    work = task.work_rows(products, reviews).repartition(partitions, "product_id").cache()
    n = work.count()
    previous = spark.conf.get("spark.sql.execution.arrow.maxRecordsPerBatch")
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "4")
    try:
        first = run_stage(spark, cfg, work)
        second = run_stage(spark, cfg, work)
    finally:
        spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", previous)
        work.unpersist()
    workers = spark.sparkContext.defaultParallelism
    for rows, loads, batches in (first, second):
        assert len(rows) == n
        assert batches >= max(partitions, n // 4)  # many Arrow batches in many tasks ...
        assert loads <= workers < partitions  # ... but at most one load per worker
    assert {r.model_version for r in first[0]} == {f"{cfg.model.name}:v1"}


@pytest.mark.parametrize("precision", ["int8", "bf16"])
def test_every_precision_loads_and_generates_like_nf4_does(built, precision):
    from enrich.model.loading import load_engine
    from enrich.model.registry import Registry

    registry = Registry(built.model.registry, built.model.name)
    prompts = ["### Task: description\nTitle: Mug\nAttributes:\n- colour: red\n### Description:\n"] * 3
    engine = load_engine(registry.ref(precision=precision))
    assert registry.ref(precision=precision).weights_label == (
        "bf16-merged" if precision == "bf16" else precision
    )
    out = engine.generate(prompts, max_new_tokens=8)
    assert [g.error for g in out] == [None] * 3
    assert all(g.output_tokens > 0 and g.mean_logprob < 0 for g in out)
    assert len({g.text for g in out}) == 1  # greedy: the same prompt, the same text


def test_nf4_on_the_cpu_runs_dequantized_and_writes_what_the_4bit_model_writes(built):
    import bitsandbytes as bnb
    import torch
    from peft.tuners.lora import LoraLayer

    from enrich.model.loading import load_4bit_reference, load_engine
    from enrich.model.registry import Registry

    ref = Registry(built.model.registry, built.model.name).ref(precision="nf4")
    engine = load_engine(ref, device="cpu")
    kinds = {type(m) for m in engine.model.modules()}
    assert not any(issubclass(k, (bnb.nn.Linear4bit, LoraLayer)) for k in kinds)
    quantized = load_4bit_reference(ref)  # 4-bit base, adapter applied by peft
    assert any(isinstance(m, LoraLayer) for m in quantized.modules())
    assert any(isinstance(m, bnb.nn.Linear4bit) for m in quantized.modules())
    prompts = [
        f"### Task: description\nTitle: {title}\nAttributes:\n- colour: {colour}\n### Description:\n"
        for title, colour in [("Mug", "red"), ("Desk lamp", "black"), ("Tent", "green")]
    ]
    out = engine.generate(prompts, max_new_tokens=12)
    tokenizer = engine.tokenizer
    for prompt, generation in zip(prompts, out):
        ids = tokenizer(prompt, return_tensors="pt")["input_ids"]
        with torch.inference_mode():
            new = quantized.generate(
                input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=12,
                do_sample=False, pad_token_id=tokenizer.pad_token_id,
                eos_token_id=tokenizer.eos_token_id,
            )[0, ids.shape[1]:].tolist()
        if tokenizer.eos_token_id in new:
            new = new[: new.index(tokenizer.eos_token_id)]
        assert generation.token_ids == tuple(new)
