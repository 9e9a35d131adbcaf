"""Which work rows a run regenerates: incremental selection, backfill targets, chunks and samples.

- Incremental (``enrich``): rows with no output yet, or an output made from other inputs (the
  input fingerprint changed); with ``retry_failed`` also rows whose last attempt failed.
- Backfill (``backfill --model V``): additionally every row whose output was made by another
  model version, narrowed by optional filters on the product's category and on the output's
  status, score and generation time. Output filters match only rows that have an output.
- Chunks: a run commits its selection in chunks by a stable hash of the key, so each chunk is
  one MERGE and a rerun after a crash finds the rows of the committed chunks already done.
- Samples: a stratified sample (by category and current status) for champion/challenger runs.

Everything here is a DataFrame -> DataFrame function: nothing is collected.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from enrich import schemas as S

# Output columns the selection needs from an output table.
_OUT_COLUMNS = (S.INPUT_FINGERPRINT, S.STATUS, S.MODEL_VERSION, S.QUALITY_SCORE, S.GENERATED_AT)


def version_number(column: Column) -> Column:
    """The ``N`` of a model version label ``<name>:vN`` as an int, 0 when it has none."""
    return F.coalesce(F.regexp_extract(column, r":v([0-9]+)$", 1).cast("int"), F.lit(0))


@dataclass(frozen=True)
class BackfillFilter:
    """What a backfill regenerates, besides the rows any incremental run would.

    Attributes:
        model_version: the label ``<name>:vN`` of the version the rows should end up with.
        categories: only products in these categories (empty: all).
        statuses: only rows whose current output has one of these statuses (empty: all).
        score_below: only rows whose current ``quality_score`` is below this.
        generated_before: only rows whose current output was generated before this time.
    """

    model_version: str
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    score_below: float | None = None
    generated_before: datetime | None = None

    def describe(self) -> str:
        """The filter in words, for logs and the run log's ``options``."""
        parts = [f"model_version != {self.model_version}"]
        if self.categories:
            parts.append(f"category in {list(self.categories)}")
        if self.statuses:
            parts.append(f"status in {list(self.statuses)}")
        if self.score_below is not None:
            parts.append(f"quality_score < {self.score_below}")
        if self.generated_before is not None:
            parts.append(f"generated_at < {self.generated_before.isoformat()}")
        return " and ".join(parts)

    @property
    def needs_output(self) -> bool:
        """True when a filter looks at the current output, so rows without one cannot match."""
        return bool(self.statuses) or self.score_below is not None or self.generated_before is not None


def select_work(
    work: DataFrame,
    outputs: DataFrame,
    *,
    retry_failed: bool = False,
    backfill: BackfillFilter | None = None,
    categories: DataFrame | None = None,
    key: str = S.PRODUCT_ID,
) -> DataFrame:
    """Work rows that need generating.

    Args:
        work: the task's work rows (key and input fingerprint included).
        outputs: the task's output table.
        retry_failed: also select rows whose last attempt failed.
        backfill: also select rows made by another model version, narrowed by its filters.
        categories: ``(key, category)`` of every product; needed when the backfill filters by
            category.
        key: the task's key column.

    Returns:
        The selected work rows, with the work rows' columns only.

    Example:
        >>> select_work(work, outputs).count()      # rows with no output or changed inputs
        >>> select_work(work, outputs, backfill=BackfillFilter("catalog-enrich:v2")).count()
    """
    if backfill is None:
        done = outputs
        if retry_failed:
            done = done.where(F.col(S.STATUS) != S.FAILED)
        done = done.select(key, S.INPUT_FINGERPRINT)
        return work.join(done, on=[key, S.INPUT_FINGERPRINT], how="left_anti")

    current = outputs.select(key, *[F.col(c).alias(f"_out_{c}") for c in _OUT_COLUMNS])
    joined = work.join(current, on=key, how="left")
    has_output = F.col(f"_out_{S.INPUT_FINGERPRINT}").isNotNull()
    stale = (
        ~has_output
        | (F.col(f"_out_{S.INPUT_FINGERPRINT}") != F.col(S.INPUT_FINGERPRINT))
        | (F.col(f"_out_{S.MODEL_VERSION}") != F.lit(backfill.model_version))
    )
    if retry_failed:
        stale = stale | (F.col(f"_out_{S.STATUS}") == S.FAILED)
    wanted = stale
    if backfill.needs_output:
        wanted = wanted & has_output
    if backfill.statuses:
        wanted = wanted & F.col(f"_out_{S.STATUS}").isin(*backfill.statuses)
    if backfill.score_below is not None:
        wanted = wanted & (F.col(f"_out_{S.QUALITY_SCORE}") < F.lit(backfill.score_below))
    if backfill.generated_before is not None:
        wanted = wanted & (F.col(f"_out_{S.GENERATED_AT}") < F.lit(backfill.generated_before))
    if backfill.categories:
        if categories is None:
            raise ValueError("a backfill filtered by category needs the products' categories")
        joined = joined.join(
            categories.select(key, F.col(S.CATEGORY).alias("_category")), on=key, how="left"
        )
        wanted = wanted & F.col("_category").isin(*backfill.categories)
    return joined.where(wanted).select(*work.columns)


def chunk_count(rows: int, chunk_rows: int) -> int:
    """How many chunks ``rows`` rows make at ``chunk_rows`` each (at least one)."""
    return max(1, math.ceil(rows / chunk_rows))


def chunk_of(key: str, chunks: int) -> Column:
    """The chunk (0 .. chunks-1) a key belongs to: a stable hash, the same on every run."""
    return F.pmod(F.xxhash64(F.col(key)), F.lit(chunks)).cast("int")


def stratified_sample(
    rows: DataFrame, strata: list[str], size: int, *, key: str = S.PRODUCT_ID, seed: int = 0
) -> DataFrame:
    """About ``size`` rows of ``rows``, each stratum represented in proportion to its size.

    Every non-empty stratum keeps at least one row; inside a stratum rows are taken in the order
    of a seeded hash of the key, so the same call picks the same rows.

    Args:
        rows: the rows to sample (``key`` and the ``strata`` columns included).
        strata: the columns whose value combinations form the strata (nulls form their own).
        size: the wanted sample size.
        key: the column to order by inside a stratum.
        seed: changes which rows are picked.
    """
    if size <= 0:
        raise ValueError(f"sample size must be positive, got {size}")
    total = Window.partitionBy()
    stratum = Window.partitionBy(*strata)
    ordered = Window.partitionBy(*strata).orderBy(F.xxhash64(F.col(key), F.lit(seed)), key)
    quota = F.greatest(
        F.lit(1), F.round(F.lit(size) * F.col("_in_stratum") / F.col("_total")).cast("long")
    )
    return (
        rows.withColumn("_total", F.count(F.lit(1)).over(total))
        .withColumn("_in_stratum", F.count(F.lit(1)).over(stratum))
        .withColumn("_rank", F.row_number().over(ordered))
        .where(F.col("_rank") <= quota)
        .drop("_total", "_in_stratum", "_rank")
    )


@dataclass
class Selection:
    """A task's selected rows and how they are cut into chunks."""

    rows: DataFrame
    count: int
    chunks: int
    key: str = S.PRODUCT_ID
    estimates: dict[str, float] = field(default_factory=dict)

    def chunk(self, index: int) -> DataFrame:
        """The selected rows of chunk ``index``."""
        return self.rows.where(chunk_of(self.key, self.chunks) == index)
