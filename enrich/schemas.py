"""Table schemas and column names: the one place that says what every table holds.

The DDL in ``sql/ddl/`` declares the same tables for the warehouse (the output tables of the
shipped tasks included); ``tests/spark/test_schemas.py`` keeps the two in agreement. Output tables
share their quality, provenance and cost columns, so every task's table is built from the same
pieces (:func:`output_schema`).
"""

from __future__ import annotations

from pyspark.sql import types as T

# Source tables ------------------------------------------------------------------------------

PRODUCT_ID = "product_id"
TITLE = "title"
BRAND = "brand"
CATEGORY = "category"
ATTRIBUTES = "attributes"
DESCRIPTION = "description"
REFERENCE_SUMMARIES = "reference_summaries"
REFERENCE_DESCRIPTIONS = "reference_descriptions"
UPDATED_AT = "updated_at"

REVIEW_ID = "review_id"
RATING = "rating"
REVIEW_TITLE = "title"
BODY = "body"
HELPFUL_VOTES = "helpful_votes"
CREATED_AT = "created_at"

PRODUCTS_SCHEMA = T.StructType(
    [
        T.StructField(PRODUCT_ID, T.StringType(), nullable=False),
        T.StructField(TITLE, T.StringType()),
        T.StructField(BRAND, T.StringType()),
        T.StructField(CATEGORY, T.StringType()),
        T.StructField(ATTRIBUTES, T.MapType(T.StringType(), T.StringType())),
        # Human-written description: the reference for scoring and the consumer fallback.
        T.StructField(DESCRIPTION, T.StringType()),
        # Human-written summaries of the product's reviews, where a source has them.
        T.StructField(REFERENCE_SUMMARIES, T.ArrayType(T.StringType())),
        # Every human-written description, where a source has several (E2E has 2-8 a product).
        T.StructField(REFERENCE_DESCRIPTIONS, T.ArrayType(T.StringType())),
        T.StructField(UPDATED_AT, T.TimestampType()),
    ]
)

REVIEWS_SCHEMA = T.StructType(
    [
        T.StructField(REVIEW_ID, T.StringType(), nullable=False),
        T.StructField(PRODUCT_ID, T.StringType(), nullable=False),
        T.StructField(RATING, T.IntegerType()),
        T.StructField(REVIEW_TITLE, T.StringType()),
        T.StructField(BODY, T.StringType()),
        T.StructField(HELPFUL_VOTES, T.IntegerType()),
        T.StructField(CREATED_AT, T.TimestampType()),
    ]
)

# Output tables ------------------------------------------------------------------------------

STATUS = "status"
ERROR = "error"
REJECT_REASONS = "reject_reasons"
QUALITY_SCORE = "quality_score"
BLEU = "bleu"
CHRF = "chrf"
REFERENCE_COUNT = "reference_count"
MODEL_VERSION = "model_version"
BASE_MODEL = "base_model"
ADAPTER_ID = "adapter_id"
QUANTIZATION = "quantization"
PROMPT_VERSION = "prompt_version"
INPUT_FINGERPRINT = "input_fingerprint"
DECODING = "decoding"
RUN_ID = "run_id"
GENERATED_AT = "generated_at"
PROMPT_TOKENS = "prompt_tokens"
OUTPUT_TOKENS = "output_tokens"
GENERATION_SECONDS = "generation_seconds"
GPU_SECONDS = "gpu_seconds"
SUMMARY = "summary"
REVIEW_COUNT = "review_count"
REVIEW_IDS = "review_ids"
MEAN_RATING = "mean_rating"
MEAN_LOGPROB = "mean_logprob"
ROUGE1 = "rouge1"
ROUGE2 = "rouge2"
ROUGE_L = "rouge_l"
GROUNDING = "grounding"
MENTIONED_ATTRIBUTES = "mentioned_attributes"
UNSUPPORTED_FACTS = "unsupported_facts"
CONTRADICTED_FACTS = "contradicted_facts"
SENTIMENT = "sentiment"
SENTIMENT_AGREEMENT = "sentiment_agreement"
UNSUPPORTED_ASPECTS = "unsupported_aspects"
PII = "pii"
PROFANITY = "profanity"
INJECTION = "injection"
REPETITION = "repetition"
LANGUAGE = "language"
# Search ads (task output search_ad).
HEADLINES = "headlines"
DESCRIPTIONS = "descriptions"
PATH1 = "path1"
PATH2 = "path2"
HEADLINE_SOURCES = "headline_sources"
DESCRIPTION_SOURCES = "description_sources"
AD_FINDINGS = "ad_findings"

