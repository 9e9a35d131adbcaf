"""Importers for real public review and attribute-to-text data into the source tables.

Three formats (see the data's SOURCES.md for their origin and licences):

- ``fewsum``: FewSum ``<domain>/{train,val}.tsv``, one product per row with reviews
  ``rev1..rev8``, ratings ``rating1..rating8`` (Amazon only) and human summaries ``summ1..summ3``;
  the file's name is part of the id (``fewsum-amazon-train-B0040EIHQQ``), so a training config can
  keep the source's own split (``training.fixed_splits``).
- ``copycat``: Copycat ``<domain>/*.csv``, tab-separated, one file per product, one review a row
  (``group_id, review_text, rating, category``).
- ``e2e``: E2E ``devel.csv``, attribute sets like ``name[Blue Spice], area[city centre]`` with
  several crowd-written texts each; the first text in sorted order becomes the description, and
  all of them ``reference_descriptions``.

Every importer returns ``(products, reviews)`` DataFrames in the source schemas, with ids prefixed
by the source (``fewsum-amazon-train-B0040EIHQQ``) so sources never collide, and review ids derived
from content so that importing twice gives the same rows. :func:`import_source` merges them into
the tables by key, so re-importing changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from enrich import schemas as S
from enrich.config import WarehouseConfig
from enrich.faults import fault_point
from enrich.tables import ensure_tables, merge_rows

SOURCES = ("fewsum", "copycat", "e2e")

# Tab-separated files with quotes escaped by doubling.
_TSV = {"sep": "\t", "quote": '"', "escape": '"', "header": "true", "multiLine": "true"}
FEWSUM_REVIEWS = 8
FEWSUM_SUMMARIES = 3


class SourceFormatError(ValueError):
    """The files are missing or not in the expected format."""


def _files(root: Path, pattern: str) -> list[str]:
    found = sorted(str(p) for p in root.glob(pattern))
    if not found:
        raise SourceFormatError(f"no files matching {pattern} under {root}")
    return found


def _read_by_folder(spark: SparkSession, files: list[str], **options: str) -> DataFrame:
    """Read delimited files folder by folder (each folder has its own header) into one frame.

    Adds ``_domain``, the folder name (``amazon`` or ``yelp``), and ``_file``, the file's name.
    """
    by_folder: dict[str, list[str]] = {}
    for path in files:
        by_folder.setdefault(Path(path).parent.name, []).append(path)
    frames = [
        spark.read.options(**options).csv(paths)
        .withColumn("_domain", F.lit(domain))
        .withColumn("_file", F.col("_metadata.file_name"))
        for domain, paths in sorted(by_folder.items())
    ]
    result = frames[0]
    for frame in frames[1:]:
        result = result.unionByName(frame, allowMissingColumns=True)
    return result


def _require_columns(df: DataFrame, needed: list[str], what: str) -> None:
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise SourceFormatError(f"{what}: missing columns {missing}; found {df.columns}")


def _review_id(product_id: Column, text: Column) -> Column:
    return F.concat(product_id, F.lit("-r"), F.substring(F.sha2(text, 256), 1, 16))


def _to_schema(df: DataFrame, schema: T.StructType) -> DataFrame:
    return df.select(
        *[
            (F.col(f.name) if f.name in df.columns else F.lit(None)).cast(f.dataType).alias(f.name)
            for f in schema.fields
        ]
    )


def read_fewsum(spark: SparkSession, root: Path) -> tuple[DataFrame, DataFrame]:
    """Read FewSum gold-summary files: products with 3 reference summaries and 8 reviews each."""
    raw = _read_by_folder(spark, _files(root, "*/*.tsv"), **_TSV)
    _require_columns(
        raw,
        ["cat", "group_id"]
        + [f"rev{i}" for i in range(1, FEWSUM_REVIEWS + 1)]
        + [f"summ{i}" for i in range(1, FEWSUM_SUMMARIES + 1)],
        "FewSum",
    )
    split = F.regexp_extract(F.col("_file"), r"^(.*)\.tsv$", 1)
    raw = raw.withColumn(
        S.PRODUCT_ID, F.concat_ws("-", F.lit("fewsum"), F.col("_domain"), split, F.col("group_id"))
    )
    products = raw.select(
        S.PRODUCT_ID,
        F.col("cat").alias(S.CATEGORY),
        F.array(*[F.col(f"summ{i}") for i in range(1, FEWSUM_SUMMARIES + 1)]).alias(
            S.REFERENCE_SUMMARIES
        ),
    )
    ratings = [c for c in raw.columns if c.startswith("rating")]
    reviews = raw.select(
        S.PRODUCT_ID,
        F.posexplode(
            F.array(
                *[
                    F.struct(
                        F.col(f"rev{i}").alias(S.BODY),
                        (F.col(f"rating{i}") if f"rating{i}" in ratings else F.lit(None)).alias(
                            S.RATING
                        ),
                    )
                    for i in range(1, FEWSUM_REVIEWS + 1)
                ]
            )
        ).alias("pos", "r"),
    ).select(
        S.PRODUCT_ID,
        F.concat(F.col(S.PRODUCT_ID), F.lit("-r"), (F.col("pos") + 1).cast("string")).alias(
            S.REVIEW_ID
        ),
        F.round(F.col("r.rating").cast("double")).alias(S.RATING),
        F.col("r.body").alias(S.BODY),
    ).where(F.col(S.BODY).isNotNull())
    return _to_schema(products, S.PRODUCTS_SCHEMA), _to_schema(reviews, S.REVIEWS_SCHEMA)


def read_copycat(spark: SparkSession, root: Path) -> tuple[DataFrame, DataFrame]:
    """Read Copycat per-product review files: products (category only) and all their reviews."""
    raw = _read_by_folder(spark, _files(root, "*/*.csv"), **_TSV)
    _require_columns(raw, ["group_id", "review_text", "rating", "category"], "Copycat")
    raw = raw.withColumn(
        S.PRODUCT_ID, F.concat_ws("-", F.lit("copycat"), F.col("_domain"), F.col("group_id"))
    ).where(F.col("review_text").isNotNull())
    products = raw.groupBy(S.PRODUCT_ID).agg(F.min("category").alias(S.CATEGORY))
    reviews = raw.select(
        S.PRODUCT_ID,
        _review_id(F.col(S.PRODUCT_ID), F.col("review_text")).alias(S.REVIEW_ID),
        F.round(F.col("rating").cast("double")).alias(S.RATING),
        F.col("review_text").alias(S.BODY),
    ).dropDuplicates([S.REVIEW_ID])
    return _to_schema(products, S.PRODUCTS_SCHEMA), _to_schema(reviews, S.REVIEWS_SCHEMA)


def _snake(col: Column) -> Column:
    return F.lower(F.regexp_replace(F.trim(col), r"([a-z])([A-Z])|\s+", "$1_$2"))


def read_e2e(spark: SparkSession, root: Path) -> tuple[DataFrame, DataFrame]:
    """Read E2E attribute sets: one product per set, its first sorted text as the description."""
    files = [str(root)] if root.is_file() else _files(root, "*.csv")
    raw = spark.read.options(header="true", quote='"', escape='"', multiLine="true").csv(files)
    _require_columns(raw, ["mr", "ref"], "E2E")
    grouped = raw.where(F.col("mr").isNotNull() & F.col("ref").isNotNull()).groupBy("mr").agg(
        F.array_sort(F.collect_set("ref")).alias("refs")
    )
    keys = F.transform(
        F.expr(r"regexp_extract_all(mr, '([A-Za-z ]+)\\[([^\\]]*)\\]', 1)"), _snake
    )
    values = F.expr(r"regexp_extract_all(mr, '([A-Za-z ]+)\\[([^\\]]*)\\]', 2)")
    pairs = F.transform(
        F.sequence(F.lit(1), F.size(keys)),
        lambda i: F.struct(F.element_at(keys, i).alias("k"), F.element_at(values, i).alias("v")),
    )
    # Some sets name an attribute twice (eatType[coffee shop], eatType[restaurant]): keep both.
    distinct_keys = F.array_distinct(keys)
    joined = F.transform(
        distinct_keys,
        lambda k: F.array_join(
            F.transform(F.filter(pairs, lambda p: p["k"] == k), lambda p: p["v"]), ", "
        ),
    )
    products = grouped.select(
        F.concat(F.lit("e2e-"), F.substring(F.sha2(F.col("mr"), 256), 1, 12)).alias(S.PRODUCT_ID),
        F.map_from_arrays(distinct_keys, joined).alias(S.ATTRIBUTES),
        F.element_at(F.col("refs"), 1).alias(S.DESCRIPTION),
        F.col("refs").alias(S.REFERENCE_DESCRIPTIONS),
    ).select(
        "*",
        F.col(S.ATTRIBUTES).getItem("name").alias(S.TITLE),
        F.lit("restaurant").alias(S.CATEGORY),
    )
    reviews = spark.createDataFrame([], S.REVIEWS_SCHEMA)
    return _to_schema(products, S.PRODUCTS_SCHEMA), reviews


READERS = {"fewsum": read_fewsum, "copycat": read_copycat, "e2e": read_e2e}


def import_source(
    spark: SparkSession, warehouse: WarehouseConfig, source: str, path: Path
) -> dict[str, int]:
    """Read one source and merge it into the products and reviews tables by key.

    Args:
        spark: the session.
        warehouse: where the tables are.
        source: one of :data:`SOURCES`.
        path: the source's folder (or, for e2e, its csv file).

    Returns:
        Rows read per table, e.g. ``{"products": 40, "reviews": 320}``.

    Raises:
        SourceFormatError: unknown source, missing files or columns.
    """
    if source not in READERS:
        raise SourceFormatError(f"unknown source {source!r}; choose one of {', '.join(SOURCES)}")
    if not path.exists():
        raise SourceFormatError(f"{path} does not exist")
    products, reviews = READERS[source](spark, path)
    ensure_tables(spark, warehouse, "products", "reviews")
    counts = {}
    for table, df, key in (
        ("products", products, S.PRODUCT_ID),
        ("reviews", reviews, S.REVIEW_ID),
    ):
        df = df.dropDuplicates([key]).cache()
        counts[table] = df.count()
        if counts[table]:
            merge_rows(spark, df, warehouse.table(table), [key])
            fault_point("source-written")
        df.unpersist()
    return counts
