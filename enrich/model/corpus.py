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

import hashlib
import logging
from dataclasses import dataclass

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from enrich import schemas as S
from enrich.config import TrainingConfig
from enrich.datasets import DATASETS, OTHER, dataset_of
from enrich.quality.text import numbers
from enrich.sources import Sources
from enrich.tasks import REFERENCES, PromptError, SkipRow, Task

log = logging.getLogger(__name__)

TRAIN, VALIDATION, TEST = "train", "validation", "test"
SPLITS = (TRAIN, VALIDATION, TEST)
_BUCKETS = 10_000


@dataclass(frozen=True)
class Example:
    """One supervised example: the task, its prompt and one human answer, and the product."""

    task: str
    prompt: str
    answer: str
    product_id: str = ""


@dataclass(frozen=True)
class LabelledRow:
    """A work row with its prompt and every human reference."""

    task: str
    product_id: str
    prompt: str
    references: list[str]
    inputs: dict


def dataset_column(product_id: Column) -> Column:
    """The dataset of each product id, as :func:`enrich.datasets.dataset_of` names it."""
    name = F.lit(OTHER)
    for dataset in reversed(DATASETS):
        name = F.when(product_id.startswith(dataset.prefix), F.lit(dataset.name)).otherwise(name)
    return name


def split_of(product_id: Column, cfg: TrainingConfig) -> Column:
    """The split of each product: ``train``, ``validation`` or ``test``.

    A product whose id matches a pattern of ``fixed_splits`` goes to that pattern's split (the
    first that matches). The others get a bucket in [0, 10000) from the first 8 hex digits of
    sha256(salt + id); the lowest ``test_fraction`` of buckets are test, the next
    ``validation_fraction`` validation.
    """
    digest = F.sha2(F.concat(F.lit(cfg.split_salt + ":"), product_id), 256)
    bucket = F.conv(F.substring(digest, 1, 8), 16, 10).cast("long") % _BUCKETS
    test_end = int(round(cfg.test_fraction * _BUCKETS))
    validation_end = test_end + int(round(cfg.validation_fraction * _BUCKETS))
    split = (
        F.when(bucket < test_end, F.lit(TEST))
        .when(bucket < validation_end, F.lit(VALIDATION))
        .otherwise(F.lit(TRAIN))
    )
    for pattern, fixed in reversed(list(cfg.fixed_splits.items())):
        split = F.when(product_id.rlike(pattern), F.lit(fixed)).otherwise(split)
    return split


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


def one_spaced(text: str) -> str:
    """``text`` with each run of spaces and tabs one space and blank lines dropped; line breaks
    stay, since a search ad's target is one asset a line."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def labelled_rows(
    task: Task,
    sources: Sources,
    *,
    training: TrainingConfig,
    split: str,
    limit: int,
    tokenizer=None,
    per_dataset: bool = False,
) -> list[LabelledRow]:
    """Work rows of ``task`` in ``split`` that have human references, with their prompts.

    Args:
        task: the task.
        sources: the source tables.
        training: the split settings.
        split: ``train``, ``validation`` or ``test``.
        limit: most rows (the first by product id).
        tokenizer: the model's tokenizer, for prompt budgets.
        per_dataset: ``limit`` rows of each dataset (see :mod:`enrich.datasets`) instead of in
            all, so a large dataset cannot crowd out a small one.

    Returns:
        Rows whose prompt could be built, in product-id order.
    """
    labelled = (
        sources.work_rows(task)
        .where(F.col(REFERENCES).isNotNull() & (F.size(REFERENCES) > 0))
        .where(split_of(F.col(S.PRODUCT_ID), training) == split)
    )
    if per_dataset:
        order = Window.partitionBy(dataset_column(F.col(S.PRODUCT_ID))).orderBy(S.PRODUCT_ID)
        labelled = labelled.withColumn("_n", F.row_number().over(order)).where(F.col("_n") <= limit)
    else:
        labelled = labelled.orderBy(S.PRODUCT_ID).limit(limit)
    rows = labelled.orderBy(S.PRODUCT_ID).collect()
    out = []
    for row in rows:
        data = row.asDict(recursive=True)
        refs = [one_spaced(r) for r in data[REFERENCES] if r and r.strip()]
        try:
            prompt = task.build_prompt(data, tokenizer)
        except (PromptError, SkipRow):
            continue
        if refs:
            out.append(LabelledRow(task.name, data[S.PRODUCT_ID], prompt.text, refs, data))
    return out


def examples(rows: list[LabelledRow], *, limit: int, at_least: int = 0) -> list[Example]:
    """Training examples of each dataset of ``rows`` (see :mod:`enrich.datasets`), in order.

    A row gives one example per reference (FewSum products have three, E2E ones up to eight):
    every row's first reference, then every row's second, and so on, at most ``limit`` per
    dataset, so a limit keeps as many rows as it can. A dataset with fewer than ``at_least``
    examples has them repeated (in order) up to that count, so a small dataset is not drowned
    out by a large one. A reference that states a number its prompt does not hold ("Across 10
    reviews" over a prompt showing eight) is left out: it would teach the model to invent
    numbers.
    """
    by_dataset: dict[str, list[LabelledRow]] = {}
    for row in rows:
        by_dataset.setdefault(dataset_of(row.product_id), []).append(row)
    out: list[Example] = []
    for dataset, group in by_dataset.items():
        picked, dropped = [], 0
        for k in range(max(len(row.references) for row in group)):
            for row in group:
                if k < len(row.references):
                    if numbers(row.references[k]) <= numbers(row.prompt):
                        picked.append(Example(row.task, row.prompt, row.references[k], row.product_id))
                    else:
                        dropped += 1
        if dropped:
            log.info("%s, %s: left out %d references stating numbers their prompt does not hold",
                     group[0].task, dataset, dropped)
        picked = picked[:limit]
        if picked and len(picked) < at_least:
            picked = (picked * -(-at_least // len(picked)))[:at_least]
        out.extend(picked)
    return out


def examples_digest(items: list[Example]) -> dict:
    """Per task, the examples per dataset and a sha256 over its prompts and answers, in order:
    two trainings saw the same data exactly when the digests agree."""
    digests: dict[str, "hashlib._Hash"] = {}
    datasets: dict[str, dict[str, int]] = {}
    for item in items:
        digest = digests.setdefault(item.task, hashlib.sha256())
        digest.update(item.prompt.encode() + b"\0" + item.answer.encode() + b"\0")
        counts = datasets.setdefault(item.task, {})
        source = dataset_of(item.product_id)
        counts[source] = counts.get(source, 0) + 1
    return {
        task: {"examples": datasets[task], "sha256": digest.hexdigest()}
        for task, digest in digests.items()
    }


def split_counts(products: DataFrame, training: TrainingConfig) -> dict[str, int]:
    """Products per split (for the manifest)."""
    counts = products.groupBy(split_of(F.col(S.PRODUCT_ID), training).alias("s")).count().collect()
    return {row["s"]: int(row["count"]) for row in counts}
