"""Incremental selection, fingerprints, review candidates and the spreading of work."""

from pyspark.sql import functions as F
from pyspark.sql import types as T

from enrich import schemas as S
from enrich.config import load_config
from enrich.partitioning import spread
from enrich.selection import select_work
from enrich.tasks import EST_TOKENS, REVIEW_TOTAL, REVIEWS, enabled_tasks, find_template

WORK = T.StructType(
    [T.StructField(S.PRODUCT_ID, T.StringType()), T.StructField(S.INPUT_FINGERPRINT, T.StringType())]
)
OUT = T.StructType([*WORK.fields, T.StructField(S.STATUS, T.StringType())])


def selected(spark, work, outputs, **kwargs):
    frame = select_work(
        spark.createDataFrame(work, WORK), spark.createDataFrame(outputs, OUT), **kwargs
    )
    return sorted(r[S.PRODUCT_ID] for r in frame.collect())


def test_missing_and_changed_rows_are_selected(spark):
    work = [("new", "f1"), ("same", "f2"), ("changed", "f3-new"), ("failed", "f4")]
    outputs = [("same", "f2", S.ACCEPTED), ("changed", "f3-old", S.ACCEPTED), ("failed", "f4", S.FAILED),
               ("gone", "f5", S.ACCEPTED)]
    assert selected(spark, work, outputs) == ["changed", "new"]
    assert selected(spark, work, outputs, retry_failed=True) == ["changed", "failed", "new"]


def test_nothing_changed_selects_nothing(spark):
    work = [("a", "f1"), ("b", "f2")]
    assert selected(spark, work, [("a", "f1", S.ACCEPTED), ("b", "f2", S.SKIPPED)]) == []


def product(pid="p1", **changes):
    row = {
        S.PRODUCT_ID: pid, S.TITLE: "Mug", S.BRAND: "Kiln", S.CATEGORY: "kitchen",
        S.ATTRIBUTES: {"color": "red", "size": "M"}, S.DESCRIPTION: "A red mug.",
        S.REFERENCE_SUMMARIES: None, S.REFERENCE_DESCRIPTIONS: None, S.UPDATED_AT: None,
    }
    row.update(changes)
    return row


def review(rid: str, body: str, votes: int = 0, pid: str = "p1"):
    return {S.REVIEW_ID: rid, S.PRODUCT_ID: pid, S.RATING: 4, S.REVIEW_TITLE: None, S.BODY: body,
            S.HELPFUL_VOTES: votes, S.CREATED_AT: None}


def work_rows(spark, products, reviews, *overrides):
    tasks = enabled_tasks(load_config(None, list(overrides)))
    p = spark.createDataFrame(products, S.PRODUCTS_SCHEMA)
    r = spark.createDataFrame(reviews, S.REVIEWS_SCHEMA)
    return {t.name: {row[S.PRODUCT_ID]: row for row in t.work_rows(p, r).collect()} for t in tasks}


def fingerprints(spark, products, reviews, *overrides):
    rows = work_rows(spark, products, reviews, *overrides)
    return {task: {k: r[S.INPUT_FINGERPRINT] for k, r in by_key.items()} for task, by_key in rows.items()}


def test_fingerprint_follows_prompt_inputs_only(spark, tmp_path):
    reviews = [review("r1", "Great mug."), review("r2", "Too small.")]
    base = fingerprints(spark, [product()], reviews)
    # The human description is a reference, not a prompt input; map order is irrelevant.
    same = fingerprints(spark, [product(description="Other text.", attributes={"size": "M", "color": "red"})], reviews)
    assert same["description"] == base["description"]
    assert fingerprints(spark, [product(title="Big Mug")], reviews)["description"] != base["description"]
    assert fingerprints(spark, [product(attributes={"color": "blue", "size": "M"})], reviews)["description"] != base["description"]
    # Reviews added, edited or removed change the summary's fingerprint, not the description's.
    edited = fingerprints(spark, [product()], [review("r1", "Great mug!"), review("r2", "Too small.")])
    assert edited["review_summary"] != base["review_summary"]
    assert edited["description"] == base["description"]
    added = fingerprints(spark, [product()], [*reviews, review("r3", "Fine.")])
    assert added["review_summary"] != base["review_summary"]
    removed = fingerprints(spark, [product()], reviews[:1])
    assert removed["review_summary"] != base["review_summary"]
    # A new prompt version changes every fingerprint of that task only.
    (tmp_path / "description.v3.txt").write_text(find_template("description", "2"))
    bumped = fingerprints(spark, [product()], reviews, "tasks.description.prompt_version=3",
                          f"template_dirs=[{tmp_path}]")
    assert bumped["description"] != base["description"]
    assert bumped["review_summary"] == base["review_summary"]


def test_review_candidates_are_ordered_and_every_reviewed_product_has_a_row(spark):
    reviews = [review("r1", "One."), review("r2", "Two.", votes=5), review("r3", "Three.", votes=5),
               review("r4", "Four."), review("q1", "Only one.", pid="p2"),
               review("e1", "   ", pid="p3")]
    rows = work_rows(spark, [product(), product("p2"), product("p3"), product("p4")], reviews,
                     "tasks.review_summary.max_reviews=3")["review_summary"]
    # Most helpful first, ties by review id, capped at max_reviews; all counted.
    assert [r[S.REVIEW_ID] for r in rows["p1"][REVIEWS]] == ["r2", "r3", "r1"]
    assert rows["p1"][REVIEW_TOTAL] == 4 and rows["p1"][S.MEAN_RATING] == 4.0
    # One review: a row (the prompt step skips it with a reason); blank or no reviews: no row.
    assert rows["p2"][REVIEW_TOTAL] == 1
    assert set(rows) == {"p1", "p2"}


def test_spread_balances_prompt_sizes_over_partitions(spark):
    # 8 very long prompts among 200 short ones, keys in an order that would clump them.
    rows = [(f"p{i:03d}", 4000 if i < 8 else 20) for i in range(208)]
    work = spark.createDataFrame(rows, f"{S.PRODUCT_ID} string, {EST_TOKENS} long")
    dealt = spread(work, 4).withColumn("part", F.spark_partition_id())
    per_part = {r.part: (r.tokens, r.n) for r in dealt.groupBy("part").agg(
        F.sum(EST_TOKENS).alias("tokens"), F.count("*").alias("n")).collect()}
    assert len(per_part) == 4
    tokens = [t for t, _ in per_part.values()]
    assert max(tokens) <= 1.1 * min(tokens)  # each partition gets two of the long prompts
    assert sum(n for _, n in per_part.values()) == 208
    assert {n for _, n in per_part.values()} == {52}  # an exact deal, not a sampled one
    # Inside a partition, sizes come sorted.
    for part in range(4):
        sizes = [r[EST_TOKENS] for r in dealt.where(F.col("part") == part).collect()]
        assert sizes == sorted(sizes)


def test_spread_deals_exactly_whatever_the_partition_count(spark):
    rows = [(f"p{i:04d}", 10 + i % 7) for i in range(1000)]
    work = spark.createDataFrame(rows, f"{S.PRODUCT_ID} string, {EST_TOKENS} long")
    for partitions in (2, 3, 8):
        for _ in range(3):  # the deal must not depend on sampling luck
            counts = [r["count"] for r in spread(work, partitions).groupBy(F.spark_partition_id()).count().collect()]
            assert len(counts) == partitions and max(counts) - min(counts) <= 7, (partitions, counts)
