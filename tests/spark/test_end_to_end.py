"""The whole job on a small demo catalog with the tiny real model: generate, score, merge, log."""

import deltalake
import sacrebleu
from pyspark.sql import functions as F

from enrich import cli
from enrich import schemas as S
from enrich.tables import read_table, table_version
from tests.conftest import config_args

PROVENANCE = [S.MODEL_VERSION, S.BASE_MODEL, S.ADAPTER_ID, S.QUANTIZATION, S.PROMPT_VERSION,
              S.INPUT_FINGERPRINT, S.DECODING, S.RUN_ID, S.GENERATED_AT]


def outputs(spark, cfg, table):
    return read_table(spark, cfg.warehouse.table(table))


def test_every_product_gets_a_description_row_with_status_and_provenance(spark, first_run):
    cfg, report = first_run
    rows = outputs(spark, cfg, "product_descriptions").collect()
    assert len(rows) == cfg.demo.products + 2
    assert {r.status for r in rows} <= set(S.STATUSES)
    for row in rows:
        assert all(row[c] is not None for c in PROVENANCE), row
        assert row.run_id == report.run_id
        assert row.model_version == f"{cfg.model.name}:v1"
    bad = next(r for r in rows if r.product_id == "BAD-1")
    assert bad.status == S.SKIPPED and "none of title, attributes" in bad.error
    assert bad.reject_reasons == ["no_product_facts"]
    long = next(r for r in rows if r.product_id == "LONG-1")
    assert long.status == S.FAILED and "fit the model's context" in long.error
    assert long.prompt_tokens > 512 and long.description is None
    good = [r for r in rows if r.status not in (S.FAILED, S.SKIPPED)]
    assert len(good) == cfg.demo.products  # the neighbours of the failed rows all went through
    assert all(r.description is not None and r.output_tokens >= 0 and r.prompt_tokens > 0 for r in good)
    # Confidence and cost come from the generation itself.
    assert all(r.mean_logprob is None or r.mean_logprob <= 0 for r in good)
    assert all((r.mean_logprob is None) == (r.output_tokens == 0) for r in good)
    assert all(r.generation_seconds > 0 and r.gpu_seconds == 0 for r in good)
    assert bad.mean_logprob is None and long.mean_logprob is None


def test_scores_exist_exactly_where_a_reference_exists(spark, first_run):
    cfg, _ = first_run
    joined = outputs(spark, cfg, "product_descriptions").alias("o").join(
        read_table(spark, cfg.warehouse.table("products")).select(S.PRODUCT_ID, F.col(S.DESCRIPTION).alias("ref")),
        S.PRODUCT_ID,
    ).where(~F.col(S.STATUS).isin(S.FAILED, S.SKIPPED)).collect()
    with_ref = [r for r in joined if r.ref]
    without = [r for r in joined if not r.ref]
    assert with_ref and without
    for r in with_ref:
        assert r.reference_count == 1
        assert r.bleu == sacrebleu.sentence_bleu(r.description, [r.ref]).score
        assert r.chrf == sacrebleu.sentence_chrf(r.description, [r.ref]).score
    assert all(r.bleu is None and r.chrf is None and r.reference_count == 0 for r in without)
    assert all(0 <= r.quality_score <= 1 for r in joined)


def test_review_summaries_record_their_reviews_and_skip_thin_products(spark, first_run):
    cfg, _ = first_run
    task = cfg.tasks["review_summary"]
    rows = {r.product_id: r for r in outputs(spark, cfg, "review_summaries").collect()}
    reviews = read_table(spark, cfg.warehouse.table("reviews"))
    counts = {r.product_id: r["n"] for r in reviews.groupBy(S.PRODUCT_ID).agg(F.count("*").alias("n")).collect()}
    assert set(rows) == set(counts)  # every reviewed product has exactly one row
    thin = {p for p, n in counts.items() if n < task.min_reviews}
    assert thin, "the demo catalog should have products with a single review"
    for pid, row in rows.items():
        if pid in thin:
            assert row.status == S.SKIPPED and row.summary is None
            assert row.reject_reasons == ["too_few_reviews"] and "min_reviews" in row.error
        else:
            assert row.status in (S.ACCEPTED, S.NEEDS_REVIEW, S.REJECTED)
            assert 1 <= row.review_count == len(row.review_ids) <= min(counts[pid], task.max_reviews)
            assert row.mean_rating is not None


def test_run_is_logged(spark, first_run):
    cfg, report = first_run
    run = outputs(spark, cfg, "enrichment_runs").where(F.col(S.RUN_ID) == report.run_id).first()
    assert run.status == "succeeded" and run.job == "enrich"
    summaries = outputs(spark, cfg, "review_summaries").count()
    assert run.rows_selected == report.selected == cfg.demo.products + 2 + summaries
    assert run.rows_failed == 1  # LONG-1; BAD-1, with nothing to describe, is skipped
    statuses = run.rows_accepted + run.rows_needs_review + run.rows_rejected + run.rows_skipped
    assert statuses + run.rows_failed == run.rows_selected
    assert run.source_versions == {"products": 2, "reviews": 1}
    assert 1 <= run.model_loads <= spark.sparkContext.defaultParallelism * 2
    assert run.oom_retries == 0


