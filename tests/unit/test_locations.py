"""Table places from the config: folders under a root (path or URI), metastore names, per table."""

from pathlib import Path

import pytest

from enrich import locations
from enrich.config import ConfigError, load_config


def warehouse(*settings):
    return load_config(None, list(settings)).warehouse


def test_a_local_root_gives_absolute_folders_per_table(tmp_path):
    wh = warehouse(f"warehouse.root={tmp_path}/lake", "warehouse.tables.products=items")
    products = wh.table("products")
    assert products == locations.TableRef("items", location=f"{tmp_path}/lake/items")
    assert wh.table("product_descriptions").location == f"{tmp_path}/lake/product_descriptions"
    assert wh.staging_root == f"{tmp_path}/lake/_staging"
    assert wh.reports_root == tmp_path / "lake" / "_reports"
    assert products.sql == f"delta.`{tmp_path}/lake/items`"


def test_a_relative_root_is_resolved_against_the_working_folder():
    assert warehouse("warehouse.root=lake").table("reviews").location == str(Path("lake/reviews").resolve())


@pytest.mark.parametrize("root", [
    "s3a://bucket/lake", "abfss://data@account.dfs.core.windows.net/lake", "gs://bucket/lake/",
    "file:///srv/lake",
])
def test_a_uri_root_is_kept_as_the_uri(root):
    wh = warehouse(f"warehouse.root={root}")
    spelt = root.rstrip("/").replace("file:///", "file:/")  # Hadoop's spelling
    assert wh.table("reviews").location == spelt + "/reviews"
    assert wh.staging_root == spelt + "/_staging"


def test_remote_roots_keep_reports_on_this_machine():
    assert warehouse("warehouse.root=s3a://bucket/lake").reports_root == Path("reports").resolve()
    assert warehouse("warehouse.root=file:///srv/lake").reports_root == Path("/srv/lake/_reports")


def test_a_catalog_makes_every_table_a_metastore_table():
    wh = warehouse("warehouse.catalog=main.shop", "warehouse.tables.enrichment_runs=runs")
    runs = wh.table("enrichment_runs")
    assert runs == locations.TableRef("runs", qualified="main.shop.runs")
    assert runs.in_metastore and runs.sql == "`main`.`shop`.`runs`"
    assert wh.table("product_descriptions").qualified == "main.shop.product_descriptions"
    # Staging is data the job writes itself: always a location, under the root.
    assert wh.staging_root.endswith("/warehouse/_staging")


def test_locations_place_single_tables_and_win_over_root_and_catalog():
    wh = warehouse(
        "warehouse.root=s3a://bucket/lake", "warehouse.catalog=enrich",
        "warehouse.locations={products: prod.shop.products, reviews: gs://other/reviews,"
        " review_summaries: ./summaries}",
    )
    assert wh.table("products") == locations.TableRef("products", qualified="prod.shop.products")
    assert wh.table("reviews") == locations.TableRef("reviews", location="gs://other/reviews")
    assert wh.table("review_summaries").location == str(Path("summaries").resolve())
    assert wh.table("product_descriptions").qualified == "enrich.product_descriptions"


@pytest.mark.parametrize("setting, message", [
    ("warehouse.catalog=a.b.c", "not 'catalog.schema' or 'schema'"),
    ("warehouse.catalog=main.sh op", "not 'catalog.schema' or 'schema'"),
    ("warehouse.locations={products: products}", "neither a path or URI"),
    ("warehouse.locations={products: 'a.b.c.d'}", "neither a path or URI"),
    ("warehouse.locations={'pro ducts': a.b}", "not a plain table name"),
    ("warehouse.locations={products: 's3a://b/x`y'}", "must not contain a backtick"),
    ("warehouse.root=/tmp/a`b", "must not contain a backtick"),
])
def test_bad_places_are_refused_naming_the_field(setting, message):
    with pytest.raises(ConfigError, match=message) as err:
        load_config(None, [setting])
    assert setting.split("=")[0] in str(err.value)


def test_locations_compare_across_spellings():
    assert locations.same_location("file:/srv/lake/t/", "/srv/lake/t")
    assert locations.same_location("file:///srv/lake/t", "/srv/lake/t")
    assert not locations.same_location("s3a://b/t", "/b/t")
    assert locations.is_uri("abfss://c@a.dfs.core.windows.net/x") and not locations.is_uri("/x/y")
    assert locations.is_metastore_name("main.shop.t") and not locations.is_metastore_name("t")


def test_a_table_has_exactly_one_place():
    with pytest.raises(ValueError):
        locations.TableRef("t")
    with pytest.raises(ValueError):
        locations.TableRef("t", location="/x", qualified="a.b")
