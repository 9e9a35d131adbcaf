"""Incremental selection: which work rows need generating, and the fingerprints behind it."""

from pyspark.sql import types as T

from enrich import schemas as S
from enrich.config import TasksConfig
from enrich.enrichment import select_work
from enrich.tasks import enabled_tasks

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
    assert selected(spark, work, [("a", "f1", S.ACCEPTED), ("b", "f2", S.REJECTED)]) == []


PRODUCT = T.StructType(S.PRODUCTS_SCHEMA.fields)


def product(**changes):
    row = {
        S.PRODUCT_ID: "p1", S.TITLE: "Mug", S.BRAND: "Kiln", S.CATEGORY: "kitchen",
        S.ATTRIBUTES: {"color": "red", "size": "M"}, S.DESCRIPTION: "A red mug.",
        S.REFERENCE_SUMMARIES: None, S.UPDATED_AT: None,
    }
    row.update(changes)
    return row


def review(rid: str, body: str, votes: int = 0):
    return {S.REVIEW_ID: rid, S.PRODUCT_ID: "p1", S.RATING: 4, S.REVIEW_TITLE: None, S.BODY: body,
            S.HELPFUL_VOTES: votes, S.CREATED_AT: None}


def fingerprints(spark, products, reviews, tasks_cfg=None):
    tasks = enabled_tasks(tasks_cfg or TasksConfig())
    p = spark.createDataFrame(products, S.PRODUCTS_SCHEMA)
    r = spark.createDataFrame(reviews, S.REVIEWS_SCHEMA)
    return {
        t.name: {row[S.PRODUCT_ID]: row[S.INPUT_FINGERPRINT] for row in t.work_rows(p, r).collect()}
        for t in tasks
    }


def test_fingerprint_follows_prompt_inputs_only(spark):
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
    # A new prompt version changes every fingerprint of that task.
    bumped = fingerprints(spark, [product()], reviews, TasksConfig.model_validate({"description": {"prompt_version": "2"}}))
    assert bumped["description"] != base["description"]
    assert bumped["review_summary"] == base["review_summary"]


def test_summary_work_rows_choose_reviews_deterministically(spark):
    reviews = [review("r1", "One."), review("r2", "Two.", votes=5), review("r3", "Three.", votes=5), review("r4", "Four.")]
    cfg = TasksConfig.model_validate({"review_summary": {"max_reviews": 3, "min_reviews": 2}})
    task = enabled_tasks(cfg)[1]
    row = task.work_rows(
        spark.createDataFrame([product()], S.PRODUCTS_SCHEMA), spark.createDataFrame(reviews, S.REVIEWS_SCHEMA)
    ).first()
    # Most helpful first, ties by review id, then capped at max_reviews.
    assert row[S.REVIEW_IDS] == ["r2", "r3", "r1"]
    assert row[S.REVIEW_COUNT] == 3
    few = task.work_rows(
        spark.createDataFrame([product()], S.PRODUCTS_SCHEMA), spark.createDataFrame(reviews[:1], S.REVIEWS_SCHEMA)
    )
    assert few.count() == 0  # fewer than min_reviews: no summary work