# The columns of a search ad, after its model text: the assets as the ad platforms take them, where
# each came from ("model", or the product fields it was made of), and what the gate found.
SEARCH_AD_FIELDS = (
    T.StructField(HEADLINES, T.ArrayType(T.StringType())),
    T.StructField(DESCRIPTIONS, T.ArrayType(T.StringType())),
    T.StructField(PATH1, T.StringType()),
    T.StructField(PATH2, T.StringType()),
    T.StructField(HEADLINE_SOURCES, T.ArrayType(T.StringType())),
    T.StructField(DESCRIPTION_SOURCES, T.ArrayType(T.StringType())),
    T.StructField(AD_FINDINGS, T.ArrayType(T.StringType())),
)

# Row statuses, in the order reports list them. `skipped`: a rule says there is nothing to
# generate (e.g. too few reviews); `failed`: the prompt or generation failed.
ACCEPTED = "accepted"
NEEDS_REVIEW = "needs_review"
REJECTED = "rejected"
SKIPPED = "skipped"
FAILED = "failed"
STATUSES = (ACCEPTED, NEEDS_REVIEW, REJECTED, SKIPPED, FAILED)
SCORED = (ACCEPTED, NEEDS_REVIEW, REJECTED)  # statuses of rows that were generated and scored

QUALITY_FIELDS = [
    T.StructField(STATUS, T.StringType(), nullable=False),
    T.StructField(ERROR, T.StringType()),
    T.StructField(REJECT_REASONS, T.ArrayType(T.StringType())),
    T.StructField(QUALITY_SCORE, T.DoubleType()),
    T.StructField(BLEU, T.DoubleType()),
    T.StructField(CHRF, T.DoubleType()),
    T.StructField(REFERENCE_COUNT, T.IntegerType()),
    T.StructField(MEAN_LOGPROB, T.DoubleType()),
    # Summaries only (null elsewhere).
    T.StructField(ROUGE1, T.DoubleType()),
    T.StructField(ROUGE2, T.DoubleType()),
    T.StructField(ROUGE_L, T.DoubleType()),
    # Descriptions only: grounding in the product's attributes.
    T.StructField(GROUNDING, T.DoubleType()),
    T.StructField(MENTIONED_ATTRIBUTES, T.ArrayType(T.StringType())),
    T.StructField(UNSUPPORTED_FACTS, T.ArrayType(T.StringType())),
    T.StructField(CONTRADICTED_FACTS, T.ArrayType(T.StringType())),
    # Summaries only: faithfulness to the reviews and ratings.
    T.StructField(SENTIMENT, T.DoubleType()),
    T.StructField(SENTIMENT_AGREEMENT, T.DoubleType()),
    T.StructField(UNSUPPORTED_ASPECTS, T.ArrayType(T.StringType())),
    # Every generated row: safety and form.
    T.StructField(PII, T.ArrayType(T.StringType())),
    T.StructField(PROFANITY, T.BooleanType()),
    T.StructField(INJECTION, T.BooleanType()),
    T.StructField(REPETITION, T.DoubleType()),
    T.StructField(LANGUAGE, T.StringType()),
]

