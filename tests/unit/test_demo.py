"""Tests for the demo catalog generator (enrich.demo): determinism, schema fit, grounding."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from statistics import mean, median

import pytest
from pyspark.sql import types as T

from enrich.demo import generate_product, generate_reviews
from enrich.schemas import PRODUCTS_SCHEMA, REVIEWS_SCHEMA

SEED = 7
N = 1000
NUMBER = re.compile(r"\d+(?:\.\d+)?")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@pytest.fixture(scope="module")
def catalog() -> list[tuple[dict, list[dict]]]:
    return [(generate_product(SEED, i), generate_reviews(SEED, i)) for i in range(N)]


@pytest.fixture(scope="module")
def products(catalog: list[tuple[dict, list[dict]]]) -> list[dict]:
    return [p for p, _ in catalog]


def _fits(value: object, data_type: T.DataType) -> bool:
    if isinstance(data_type, T.StringType):
        return isinstance(value, str)
    if isinstance(data_type, T.IntegerType):
        return type(value) is int and -(2**31) <= value < 2**31
    if isinstance(data_type, T.TimestampType):
        return isinstance(value, dt.datetime) and value.tzinfo is None
    if isinstance(data_type, T.MapType):
        return isinstance(value, dict) and all(
            _fits(k, data_type.keyType) and _fits(v, data_type.valueType) for k, v in value.items()
        )
    if isinstance(data_type, T.ArrayType):
        return isinstance(value, list) and all(_fits(v, data_type.elementType) for v in value)
    raise AssertionError(f"no check for {data_type}")


def _assert_fits_schema(row: dict, schema: T.StructType) -> None:
    assert list(row) == schema.fieldNames()
    for field in schema.fields:
        value = row[field.name]
        if value is None:
            assert field.nullable, f"{field.name} is None but not nullable"
        else:
            assert _fits(value, field.dataType), f"{field.name}={value!r} vs {field.dataType}"


def test_same_seed_and_index_give_the_same_product_and_reviews() -> None:
    for index in (0, 1, 17, 99_999):
        assert generate_product(SEED, index) == generate_product(SEED, index)
        assert generate_reviews(SEED, index) == generate_reviews(SEED, index)


def test_output_does_not_depend_on_the_process_hash_seed() -> None:
    code = (
        "from enrich.demo import generate_product, generate_reviews;"
        "print(repr([(generate_product(7, i), generate_reviews(7, i)) for i in range(5)]))"
    )
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(result.stdout.strip())
    here = repr([(generate_product(7, i), generate_reviews(7, i)) for i in range(5)])
    assert outputs == {here}


def test_a_different_seed_gives_a_different_catalog() -> None:
    differing = sum(generate_product(7, i) != generate_product(8, i) for i in range(50))
    assert differing >= 45
    reviews_7 = [generate_reviews(7, i) for i in range(50)]
    assert reviews_7 != [generate_reviews(8, i) for i in range(50)]


def test_products_fit_the_products_schema(products: list[dict]) -> None:
    for product in products:
        _assert_fits_schema(product, PRODUCTS_SCHEMA)


def test_reviews_fit_the_reviews_schema(catalog: list[tuple[dict, list[dict]]]) -> None:
    reviews = [r for _, rs in catalog for r in rs]
    assert len(reviews) > 2 * N
    for review in reviews:
        _assert_fits_schema(review, REVIEWS_SCHEMA)


def test_ids_follow_the_documented_formats(catalog: list[tuple[dict, list[dict]]]) -> None:
    for index, (product, reviews) in enumerate(catalog):
        assert product["product_id"] == f"P{index:07d}"
        assert [r["review_id"] for r in reviews] == [
            f"R{index:07d}-{k:02d}" for k in range(len(reviews))
        ]
        assert {r["product_id"] for r in reviews} <= {product["product_id"]}
    assert generate_product(SEED, 1234567)["product_id"] == "P1234567"


def test_product_values_are_in_range(products: list[dict]) -> None:
    categories = {p["category"] for p in products}
    assert len(categories) >= 8
    for product in products:
        assert 4 <= len(product["attributes"]) <= 8
        for key in product["attributes"]:
            assert re.fullmatch(r"[a-z]+(_[a-z]+)*", key), key
        assert product["brand"] in product["title"]
        assert dt.datetime(2024, 1, 1) <= product["updated_at"] < dt.datetime(2026, 1, 1)


def test_review_values_are_in_range(catalog: list[tuple[dict, list[dict]]]) -> None:
    reviews = [r for _, rs in catalog for r in rs]
    for review in reviews:
        assert 1 <= review["rating"] <= 5
        assert review["helpful_votes"] >= 0
        assert dt.datetime(2022, 1, 1) <= review["created_at"] < dt.datetime(2026, 1, 1)
        assert review["title"].strip()
        assert 1 <= len(SENTENCE_END.split(review["body"])) <= 4
        assert "{" not in review["body"] and "{" not in review["title"]
    assert {r["rating"] for r in reviews} == {1, 2, 3, 4, 5}
    votes = [r["helpful_votes"] for r in reviews]
    assert median(votes) <= 3
    assert max(votes) > 20


def test_review_counts_span_zero_to_twelve(catalog: list[tuple[dict, list[dict]]]) -> None:
    counts = [len(rs) for _, rs in catalog]
    assert min(counts) == 0 and max(counts) <= 12
    few = sum(c <= 1 for c in counts) / len(counts)
    assert 0.05 <= few <= 0.15


def test_about_half_the_products_have_a_description(products: list[dict]) -> None:
    share = sum(p["description"] is not None for p in products) / len(products)
    assert 0.40 <= share <= 0.60


def test_descriptions_have_two_to_four_sentences(products: list[dict]) -> None:
    for product in products:
        if product["description"] is not None:
            sentences = SENTENCE_END.split(product["description"])
            assert 2 <= len(sentences) <= 4, product["description"]
            assert "{" not in product["description"]


def test_description_numbers_come_from_title_or_attributes(products: list[dict]) -> None:
    checked = 0
    for product in products:
        if product["description"] is None:
            continue
        sources = " ".join([product["title"], *product["attributes"].values()])
        allowed = set(NUMBER.findall(sources))
        found = NUMBER.findall(product["description"])
        checked += len(found)
        assert set(found) <= allowed, (product["description"], product["attributes"])
    assert checked > 100


def test_description_brand_is_the_products_brand(products: list[dict]) -> None:
    brands = {p["brand"] for p in products}
    described = [p for p in products if p["description"] is not None]
    for product in described:
        others = {
            b for b in brands - {product["brand"]} if re.search(rf"\b{b}\b", product["description"])
        }
        assert not others, product["description"]
    mentions_own = sum(p["brand"] in p["description"] for p in described)
    assert mentions_own >= 0.9 * len(described)


def test_description_colours_and_materials_come_from_attributes(products: list[dict]) -> None:
    # Every colour or material value in the catalog that a description names must be one of
    # the product's own values (or part of one: "black" inside "Matte black").
    vocabulary = {
        value
        for p in products
        for key, value in p["attributes"].items()
        if key.endswith(("color", "material"))
    }
    named = 0
    for product in products:
        text = product["description"]
        if text is None:
            continue
        own = " ".join([product["title"], *product["attributes"].values()]).lower()
        for value in vocabulary:
            if re.search(rf"\b{re.escape(value.lower())}\b", text.lower()):
                named += 1
                assert value.lower() in own, (value, text, product["attributes"])
    assert named > 100


def test_reference_summaries_only_for_products_with_two_or_more_reviews(
    catalog: list[tuple[dict, list[dict]]],
) -> None:
    eligible = [(p, rs) for p, rs in catalog if len(rs) >= 2]
    for product, reviews in catalog:
        summaries = product["reference_summaries"]
        if len(reviews) < 2:
            assert summaries is None
        elif summaries is not None:
            assert 1 <= len(summaries) <= 3
            assert len(set(summaries)) == len(summaries)
            assert all(1 <= len(SENTENCE_END.split(s)) <= 2 for s in summaries)
    share = sum(p["reference_summaries"] is not None for p, _ in eligible) / len(eligible)
    assert 0.20 <= share <= 0.40


def test_summary_sentiment_agrees_with_the_ratings(
    catalog: list[tuple[dict, list[dict]]],
) -> None:
    checked = 0
    for product, reviews in catalog:
        if not product["reference_summaries"]:
            continue
        text = " ".join(product["reference_summaries"]).lower()
        average = mean(r["rating"] for r in reviews)
        if average >= 4.2:
            checked += 1
            assert "disappointed" not in text and "negative" not in text, (average, text)
        if average < 2.6:
            checked += 1
            assert "love" not in text and "happy" not in text, (average, text)
    assert checked > 20


def test_review_sentiment_follows_the_rating(catalog: list[tuple[dict, list[dict]]]) -> None:
    reviews = [r for _, rs in catalog for r in rs]
    happy = {"Love it", "Highly recommend", "Worth every penny", "Very happy"}
    unhappy = {"Disappointed", "Not worth the money", "Returned it", "Would not buy again"}
    for review in reviews:
        if review["rating"] <= 2:
            assert review["title"] not in happy
        if review["rating"] >= 4:
            assert review["title"] not in unhappy