def test_second_run_changes_nothing(spark, first_run, capsys):
    cfg, _ = first_run
    paths = [cfg.warehouse.table(t) for t in ("product_descriptions", "review_summaries")]
    before = [table_version(spark, p) for p in paths]
    assert cli.main(["enrich", *config_args(cfg)]) == 0
    assert "nothing to generate" in capsys.readouterr().out
    assert [table_version(spark, p) for p in paths] == before
    runs = outputs(spark, cfg, "enrichment_runs").orderBy("started_at").collect()
    assert len(runs) == 2
    assert runs[-1].rows_selected == 0 and runs[-1].model_loads == 0 and runs[-1].model_version is None


def test_output_tables_open_in_another_delta_reader(spark, first_run):
    cfg, _ = first_run
    for table in ("product_descriptions", "review_summaries", "enrichment_runs"):
        path = cfg.warehouse.table(table)
        other = deltalake.DeltaTable(str(path)).to_pyarrow_table()
        ours = read_table(spark, path)
        assert other.num_rows == ours.count()
        assert other.column_names == ours.columns


def test_retry_failed_reruns_only_failed_rows_and_too_many_failures_exits_3(spark, first_run, capsys):
    cfg, report = first_run
    args = ["enrich", "--retry-failed", *config_args(cfg), "--set", "max_failed_fraction=0.5"]
    assert cli.main(args) == cli.EXIT_FAILED_ROWS  # the retried row fails again
    out = capsys.readouterr().out
    assert "too_many_failures" in out and "1 of 1 rows failed" in out
    rows = outputs(spark, cfg, "product_descriptions")
    retried = rows.where(F.col(S.RUN_ID) != report.run_id).collect()
    assert [r.product_id for r in retried] == ["LONG-1"]  # a skipped row is not retried
    assert all(r.status == S.FAILED for r in retried)
    last = outputs(spark, cfg, "enrichment_runs").orderBy(F.desc("started_at")).first()
    assert last.mode == "retry_failed" and last.status == "too_many_failures"


def test_quality_columns_are_filled_per_task(spark, first_run):
    cfg, report = first_run
    scored = [S.ACCEPTED, S.NEEDS_REVIEW, S.REJECTED]
    descriptions = outputs(spark, cfg, "product_descriptions").where(F.col(S.STATUS).isin(scored)).collect()
    summaries = outputs(spark, cfg, "review_summaries").where(F.col(S.STATUS).isin(scored)).collect()
    assert descriptions and summaries
    for r in descriptions:
        assert r.grounding is not None and 0 <= r.grounding <= 1
        assert r.mentioned_attributes is not None and r.unsupported_facts is not None
        assert r.rouge1 is None and r.sentiment is None
        assert r.pii is not None and r.profanity is not None and r.injection is not None
        assert r.repetition is not None
        assert r.language is not None or "empty" in r.reject_reasons  # nothing to identify
        # A wrong or invented fact never reaches accepted.
        if r.unsupported_facts or r.contradicted_facts or r.pii or r.injection:
            assert r.status != S.ACCEPTED
    for r in summaries:
        assert r.grounding is None and r.sentiment is not None and r.unsupported_aspects is not None
        assert (r.rouge1 is None) == (r.reference_count == 0)
    run = outputs(spark, cfg, "enrichment_runs").where(F.col(S.RUN_ID) == report.run_id).first()
    scores = run.task_scores
    assert 0 <= scores["description.quality"] <= 1
    by_task = {t.task: t for t in report.tasks}
    assert scores["description.chrf"] == by_task["description"].corpus_chrf
    # Corpus chrF equals sacrebleu's over the run's texts against the products' descriptions.
    joined = outputs(spark, cfg, "product_descriptions").where(F.col(S.STATUS).isin(scored)).join(
        read_table(spark, cfg.warehouse.table("products")).select(S.PRODUCT_ID, F.col(S.DESCRIPTION).alias("ref")),
        S.PRODUCT_ID,
    ).where(F.col("ref").isNotNull() & (F.length(F.trim("ref")) > 0)).collect()
    expected = sacrebleu.corpus_chrf([r.description for r in joined], [[r.ref for r in joined]]).score
    assert abs(scores["description.chrf"] - expected) < 1e-9


def test_report_writes_plots_and_a_self_contained_page(spark, first_run, tmp_path, capsys):
    cfg, report = first_run
    last = outputs(spark, cfg, "enrichment_runs").orderBy(F.desc("started_at")).first()
    out = tmp_path / "report"
    code = cli.main(["report", last.run_id, "--out", str(out), "--worst", "3", *config_args(cfg)])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["description.png", "report.html", "review_summary.png"]
    assert (out / "description.png").read_bytes().startswith(b"\x89PNG")
    page = (out / "report.html").read_text()
    assert page.count('src="data:image/png;base64,') == 2
    assert "http://" not in page and "https://" not in page  # nothing loaded from outside
    assert "Change against the previous run" in page and "description.failed" in page
    first = tmp_path / "first"
    assert cli.main(["report", report.run_id, "--out", str(first), "--worst", "3", *config_args(cfg)]) == 0
    page = (first / "report.html").read_text()
    assert "Worst rows" in page and "quality_score" in page
    assert cli.main(["report", "no-such-run", "--out", str(tmp_path / "x"), *config_args(cfg)]) == cli.EXIT_USAGE
    assert "no run 'no-such-run'" in capsys.readouterr().err
