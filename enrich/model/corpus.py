"""Training and evaluation text from the source tables: documents, splits and labelled examples.

Spark selects, formats and limits the rows; only what the trainer needs reaches the driver.

- **Splits.** A product's split (train, validation or test) comes from a sha256 of its id and a
  salt, so a product never lands in two splits, and the split is stable across runs, machines
  and table growth.
- **Documents** for the builtin base: product pages of training-split products (their human
  texts included) and reviews. Held-out products' human texts never reach pretraining.
- **Labelled rows**: a task's own work rows with human references, so fine-tuning and evaluation
  use exactly the prompts the enrichment job builds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from enrich import schemas as S
from enrich.config import TrainingConfig
from enrich.sources import Sources
from enrich.tasks import REFERENCES, PromptError, SkipRow, Task

log = logging.getLogger(__name__)

TRAIN, VALIDATION, TEST = "train", "validation", "test"
SPLITS = (TRAIN, VALIDATION, TEST)
_BUCKETS = 10_000


@dataclass(frozen=True)
class Example:
    """One supervised example: the task, its prompt and one human answer."""

    task: str
    prompt: str
    answer: str


@dataclass(frozen=True)
class LabelledRow:
    """A work row with its prompt and every human reference."""

    task: str
    product_id: str
    prompt: str
    references: list[str]
    inputs: dict


def split_of(product_id: Column, cfg: TrainingConfig) -> Column:
    """The split of each product: ``train``, ``validation`` or ``test``.

    A bucket in [0, 10000) from the first 8 hex digits of sha256(salt + id); the lowest
    ``test_fraction`` of buckets are test, the next ``validation_fraction`` validation.
    """
    digest = F.sha2(F.concat(F.lit(cfg.split_salt + ":"), product_id), 256)
    bucket = F.conv(F.substring(digest, 1, 8), 16, 10).cast("long") % _BUCKETS
    test_end = int(round(cfg.test_fraction * _BUCKETS))
    validation_end = test_end + int(round(cfg.validation_fraction * _BUCKETS))
    return (
        F.when(bucket < test_end, F.lit(TEST))
        .when(bucket < validation_end, F.lit(VALIDATION))
        .otherwise(F.lit(TRAIN))
    )


def _line(col: str) -> Column:
    return F.coalesce(F.col(col), F.lit(""))


def pretraining_documents(
    products: DataFrame, reviews: DataFrame, *, limit: int, training: TrainingConfig
) -> list[str]:
    """Catalog text for the tokenizer and the builtin base: product pages and reviews.

    Args:
        products: the products table.
        reviews: the reviews table.
        limit: most documents in all; product pages and reviews share it half and half.
        training: the split settings (pages of held-out products are left out).

    Returns:
        Documents in a stable order (by key).
    """
    attributes = F.array_join(
        F.transform(
            F.array_sort(F.map_entries(F.col(S.ATTRIBUTES))),
            lambda e: F.concat(F.regexp_replace(e["key"], "_", " "), F.lit(": "), e["value"]),
        ),
        "; ",
    )
    pages = products.where(split_of(F.col(S.PRODUCT_ID), training) == TRAIN).select(
        F.col(S.PRODUCT_ID).alias("key"),
        F.concat_ws(
            "\n",
            _line(S.TITLE),
            F.concat_ws(
                " | ",
                F.concat(F.lit("Brand: "), _line(S.BRAND)),
                F.concat(F.lit("Category: "), _line(S.CATEGORY)),
            ),
            F.coalesce(attributes, F.lit("")),
            _line(S.DESCRIPTION),
            F.coalesce(F.array_join(F.col(S.REFERENCE_SUMMARIES), "\n"), F.lit("")),
        ).alias("text"),
    )
    review_docs = reviews.where(F.col(S.BODY).isNotNull()).select(
        F.col(S.REVIEW_ID).alias("key"),
        F.concat_ws(
            "\n",
            F.concat(F.lit("Rating: "), F.coalesce(F.col(S.RATING).cast("string"), F.lit("none"))),
            _line(S.REVIEW_TITLE),
            F.col(S.BODY),
        ).alias("text"),
    )
    half = max(1, limit // 2)
    rows = (
        pages.orderBy("key").limit(half).unionByName(review_docs.orderBy("key").limit(limit - half))
    ).collect()
    return [row["text"].strip() for row in rows if row["text"] and row["text"].strip()]


def labelled_rows(
    task: Task,
    sources: Sources,
    *,
    training: TrainingConfig,
    split: str,
    limit: int,
    tokenizer=None,
) -> list[LabelledRow]:
    """Work rows of ``task`` in ``split`` that have human references, with their prompts.

    Args:
        task: the task.
        sources: the source tables.
        training: the split settings.
        split: ``train``, ``validation`` or ``test``.
        limit: most rows (the first by product id).
        tokenizer: the model's tokenizer, for prompt budgets.

    Returns:
        Rows whose prompt could be built, in product-id order.
    """
    rows = (
        sources.work_rows(task)
        .where(F.col(REFERENCES).isNotNull() & (F.size(REFERENCES) > 0))
        .where(split_of(F.col(S.PRODUCT_ID), training) == split)
        .orderBy(S.PRODUCT_ID)
        .limit(limit)
        .collect()
    )
    out = []
    for row in rows:
        data = row.asDict(recursive=True)
        refs = [" ".join(r.split()) for r in data[REFERENCES] if r and r.strip()]
        try:
            prompt = task.build_prompt(data, tokenizer)
        except (PromptError, SkipRow):
            continue
        if refs:
            out.append(LabelledRow(task.name, data[S.PRODUCT_ID], prompt.text, refs, data))
    return out


def examples(rows: list[LabelledRow], *, limit: int) -> list[Example]:
    """One example per reference of each row (FewSum products have three), at most ``limit``."""
    out = [Example(row.task, row.prompt, ref) for row in rows for ref in row.references]
    return out[:limit]


def split_counts(products: DataFrame, training: TrainingConfig) -> dict[str, int]:
    """Products per split (for the manifest)."""
    counts = products.groupBy(split_of(F.col(S.PRODUCT_ID), training).alias("s")).count().collect()
    return {row["s"]: int(row["count"]) for row in counts}
