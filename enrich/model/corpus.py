"""Training text read from the source tables: pretraining documents and fine-tuning examples.

Spark selects, formats and limits the rows; only what the trainer needs reaches the driver.
Fine-tuning examples are built from the tasks' own work rows and prompt builders, so the model
is trained on exactly the prompts it will be given.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from enrich import schemas as S
from enrich.tasks import REFERENCES, PromptError, Task

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Example:
    """One supervised example: the task, its prompt and the human answer."""

    task: str
    prompt: str
    answer: str


def _line(col: str) -> F.Column:
    return F.coalesce(F.col(col), F.lit(""))


def pretraining_documents(products: DataFrame, reviews: DataFrame, *, limit: int) -> list[str]:
    """Catalog text for the tokenizer and the base model: product pages and reviews.

    Args:
        products: the products table.
        reviews: the reviews table.
        limit: most documents in all; products and reviews share it half and half.

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
    pages = products.select(
        F.col(S.PRODUCT_ID).alias("key"),
        F.concat_ws(
            "\n",
            _line(S.TITLE),
            F.concat_ws(" | ", F.concat(F.lit("Brand: "), _line(S.BRAND)),
                        F.concat(F.lit("Category: "), _line(S.CATEGORY))),
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


def finetune_examples(
    tasks: list[Task], products: DataFrame, reviews: DataFrame, *, per_task: int
) -> list[Example]:
    """Supervised examples for every task that has human references.

    Each reference of a work row becomes an example (FewSum products have three summaries).

    Args:
        tasks: the tasks to train.
        products: the products table.
        reviews: the reviews table.
        per_task: most examples per task.

    Returns:
        Examples, grouped by task, in a stable order.
    """
    examples: list[Example] = []
    for task in tasks:
        rows = (
            task.work_rows(products, reviews)
            .where(F.col(REFERENCES).isNotNull() & (F.size(REFERENCES) > 0))
            .orderBy(S.PRODUCT_ID)
            .limit(per_task)
            .collect()
        )
        count = 0
        for row in rows:
            data = row.asDict(recursive=True)
            try:
                prompt = task.build_prompt(data)
            except PromptError:
                continue
            for answer in data[REFERENCES]:
                if answer and answer.strip() and count < per_task:
                    examples.append(Example(task.name, prompt, " ".join(answer.split())))
                    count += 1
        log.info("task %s: %d training examples", task.name, count)
    return examples
