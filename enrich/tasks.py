"""Enrichment tasks, declared in the configuration: work rows, prompts, fingerprints, output schema.

A task (see :class:`enrich.config.TaskConfig`) names its inputs, template, output table and
column, reference column and limits; nothing about it is hard-coded here. Two kinds exist:

- ``input: product``: one work row per product, from the product columns in ``inputs``
  (``description`` ships as one); a product with none of its ``required`` columns (by default its
  ``inputs``) gets a ``skipped`` row (``no_product_facts``): there is nothing to write from;
- ``input: reviews``: one work row per product with at least one review, from ``inputs`` and the
  product's reviews (``review_summary`` ships as one). Reviews are taken most helpful first, then
  most recent, then by review id, each cut at a sentence boundary to ``max_review_chars``, until
  ``review_token_budget`` tokens of the model's tokenizer are used; products with fewer than
  ``min_reviews`` reviews get a ``skipped`` row that says so.

Input text is untrusted and of any length, so it is cut before anything reads it: each input field
and each attribute name and value to ``max_input_chars``, each review body to twice
``max_review_chars`` (:data:`REDACTION_HEADROOM`) before redaction and to ``max_review_chars``
after it. The scorer sees the same cut fields and bodies as the prompt was built from.

A work row holds the key, an input fingerprint, exactly the fields its prompt uses and the human
references. The fingerprint is a sha256 over those fields (for review tasks: over every review of
the product, so adding, editing or deleting one changes it), the prompt version and the settings
that shape the prompt; a changed fingerprint selects the row again. Work rows feed generation,
training and evaluation alike, so a model is trained on the prompts it will be given.

Templates are files ``<template>.v<prompt_version>.txt`` with ``{placeholders}`` named after the
inputs (and ``{reviews}`` for review tasks), looked up in ``template_dirs`` first, then in
``enrich/templates``.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from enrich import schemas as S
from enrich.config import JobConfig, QualityConfig, TaskConfig
from enrich.quality.gate import score_text
from enrich.quality.inputs import ScoreInputs
from enrich.quality.safety import redact
from enrich.quality.text import cut_words

REFERENCES = "references"  # array<string> of human texts on work rows
REVIEWS = "reviews"  # array<struct> of candidate reviews on review work rows
REVIEW_TOTAL = "review_total"  # all reviews of the product
# Bumped when :func:`enrich.quality.safety.redact` changes what reaches a prompt
# (2: bodies are cut before redaction).
REDACTION_VERSION = 2
# A review body is cut to this many times max_review_chars before redaction: room for redaction
# to shorten it and for its whitespace to collapse, so that the sentence cut after redaction is
# what bounds an ordinary review, as it did when redaction read the whole body.
REDACTION_HEADROOM = 2
KNOWN_PRODUCT = "known_product"  # false on review work rows whose product id is not in products
EST_TOKENS = "est_tokens"  # rough prompt size, to balance partitions
MISSING = "unknown"  # what a prompt says for a missing field
CHARS_PER_TOKEN = 4  # rough, for balancing only

_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


class TaskError(ValueError):
    """A task's declaration cannot work (bad template, unknown placeholder); fix the config."""


class PromptError(ValueError):
    """A row's prompt cannot be built (the row fails, the job goes on)."""


