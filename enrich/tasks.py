"""Enrichment tasks: what each one reads, how it builds its prompt, where its output goes.

A task turns source rows into *work rows*: the key, an input fingerprint, exactly the fields its
prompt uses, and the human references to score against. The same work rows feed generation and
training, so a model is trained on the prompts it will see.

- ``description``: one row per product, from title, brand, category and the attribute map;
  the product's human description is the reference.
- ``review_summary``: one row per product with at least ``min_reviews`` reviews, from up to
  ``max_reviews`` of them, most helpful first, then most recent, then by review id; each cut to
  ``max_review_chars`` at a sentence boundary. References are the product's human summaries.

The fingerprint is a sha256 over the prompt's fields, the prompt version and the settings that
shape the prompt, so any change to what the model would see selects the row again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from enrich import schemas as S
from enrich.config import SummaryTaskConfig, TaskConfig, TasksConfig

REFERENCES = "references"  # array<string> of human texts on work rows
REVIEWS = "reviews"  # array<struct> of the chosen reviews on summary work rows
MISSING = "unknown"  # what a prompt says for a missing field

_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


class PromptError(ValueError):
    """A row's prompt cannot be built (the row fails, the job goes on)."""


@lru_cache(maxsize=None)
def template(task: str, version: str) -> str:
    """The prompt template of a task at a version, from ``enrich/templates``."""
    name = f"{task}.v{version}.txt"
    try:
        return resources.files("enrich").joinpath("templates", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(f"no prompt template {name} in enrich/templates") from None


def _clean(value: Any) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text or MISSING


def cut_at_sentence(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, at the last sentence end when there is one."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= limit // 3:
        return head[: ends[-1]]
    cut = head.rsplit(" ", 1)[0] if " " in head else head
    return cut.rstrip(",;:") + " ..."


@dataclass(frozen=True)
class Task:
    """An enrichment task and its output table.

    Attributes:
        name: task name, also the prompt template's name.
        table: logical output table (a field of ``TableNames``).
        text_column: output column with the generated text.
        extra_columns: work-row columns copied to the output as they are.
        cfg: the task's limits from the configuration.
    """

    name: str
    table: str
    text_column: str
    extra_columns: tuple[str, ...]
    cfg: TaskConfig

    @property
    def schema(self) -> T.StructType:
        return S.TABLE_SCHEMAS[self.table]

    @property
    def prompt_version(self) -> str:
        return self.cfg.prompt_version

    def work_rows(self, products: DataFrame, reviews: DataFrame) -> DataFrame:
        """Work rows for every product this task applies to (a pure DataFrame transform)."""
        raise NotImplementedError

    def build_prompt(self, row: dict[str, Any]) -> str:
        """The prompt for one work row.

        Raises:
            PromptError: the row lacks what the prompt needs.
        """
        raise NotImplementedError

    def prompt_settings(self) -> dict[str, Any]:
        """Settings that change what the model sees or may write; part of the fingerprint."""
        return {"prompt_version": self.cfg.prompt_version, "max_new_tokens": self.cfg.max_new_tokens}

    def _fingerprint(self, *fields: Column) -> Column:
        settings = sorted(self.prompt_settings().items())
        return F.sha2(
            F.to_json(
                F.struct(
                    F.lit(self.name).alias("task"),
                    F.lit(str(settings)).alias("settings"),
                    *fields,
                )
            ),
            256,
        ).alias(S.INPUT_FINGERPRINT)


class DescriptionTask(Task):
    """Product description from title, brand, category and attributes."""

    def work_rows(self, products: DataFrame, reviews: DataFrame) -> DataFrame:
        sorted_attributes = F.array_sort(F.map_entries(F.col(S.ATTRIBUTES)))
        return products.select(
            S.PRODUCT_ID,
            self._fingerprint(
                F.col(S.TITLE), F.col(S.BRAND), F.col(S.CATEGORY), sorted_attributes.alias("a")
            ),
            S.TITLE,
            S.BRAND,
            S.CATEGORY,
            S.ATTRIBUTES,
            F.when(F.col(S.DESCRIPTION).isNotNull(), F.array(F.col(S.DESCRIPTION))).alias(
                REFERENCES
            ),
        )

    def build_prompt(self, row: dict[str, Any]) -> str:
        attributes = row.get(S.ATTRIBUTES) or {}
        if isinstance(attributes, list):  # Arrow may hand a map over as (key, value) pairs
            attributes = dict(attributes)
        if not attributes and not row.get(S.TITLE):
            raise PromptError("product has neither a title nor attributes")
        lines = "\n".join(
            f"- {_clean(k).replace('_', ' ')}: {_clean(v)}" for k, v in sorted(attributes.items())
        )
        return template(self.name, self.prompt_version).format(
            title=_clean(row.get(S.TITLE)),
            brand=_clean(row.get(S.BRAND)),
            category=_clean(row.get(S.CATEGORY)),
            attributes=lines or "- none",
        )


class ReviewSummaryTask(Task):
    """Summary of a product's reviews, from the most helpful and most recent of them."""

    cfg: SummaryTaskConfig

    def prompt_settings(self) -> dict[str, Any]:
        return {
            **super().prompt_settings(),
            "max_reviews": self.cfg.max_reviews,
            "max_review_chars": self.cfg.max_review_chars,
        }

    def work_rows(self, products: DataFrame, reviews: DataFrame) -> DataFrame:
        # Sorting the structs ascending on (-helpful, -time, id) gives the deterministic order.
        ordered = F.struct(
            (-F.coalesce(F.col(S.HELPFUL_VOTES), F.lit(0))).alias("neg_helpful"),
            (-F.coalesce(F.unix_micros(F.col(S.CREATED_AT)), F.lit(0))).alias("neg_time"),
            F.col(S.REVIEW_ID).alias(S.REVIEW_ID),
            F.col(S.RATING).alias(S.RATING),
            F.col(S.REVIEW_TITLE).alias(S.REVIEW_TITLE),
            F.col(S.BODY).alias(S.BODY),
        )
        per_product = (
            reviews.where(F.col(S.BODY).isNotNull() & (F.length(F.trim(S.BODY)) > 0))
            .groupBy(S.PRODUCT_ID)
            .agg(F.sort_array(F.collect_list(ordered)).alias("_all"))
            .where(F.size("_all") >= self.cfg.min_reviews)
            .select(
                S.PRODUCT_ID,
                F.transform(
                    F.slice("_all", 1, self.cfg.max_reviews),
                    lambda r: F.struct(
                        r[S.REVIEW_ID].alias(S.REVIEW_ID),
                        r[S.RATING].alias(S.RATING),
                        r[S.REVIEW_TITLE].alias(S.REVIEW_TITLE),
                        r[S.BODY].alias(S.BODY),
                    ),
                ).alias(REVIEWS),
            )
        )
        return per_product.join(
            products.select(S.PRODUCT_ID, S.TITLE, S.CATEGORY, S.REFERENCE_SUMMARIES),
            S.PRODUCT_ID,
        ).select(
            S.PRODUCT_ID,
            self._fingerprint(F.col(S.TITLE), F.col(S.CATEGORY), F.col(REVIEWS)),
            S.TITLE,
            S.CATEGORY,
            REVIEWS,
            F.size(REVIEWS).cast("int").alias(S.REVIEW_COUNT),
            F.transform(REVIEWS, lambda r: r[S.REVIEW_ID]).alias(S.REVIEW_IDS),
            F.col(S.REFERENCE_SUMMARIES).alias(REFERENCES),
        )

    def build_prompt(self, row: dict[str, Any]) -> str:
        reviews = row.get(REVIEWS)
        if reviews is None or len(reviews) == 0:
            raise PromptError("product has no reviews to summarise")
        lines = []
        for review in reviews:
            rating = review.get(S.RATING)
            stars = f"[{int(rating)}/5] " if rating is not None else ""
            body = cut_at_sentence(str(review.get(S.BODY) or ""), self.cfg.max_review_chars)
            lines.append(f"- {stars}{body}")
        return template(self.name, self.prompt_version).format(
            title=_clean(row.get(S.TITLE)),
            category=_clean(row.get(S.CATEGORY)),
            reviews="\n".join(lines),
        )


def enabled_tasks(cfg: TasksConfig) -> list[Task]:
    """The tasks switched on in the configuration, in a fixed order."""
    tasks = [
        DescriptionTask("description", "product_descriptions", S.DESCRIPTION, (), cfg.description),
        ReviewSummaryTask(
            "review_summary",
            "review_summaries",
            S.SUMMARY,
            (S.REVIEW_COUNT, S.REVIEW_IDS),
            cfg.review_summary,
        ),
    ]
    return [task for task in tasks if task.cfg.enabled]
