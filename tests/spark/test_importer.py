"""Importing the real FewSum, Copycat and E2E files into the source tables."""

import csv

import pytest
from pyspark.sql import functions as F

from enrich.importer import SourceFormatError, import_source
from enrich.tables import read_table
from tests.conftest import DATA, job_config


@pytest.fixture(scope="module")
def imported(spark, tmp_path_factory):
    cfg = job_config(tmp_path_factory.mktemp("import"))
    counts = {
        "fewsum": import_source(spark, cfg.warehouse, "fewsum", DATA / "fewsum"),
        "copycat": import_source(spark, cfg.warehouse, "copycat", DATA / "copycat"),
        "e2e": import_source(spark, cfg.warehouse, "e2e", DATA / "e2e" / "devel.csv"),
    }
    return cfg, counts


def test_counts_match_the_files(imported):
    _, counts = imported
    # FewSum: 28 + 12 Amazon and 30 + 30 Yelp products, 8 reviews each.
    assert counts["fewsum"] == {"products": 100, "reviews": 800}
    # Copycat: 10 + 10 products; 700 review lines, a few of them exact duplicates.
    assert counts["copycat"]["products"] == 20
    assert 690 <= counts["copycat"]["reviews"] <= 700
    assert counts["e2e"]["reviews"] == 0


def test_fewsum_keeps_three_human_summaries_and_amazon_ratings(spark, imported):
    cfg, _ = imported
    products = read_table(spark, cfg.warehouse.table("products"))
    row = products.where(F.col("product_id") == "fewsum-amazon-train-B0040EIHQQ").first()
    assert row.category == "cloth"
    assert len(row.reference_summaries) == 3 and all(row.reference_summaries)
    reviews = read_table(spark, cfg.warehouse.table("reviews"))
    amazon = reviews.where(F.col("product_id") == "fewsum-amazon-train-B0040EIHQQ").orderBy("review_id").collect()
    assert len(amazon) == 8
    assert all(1 <= r.rating <= 5 for r in amazon)
    assert amazon[0].review_id == "fewsum-amazon-train-B0040EIHQQ-r1"
    assert amazon[0].body.startswith("This pendant is so unique")
    yelp = reviews.where(F.col("product_id").startswith("fewsum-yelp-")).select("rating").distinct()
    assert [r.rating for r in yelp.collect()] == [None]


def test_e2e_turns_attribute_sets_into_products(spark, imported):
    cfg, _ = imported
    with (DATA / "e2e" / "devel.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    mr = "name[Alimentum], area[city centre], familyFriendly[no]"
    refs = sorted({r["ref"] for r in rows if r["mr"] == mr})
    products = read_table(spark, cfg.warehouse.table("products"))
    e2e = products.where(F.col("product_id").startswith("e2e-")).collect()
    assert len(e2e) == len({r["mr"] for r in rows})
    match = [r for r in e2e if r.attributes == {
        "name": "Alimentum", "area": "city centre", "family_friendly": "no"}]
    assert len(match) == 1
    assert match[0].description == refs[0]
    assert match[0].reference_descriptions == refs
    assert match[0].category == "restaurant" and match[0].title == "Alimentum"
    # The cleaned set drops the name from some attribute sets: those products have no title.
    assert any("name" not in row.attributes for row in e2e)
    for row in e2e:
        assert row.title == row.attributes.get("name")


def test_reimport_changes_nothing(spark, imported):
    cfg, _ = imported
    before = {t: read_table(spark, cfg.warehouse.table(t)).count() for t in ("products", "reviews")}
    import_source(spark, cfg.warehouse, "copycat", DATA / "copycat")
    after = {t: read_table(spark, cfg.warehouse.table(t)).count() for t in ("products", "reviews")}
    assert after == before


def test_missing_or_wrong_files_are_refused(spark, tmp_path):
    cfg = job_config(tmp_path)
    with pytest.raises(SourceFormatError, match="does not exist"):
        import_source(spark, cfg.warehouse, "fewsum", tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceFormatError, match="no files matching"):
        import_source(spark, cfg.warehouse, "fewsum", tmp_path / "empty")
    (tmp_path / "bad" / "amazon").mkdir(parents=True)
    (tmp_path / "bad" / "amazon" / "x.csv").write_text("group_id\treview\nA\tgood\n")
    with pytest.raises(SourceFormatError, match=r"Copycat: missing columns \['review_text'"):
        import_source(spark, cfg.warehouse, "copycat", tmp_path / "bad")
