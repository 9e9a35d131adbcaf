"""Dealing a chunk's work rows over the generation partitions, so each gets a fair share.

Generation time grows with a prompt's length, so the rows are dealt by size class rather than
by key hash, and the deal is exact: each dealt number goes to its own partition.
"""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from enrich import schemas as S
from enrich.tasks import EST_TOKENS

PARTITION = "_partition"


def spread(work: DataFrame, partitions: int) -> DataFrame:
    """Deal work rows over ``partitions`` so each gets a fair share of every prompt size.

    Rows are grouped into size classes (powers of two of their estimated tokens); inside a class
    they are numbered by key and dealt round-robin, each class starting where the last stopped
    being equally likely. Inside each partition rows are then sorted by size, so the Arrow
    batches a worker receives hold prompts of similar length.
    """
    size_class = F.floor(F.log2(F.greatest(F.col(EST_TOKENS), F.lit(1)))).cast("int")
    order = Window.partitionBy("_class").orderBy(S.PRODUCT_ID)
    dealt = (
        (F.row_number().over(order) + F.col("_class")) % partitions
    ).cast("int")
    # Hash partitioning sends key k to pmod(murmur3(k), n); routing each dealt number through a
    # key that hashes to exactly that partition makes the deal exact. (Range partitioning only
    # samples its bounds and may put two dealt numbers in one partition.)
    keys = F.array(*[F.lit(k).cast("long") for k in partition_keys(work.sparkSession, partitions)])
    spread_rows = (
        work.withColumn("_class", size_class)
        .withColumn(PARTITION, keys[dealt])
        .repartition(partitions, PARTITION)
        .sortWithinPartitions(EST_TOKENS, S.PRODUCT_ID)
    )
    return spread_rows.drop("_class", PARTITION)


_PARTITION_KEYS: dict[int, list[int]] = {}


def partition_keys(spark: SparkSession, partitions: int) -> list[int]:
    """For each partition p < ``partitions``, a long key that hash partitioning sends to p.

    Spark's hash is a fixed function (murmur3, seed 42), so the keys are found once per
    partition count and kept for the process.
    """
    if partitions in _PARTITION_KEYS:
        return _PARTITION_KEYS[partitions]
    candidates = spark.range(0, 64 * partitions).select(
        "id", F.expr(f"pmod(hash(id), {partitions})").alias("p")
    )
    first = {r.p: r["min(id)"] for r in candidates.groupBy("p").agg(F.min("id")).collect()}
    missing = [p for p in range(partitions) if p not in first]
    if missing:  # pragma: no cover - 64 candidates per partition always cover them
        raise RuntimeError(f"no key found for partitions {missing}")
    _PARTITION_KEYS[partitions] = [int(first[p]) for p in range(partitions)]
    return _PARTITION_KEYS[partitions]