class SkipRow(Exception):
    """A row is skipped by rule, not failed: ``code`` is its reason code, the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Prompt:
    """A built prompt and the output columns that describe what went into it."""

    text: str
    columns: dict[str, Any] = field(default_factory=dict)


def find_template(name: str, version: str, template_dirs: tuple[Path, ...] = ()) -> str:
    """The text of template ``name`` at ``version``: configured folders first, then built-ins.

    Raises:
        TaskError: no such file anywhere.
    """
    return _find_template(name, version, tuple(Path(d) for d in template_dirs))


@lru_cache(maxsize=None)
def _find_template(name: str, version: str, template_dirs: tuple[Path, ...]) -> str:
    filename = f"{name}.v{version}.txt"
    for folder in template_dirs:
        if (folder / filename).is_file():
            return (folder / filename).read_text(encoding="utf-8")
    builtin = resources.files("enrich").joinpath("templates", filename)
    if builtin.is_file():
        return builtin.read_text(encoding="utf-8")
    searched = [str(d) for d in template_dirs] + ["enrich/templates"]
    raise TaskError(f"no prompt template {filename} in {', '.join(searched)}")


def _clean(value: Any, limit: int) -> str | None:
    """A field as one line of prompt text, cut to ``limit`` characters first (see
    :func:`enrich.quality.text.cut_words`); None when it is missing or blank."""
    text = "" if value is None else " ".join(cut_words(str(value), limit).split())
    return text or None


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if hasattr(value, "__len__"):  # maps, lists, numpy arrays
        return len(value) > 0
    return True


def _as_dict(value: Any) -> dict:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    return dict(value)  # Arrow may hand a map over as (key, value) pairs


def render_map(value: Any, *, limit: int) -> str:
    """An attribute map as prompt lines, sorted by key, each name and value cut to ``limit``
    characters: ``- battery life: 40 h``."""
    items = sorted(_as_dict(value).items(), key=lambda kv: str(kv[0])[:limit])
    lines = [
        f"- {(_clean(k, limit) or MISSING).replace('_', ' ')}: {_clean(v, limit) or MISSING}"
        for k, v in items
    ]
    return "\n".join(lines) or "- none"


def control_tokens(tokenizer) -> tuple[str, ...]:
    """The strings ``tokenizer`` reads as its special tokens (turn and end markers), longest
    first."""
    if tokenizer is None:
        return ()
    found = set(getattr(tokenizer, "all_special_tokens", ()) or ())
    for token in (getattr(tokenizer, "added_tokens_decoder", None) or {}).values():
        if getattr(token, "special", False):
            found.add(str(token))
    return tuple(sorted((t for t in found if t), key=len, reverse=True))


def chat_prompt(text: str, tokenizer) -> str:
    """``text`` as the user's turn of ``tokenizer``'s chat template, ending where the model's
    answer begins; ``text`` unchanged when there is no tokenizer or it has no chat template.

    Every special token of the tokenizer (``<|im_start|>``, ``<|im_end|>``, ...) in ``text`` is
    replaced by a space first, so catalog or review text can never open, close or fake a turn;
    the space keeps the pieces around a removed token from joining into another one.

    Example:
        >>> chat_prompt("Describe: Mug", smollm2_tokenizer)  # doctest: +SKIP
        '<|im_start|>system\n...<|im_end|>\n<|im_start|>user\nDescribe: Mug<|im_end|>\n<|im_start|>assistant\n'
    """
    tokens = control_tokens(tokenizer)
    while any(token in text for token in tokens):
        for token in tokens:
            text = text.replace(token, " ")
    if tokenizer is None or not getattr(tokenizer, "chat_template", None):
        return text
    return tokenizer.apply_chat_template(
        [{"role": "user", "content": text.strip()}], tokenize=False, add_generation_prompt=True
    )


def cut_at_sentence(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, at the last sentence end when there is one
    past a third of the limit, else at a word boundary marked ``" ..."`` (see
    :func:`enrich.quality.text.cut_words`); whitespace runs become single spaces."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= limit // 3:
        return head[: ends[-1]]
    return cut_words(text, limit)


class Task:
    """A declared enrichment task (see the module docstring).

    Args:
        name: the task's name in the configuration.
        cfg: its declaration.
        template_dirs: folders searched for its template before the built-in ones.
    """

    key = S.PRODUCT_ID
    extra_fields: tuple[T.StructField, ...] = ()

    def __init__(self, name: str, cfg: TaskConfig, template_dirs: tuple[Path, ...] = ()) -> None:
        self.name = name
        self.cfg = cfg
        self.template_dirs = tuple(template_dirs)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    # Declaration -------------------------------------------------------------------------

    @property
    def output_table(self) -> str:
        return self.cfg.output_table

    @property
    def text_column(self) -> str:
        return self.cfg.output_column

    @property
    def prompt_version(self) -> str:
        return self.cfg.prompt_version

    @property
    def schema(self) -> T.StructType:
        """The output table's schema."""
        return S.output_schema(self.key, self.text_column, list(self.extra_fields))

    @property
    def extra_columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.extra_fields)

    def template(self) -> str:
        return find_template(self.cfg.template, self.prompt_version, self.template_dirs)

    def placeholders(self) -> set[str]:
        """Names a template may use."""
        return set(self.cfg.inputs)

    def check(self) -> None:
        """Check the declaration before any work: the template exists and fills from the inputs.

        Raises:
            TaskError: naming the task, the template and what is wrong.
        """
        text = self.template()
        used = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        unknown = sorted(used - self.placeholders())
        if unknown:
            raise TaskError(
                f"task {self.name}: template {self.cfg.template}.v{self.prompt_version}.txt uses "
                f"{unknown}, which are not among its inputs {sorted(self.placeholders())}"
            )
        if self.text_column == self.key or self.text_column in {f.name for f in S.QUALITY_FIELDS}:
            raise TaskError(f"task {self.name}: output_column {self.text_column!r} is reserved")

    def prompt_settings(self) -> dict[str, Any]:
        """Settings that change what the model sees or may write; part of the fingerprint."""
        return {
            "prompt_version": self.prompt_version,
            "max_new_tokens": self.cfg.max_new_tokens,
            "max_input_chars": self.cfg.max_input_chars,
        }

    # Spark side ----------------------------------------------------------------------------

    def _fingerprint(self, products: DataFrame, *fields: Column) -> Column:
        settings = str(sorted(self.prompt_settings().items()))
        inputs = []
        for name in self.cfg.inputs:
            column = F.col(name)
            if isinstance(products.schema[name].dataType, T.MapType):
                # Map order carries no meaning: the fingerprint sees the entries sorted.
                column = F.array_sort(F.map_entries(column))
            inputs.append(column.alias(name))
        return F.sha2(
            F.to_json(
                F.struct(
                    F.lit(self.name).alias("task"),
                    F.lit(settings).alias("settings"),
                    *inputs,
                    *fields,
                )
            ),
            256,
        ).alias(S.INPUT_FINGERPRINT)

    def _references(self, products: DataFrame, references: DataFrame | None) -> DataFrame:
        """``products`` with a ``references`` array column: the non-blank texts of every
        reference column, without repeats (null when there is none)."""
        columns = self.cfg.reference_columns
        if not columns:
            return products.withColumn(REFERENCES, F.lit(None).cast("array<string>"))
        source = products
        if self.cfg.reference_table:
            if references is None:
                raise TaskError(f"task {self.name}: reference table {self.cfg.reference_table} not read")
            source = products.join(
                references.select(self.key, F.col(columns[0]).alias("_ref")), self.key, "left"
            )
            columns = ["_ref"]
        texts = []
        for column in columns:
            value = F.col(column)
            if isinstance(source.schema[column].dataType, T.StringType):
                value = F.array(value)
            texts.append(F.coalesce(value.cast("array<string>"), F.array().cast("array<string>")))
        combined = F.array_distinct(
            F.filter(F.concat(*texts), lambda t: t.isNotNull() & (F.length(F.trim(t)) > 0))
        )
        return source.withColumn(REFERENCES, F.when(F.size(combined) > 0, combined))

    def _estimate(self) -> Column:
        sizes = [F.length(F.coalesce(F.col(n).cast("string"), F.lit(""))) for n in self.cfg.inputs]
        return (sum(sizes, F.lit(0)) / CHARS_PER_TOKEN).cast("long")

    def work_rows(
        self, products: DataFrame, reviews: DataFrame, references: DataFrame | None = None
    ) -> DataFrame:
        """Work rows for every product this task applies to (a pure DataFrame transform).

        Args:
            products: the products table.
            reviews: the reviews table.
            references: the task's ``reference_table``, when it has one.
        """
        raise NotImplementedError

    # Worker side ---------------------------------------------------------------------------

    def build_prompt(self, row: dict[str, Any], tokenizer=None) -> Prompt:
        """The prompt for one work row: the filled template, as the user's turn of the model's
        chat template when its tokenizer has one (see :func:`chat_prompt`).

        Args:
            row: a work row as a dict.
            tokenizer: the model's tokenizer (review tasks measure their budget with it).

        Raises:
            PromptError: the row lacks what the prompt needs.
            SkipRow: the row is skipped by rule.
        """
        prompt = self._prompt(row, tokenizer)
        return Prompt(chat_prompt(prompt.text, tokenizer), prompt.columns)

    def _prompt(self, row: dict[str, Any], tokenizer=None) -> Prompt:
        """The filled template for one work row (see :meth:`build_prompt`)."""
        raise NotImplementedError

    def score_inputs(self, row: dict[str, Any], prompt: Prompt) -> ScoreInputs:
        """The facts the row's output is checked against: its product fields, as the prompt saw
        them (review tasks add the reviews the prompt showed and the mean rating)."""

        limit = self.cfg.max_input_chars

        def text(name: str) -> str | None:
            value = row.get(name)
            value = None if value is None else cut_words(str(value), limit)
            return value if value and value.strip() else None

        attributes = row.get(S.ATTRIBUTES)
        return ScoreInputs(
            title=text(S.TITLE),
            brand=text(S.BRAND),
            category=text(S.CATEGORY),
            attributes={
                cut_words(str(k), limit): cut_words(str(v), limit)
                for k, v in _as_dict(attributes).items()
                if v is not None
            },
        )

    def score(
        self, text: str | None, *, references: list[str] | None, inputs: ScoreInputs,
        mean_logprob: float | None, stopped_at_limit: bool | None, quality: QualityConfig,
        domains=None, brands=(),
    ) -> dict[str, Any]:
        """Score one generated text: its output columns, text and scores (runs in a worker).

        Args:
            text: the generated text.
            references: the row's human texts, or None.
            inputs: the facts it is checked against (see :meth:`score_inputs`).
            mean_logprob: mean token log-probability of the text.
            stopped_at_limit: whether generation stopped at ``max_new_tokens``.
            quality: the gate's thresholds.
            domains: the catalog's attribute domains and names.
            brands: the catalog's brands (search ads only).
        """
        scores = score_text(
            text, references, bounds=(self.cfg.min_words, self.cfg.max_words),
            checks=self.cfg.checks, cfg=quality, inputs=inputs, mean_logprob=mean_logprob,
            stopped_at_limit=stopped_at_limit, domains=domains,
        )
        return {self.text_column: text, **scores.columns()}

    def _fill(self, row: dict[str, Any], **extra: str) -> str:
        """The template filled from ``row``: a line whose placeholders are all missing is left
        out (no "Brand: unknown" for a product without one); a missing value on a line that
        keeps others reads ``unknown``."""
        values: dict[str, str | None] = dict(extra)
        limit = self.cfg.max_input_chars
        for name in self.cfg.inputs:
            value = row.get(name)
            if isinstance(value, dict) or _is_pairs(value):
                if len(value) > self.cfg.max_attributes:
                    raise PromptError(
                        f"{name} has {len(value):,} entries, more than tasks.{self.name}."
                        f"max_attributes ({self.cfg.max_attributes:,}) lets a prompt list"
                    )
                values[name] = render_map(value, limit=limit) if _present(value) else None
            else:
                values[name] = _clean(value, limit)
        lines = []
        for line in self.template().split("\n"):
            used = [name for _, name, _, _ in string.Formatter().parse(line) if name]
            if used and all(values.get(name) is None for name in used):
                continue
            lines.append(line.format(**{n: MISSING if v is None else v for n, v in values.items()}))
        return "\n".join(lines)