PROVENANCE_FIELDS = [
    T.StructField(MODEL_VERSION, T.StringType(), nullable=False),
    T.StructField(BASE_MODEL, T.StringType()),
    T.StructField(ADAPTER_ID, T.StringType()),
    T.StructField(QUANTIZATION, T.StringType()),
    T.StructField(PROMPT_VERSION, T.StringType(), nullable=False),
    T.StructField(INPUT_FINGERPRINT, T.StringType(), nullable=False),
    T.StructField(DECODING, T.StringType()),
    T.StructField(RUN_ID, T.StringType(), nullable=False),
    T.StructField(GENERATED_AT, T.TimestampType(), nullable=False),
]

COST_FIELDS = [
    T.StructField(PROMPT_TOKENS, T.IntegerType()),
    T.StructField(OUTPUT_TOKENS, T.IntegerType()),
    T.StructField(GENERATION_SECONDS, T.DoubleType()),
    T.StructField(GPU_SECONDS, T.DoubleType()),
]


def output_schema(
    key: str, text_column: str, task_fields: list[T.StructField] | tuple = ()
) -> T.StructType:
    """Schema of a task's output table: key, generated text, task columns, then the shared ones.

    Args:
        key: the key column, one row per key.
        text_column: the column that holds the generated text.
        task_fields: columns only this task has, placed after the text.

    Returns:
        The table's StructType.
    """
    return T.StructType(
        [
            T.StructField(key, T.StringType(), nullable=False),
            T.StructField(text_column, T.StringType()),
            *task_fields,
            *QUALITY_FIELDS,
            *PROVENANCE_FIELDS,
            *COST_FIELDS,
        ]
    )


# Run log ------------------------------------------------------------------------------------

ENRICHMENT_RUNS_SCHEMA = T.StructType(
    [
        T.StructField(RUN_ID, T.StringType(), nullable=False),
        T.StructField("job", T.StringType(), nullable=False),
        T.StructField("mode", T.StringType()),
        T.StructField(MODEL_VERSION, T.StringType()),
        T.StructField("started_at", T.TimestampType(), nullable=False),
        T.StructField("finished_at", T.TimestampType()),
        T.StructField("duration_seconds", T.DoubleType()),
        T.StructField("rows_selected", T.LongType()),
        T.StructField("rows_written", T.LongType()),
        T.StructField("rows_failed", T.LongType()),
        T.StructField("rows_accepted", T.LongType()),
        T.StructField("rows_needs_review", T.LongType()),
        T.StructField("rows_rejected", T.LongType()),
        T.StructField("rows_skipped", T.LongType()),
        # Per task: rows selected, written and by status, e.g. {"description.accepted": 12}.
        T.StructField("task_counts", T.MapType(T.StringType(), T.LongType())),
        # Per task: corpus sacrebleu BLEU/chrF and mean quality, e.g. {"description.chrf": 41.2}.
        T.StructField("task_scores", T.MapType(T.StringType(), T.DoubleType())),
        # Delta version of each source table the run read, e.g. {"products": 3}.
        T.StructField("source_versions", T.MapType(T.StringType(), T.LongType())),
        T.StructField("config_hash", T.StringType()),
        T.StructField("model_loads", T.LongType()),
        # Batches halved and retried after running out of memory.
        T.StructField("oom_retries", T.LongType()),
        T.StructField("status", T.StringType(), nullable=False),
        T.StructField(ERROR, T.StringType()),
        # What the run was asked to do (backfill filters, retry, rollback target), as JSON.
        T.StructField("options", T.StringType()),
        # Delta version of each output table before the run's first write and after its last.
        T.StructField("table_versions_before", T.MapType(T.StringType(), T.LongType())),
        T.StructField("table_versions_after", T.MapType(T.StringType(), T.LongType())),
        # Interrupted runs whose committed chunks this run found done and continued after.
        T.StructField("resumed_from", T.ArrayType(T.StringType())),
    ]
)

# Logical table name -> schema, for the tables every run has; each task's output table has the
# schema its task declares (enrich.tasks.Task.schema).
TABLE_SCHEMAS: dict[str, T.StructType] = {
    "products": PRODUCTS_SCHEMA,
    "reviews": REVIEWS_SCHEMA,
    "enrichment_runs": ENRICHMENT_RUNS_SCHEMA,
}