def _is_pairs(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, tuple) for v in value)


class ProductTask(Task):
    """A task with one work row per product, from product columns."""

    def work_rows(
        self, products: DataFrame, reviews: DataFrame, references: DataFrame | None = None
    ) -> DataFrame:
        with_refs = self._references(products, references)
        return with_refs.select(
            self.key,
            self._fingerprint(products),
            *self.cfg.inputs,
            REFERENCES,
            self._estimate().alias(EST_TOKENS),
        )

    def _prompt(self, row: dict[str, Any], tokenizer=None) -> Prompt:
        needed = self.cfg.required or self.cfg.inputs
        if not any(_present(row.get(name)) for name in needed):
            # Nothing to write from: a text would be all invention. Skipped by rule, not failed,
            # so a catalog of bare product ids (reviews only) does not fail the run; an edit
            # that adds a field changes the fingerprint and the row is redone.
            raise SkipRow(
                "no_product_facts", f"product has none of {', '.join(needed)}: nothing to write from"
            )
        if "attributes" in row and row["attributes"] is not None:
            row = {**row, "attributes": _as_dict(row["attributes"])}
        return Prompt(self._fill(row))


class ReviewsTask(Task):
    """A task with one work row per reviewed product, from its reviews and product columns."""

    extra_fields = (
        T.StructField(S.REVIEW_COUNT, T.IntegerType()),
        T.StructField(S.REVIEW_IDS, T.ArrayType(T.StringType())),
        T.StructField(S.MEAN_RATING, T.DoubleType()),
    )

    def placeholders(self) -> set[str]:
        return super().placeholders() | {REVIEWS}

    def prompt_settings(self) -> dict[str, Any]:
        return {
            **super().prompt_settings(),
            "min_reviews": self.cfg.min_reviews,
            "max_reviews": self.cfg.max_reviews,
            "max_review_chars": self.cfg.max_review_chars,
            "review_token_budget": self.cfg.review_token_budget,
            "review_redaction": REDACTION_VERSION,
        }

    def work_rows(
        self, products: DataFrame, reviews: DataFrame, references: DataFrame | None = None
    ) -> DataFrame:
        # A rating outside 1-5 (NaN and infinities included: NaN sorts above every number) is
        # read as missing, so it neither shows in the prompt nor moves the mean.
        rating = F.when(F.col(S.RATING).between(1, 5), F.col(S.RATING).cast("double"))
        # Sorting the structs ascending on (-helpful, -time, id) gives the deterministic order.
        ordered = F.struct(
            (-F.coalesce(F.col(S.HELPFUL_VOTES), F.lit(0))).alias("neg_helpful"),
            (-F.coalesce(F.unix_micros(F.col(S.CREATED_AT)), F.lit(0))).alias("neg_time"),
            F.col(S.REVIEW_ID).alias(S.REVIEW_ID),
            rating.alias(S.RATING),
            F.col(S.BODY).alias(S.BODY),
        )
        # Every review's content feeds the fingerprint, as a hash, so memory stays small.
        content = F.sha2(
            F.concat_ws(
                "\u0001",
                F.col(S.REVIEW_ID),
                F.coalesce(F.col(S.RATING).cast("string"), F.lit("")),
                F.coalesce(F.col(S.REVIEW_TITLE), F.lit("")),
                F.coalesce(F.col(S.BODY), F.lit("")),
            ),
            256,
        )
        usable = reviews.where(F.col(S.BODY).isNotNull() & (F.length(F.trim(S.BODY)) > 0))
        per_product = usable.groupBy(self.key).agg(
            F.count(F.lit(1)).cast("int").alias(REVIEW_TOTAL),
            F.avg(rating).alias(S.MEAN_RATING),
            F.sha2(F.concat_ws(",", F.array_sort(F.collect_list(content))), 256).alias("_reviews"),
            # Candidates only: the budget is applied with the tokenizer when the prompt is built.
            F.slice(F.sort_array(F.collect_list(ordered)), 1, self.cfg.max_reviews).alias("_top"),
        )
        candidates = F.transform(
            "_top",
            lambda r: F.struct(
                r[S.REVIEW_ID].alias(S.REVIEW_ID),
                r[S.RATING].alias(S.RATING),
                r[S.BODY].alias(S.BODY),
            ),
        )
        with_refs = self._references(products, references)
        # Left join: reviews of a product id the catalog does not have become a skipped row,
        # so every reviewed key is accounted for.
        joined = per_product.join(
            with_refs.select(self.key, *self.cfg.inputs, REFERENCES, F.lit(True).alias("_known")),
            self.key,
            "left",
        )
        return joined.select(
            self.key,
            # "unknown" is only set (and only then changes the fingerprint) while the product
            # is missing, so the row is redone once it arrives.
            self._fingerprint(
                products,
                F.col("_reviews").alias("reviews"),
                F.when(F.col("_known").isNull(), F.lit(True)).alias("unknown"),
            ),
            *self.cfg.inputs,
            candidates.alias(REVIEWS),
            REVIEW_TOTAL,
            F.coalesce(F.col("_known"), F.lit(False)).alias(KNOWN_PRODUCT),
            S.MEAN_RATING,
            REFERENCES,
            (
                F.aggregate(
                    candidates,
                    F.lit(0),
                    lambda acc, r: acc + F.least(F.length(r[S.BODY]), F.lit(self.cfg.max_review_chars)),
                )
                / CHARS_PER_TOKEN
            ).cast("long").alias(EST_TOKENS),
        )

    def choose_reviews(self, reviews, tokenizer=None) -> tuple[list[str], list[str]]:
        """Review lines for the prompt and their ids, in order, within the token budget.

        The first review always goes in (cut to ``max_review_chars``); the others while the
        budget lasts. Without a tokenizer, characters / 4 stand in for tokens.
        """
        candidates = []
        for review in reviews:
            # Personal data and instruction-like sentences never reach the model.
            body = cut_at_sentence(redact(self.review_text(review)), self.cfg.max_review_chars)
            rating = review.get(S.RATING)
            line = f"- [{float(rating):g}/5] {body}" if rating is not None else f"- {body}"
            candidates.append((line, review.get(S.REVIEW_ID)))
        if tokenizer is not None:  # one batched call: the candidates are few (max_reviews)
            encoded = tokenizer([line for line, _ in candidates], add_special_tokens=False)
            costs = [len(ids) for ids in encoded["input_ids"]]
        else:
            costs = [len(line) // CHARS_PER_TOKEN for line, _ in candidates]
        lines, ids, used = [], [], 0
        for (line, review_id), cost in zip(candidates, costs):
            if lines and used + cost > self.cfg.review_token_budget:
                break
            lines.append(line)
            ids.append(review_id)
            used += cost
        return lines, ids

    def review_text(self, review) -> str:
        """A review's body as redaction and scoring read it: cut to
        :data:`REDACTION_HEADROOM` x ``max_review_chars`` characters at a word boundary."""
        limit = REDACTION_HEADROOM * self.cfg.max_review_chars
        return cut_words(str(review.get(S.BODY) or ""), limit)

    def score_inputs(self, row: dict[str, Any], prompt: Prompt) -> ScoreInputs:
        shown = set(prompt.columns.get(S.REVIEW_IDS) or [])
        candidates = row.get(REVIEWS)
        bodies = tuple(
            self.review_text(r)
            for r in ([] if candidates is None else candidates)  # Arrow hands a numpy array
            if r.get(S.REVIEW_ID) in shown
        )
        rating = row.get(S.MEAN_RATING)
        base = super().score_inputs(row, prompt)
        return ScoreInputs(
            title=base.title,
            brand=base.brand,
            category=base.category,
            attributes=base.attributes,
            reviews=bodies,
            mean_rating=None if rating is None else float(rating),
        )

    def _prompt(self, row: dict[str, Any], tokenizer=None) -> Prompt:
        if row.get(KNOWN_PRODUCT) is False:
            raise SkipRow(
                "unknown_product", "reviews for a product id that is not in the products table"
            )
        total = row.get(REVIEW_TOTAL) or 0
        if total < self.cfg.min_reviews:
            raise SkipRow(
                "too_few_reviews",
                f"{total} review{'s' if total != 1 else ''}, fewer than "
                f"min_reviews={self.cfg.min_reviews}",
            )
        reviews = row.get(REVIEWS)
        if reviews is None or len(reviews) == 0:
            raise PromptError("product has no reviews to summarise")
        lines, ids = self.choose_reviews(reviews, tokenizer)
        text = self._fill(row, reviews="\n".join(lines))
        return Prompt(text, {S.REVIEW_COUNT: len(ids), S.REVIEW_IDS: ids})


class SearchAdTask(ProductTask):
    """A product task whose output is a responsive search ad (``output: search_ad``).

    The model's text is kept in ``output_column``; the ad is assembled from it and the product's
    fields (:func:`enrich.ad_assets.assemble_ad`) into the columns of
    :data:`enrich.schemas.SEARCH_AD_FIELDS`, and gated by :func:`enrich.quality.gate.score_ad`.
    """

    extra_fields = S.SEARCH_AD_FIELDS

    def check(self) -> None:
        super().check()
        if self.cfg.input != "product":
            raise TaskError(f"task {self.name}: output search_ad needs input: product")

    def prompt_settings(self) -> dict[str, Any]:
        # The counts shape what is written; the rules shape it too, but they are the gate's,
        # and a row is not regenerated because a market's word list changed.
        return {
            **super().prompt_settings(),
            "output": "search_ad",
            "headlines": self.cfg.headlines,
            "descriptions": self.cfg.descriptions,
        }

    def score(
        self, text: str | None, *, references, inputs: ScoreInputs, mean_logprob, stopped_at_limit,
        quality: QualityConfig, domains=None, brands=(),
    ) -> dict[str, Any]:
        from enrich.ad_assets import assemble_ad
        from enrich.quality.ads import BrandIndex
        from enrich.quality.gate import score_ad

        brands = brands if isinstance(brands, BrandIndex) else BrandIndex.of(brands or ())
        built = assemble_ad(
            text, inputs, quality.ad_rules, headlines=self.cfg.headlines,
            descriptions=self.cfg.descriptions, domains=domains, brands=brands,
            cut=bool(stopped_at_limit),
        )
        scores, findings = score_ad(
            built.ad, cfg=quality, inputs=inputs, mean_logprob=mean_logprob, domains=domains,
            brands=brands,
        )
        return {
            self.text_column: text,
            S.HEADLINES: list(built.ad.headlines),
            S.DESCRIPTIONS: list(built.ad.descriptions),
            S.PATH1: built.ad.path1 or None,
            S.PATH2: built.ad.path2 or None,
            S.HEADLINE_SOURCES: list(built.headline_sources),
            S.DESCRIPTION_SOURCES: list(built.description_sources),
            S.AD_FINDINGS: [f"{code}: {detail}" for code, detail in findings],
            **scores.columns(),
        }


KINDS = {"product": ProductTask, "reviews": ReviewsTask}


def make_task(name: str, cfg: TaskConfig, template_dirs: tuple[Path, ...] = ()) -> Task:
    """The task object for a declaration."""
    if cfg.output == "search_ad":
        return SearchAdTask(name, cfg, template_dirs)
    return KINDS[cfg.input](name, cfg, template_dirs)


def enabled_tasks(cfg: JobConfig) -> list[Task]:
    """The tasks switched on in the configuration, shipped ones first, each checked.

    Raises:
        TaskError: a task's template is missing or uses a placeholder it has no input for.
    """
    tasks = [
        make_task(name, spec, tuple(cfg.template_dirs))
        for name, spec in cfg.tasks.items()
        if spec.enabled
    ]
    for task in tasks:
        task.check()
    return tasks
