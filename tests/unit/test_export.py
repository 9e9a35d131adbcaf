"""The bulk-upload CSV of search ads: exact header, cells within their limits, ads that break a
limit left out, and a final URL per product."""

import csv
import io

import pytest

from enrich.config import AdRulesConfig
from enrich.export import (
    DESCRIPTION_COLUMNS,
    HEADLINE_COLUMNS,
    SEARCH_AD_COLUMNS,
    final_url,
    write_search_ads_csv,
)
from enrich.quality.ads import display_width

TEMPLATES = dict(
    campaign="Catalog - {brand}", ad_group="{category}",
    final_url_template="https://shop.example/products/{product_id}?utm_source=ads",
)
HEADER = (
    ["Campaign", "Ad group", "Final URL"]
    + [f"Headline {i}" for i in range(1, 16)]
    + [f"Description {i}" for i in range(1, 5)]
    + ["Path 1", "Path 2"]
)


def _ad(product_id: str, **fields) -> dict:
    ad = {
        "product_id": product_id, "title": "Brevo Kettle", "brand": "Brevo", "category": "Kettles",
        "headlines": ["Brevo Electric Kettle", "Holds 1.7 Litres", "3000 W Fast Boil"],
        "descriptions": ["A black stainless steel kettle that holds 1.7 l.",
                         "3000 W heats water fast, with a comma, and \"quotes\"."],
        "path1": "Kettles", "path2": "Electric",
    }
    return {**ad, **fields}


def _export(ads, **kw):
    out = io.StringIO(newline="")
    result = write_search_ads_csv(ads, out, **{**TEMPLATES, **kw})
    out.seek(0)
    return result, list(csv.reader(out))


def test_the_file_parses_back_with_the_exact_header_and_cells_within_limits():
    full = _ad(
        "SKU 7/b",
        headlines=[f"Kettle Headline Number {i}" for i in range(1, 16)],
        descriptions=[f"Description {i} of a kettle that boils water fast." for i in range(4)],
    )
    result, rows = _export([_ad("k-1"), full, _ad("k-3", path2="", path1="")])
    assert rows[0] == HEADER == list(SEARCH_AD_COLUMNS)
    assert result.rows == 3 and result.skipped == [] and len(rows) == 4
    limits = AdRulesConfig()
    for row in rows[1:]:
        assert len(row) == len(HEADER)
        cells = dict(zip(HEADER, row))
        assert all(display_width(cells[c]) <= limits.max_headline_chars for c in HEADLINE_COLUMNS)
        assert all(
            display_width(cells[c]) <= limits.max_description_chars for c in DESCRIPTION_COLUMNS
        )
        assert all(display_width(cells[c]) <= limits.max_path_chars for c in ("Path 1", "Path 2"))
        assert cells["Path 1"] or not cells["Path 2"]
        assert sum(bool(cells[c]) for c in HEADLINE_COLUMNS) >= limits.min_headlines
    first, second, third = (dict(zip(HEADER, r)) for r in rows[1:])
    assert first["Campaign"] == "Catalog - Brevo" and first["Ad group"] == "Kettles"
    assert first["Final URL"] == "https://shop.example/products/k-1?utm_source=ads"
    assert first["Headline 3"] == "3000 W Fast Boil" and first["Headline 4"] == ""
    assert first["Description 2"] == "3000 W heats water fast, with a comma, and \"quotes\"."
    assert second["Final URL"] == "https://shop.example/products/SKU%207%2Fb?utm_source=ads"
    assert second["Headline 15"] == "Kettle Headline Number 15"
    assert second["Description 4"].startswith("Description 3")
    assert third["Path 1"] == third["Path 2"] == ""


@pytest.mark.parametrize(
    "fields,reason",
    [
        ({"headlines": ["Brevo Electric Kettle", "x" * 31, "Fast Boil"]}, "over 30"),
        ({"descriptions": ["One description only."]}, "1 descriptions"),
        ({"path1": "", "path2": "Electric"}, "path 2 without path 1"),
        ({"headlines": [f"Headline {i}" for i in range(16)]}, "16 headlines"),
    ],
)
def test_an_ad_that_breaks_a_limit_is_left_out_and_reported(fields, reason):
    result, rows = _export([_ad("good"), _ad("bad", **fields)])
    assert result.rows == 1 and len(rows) == 2 and rows[1][2].endswith("good?utm_source=ads")
    assert [pid for pid, _ in result.skipped] == ["bad"]
    assert reason in result.skipped[0][1]


def test_no_ads_still_writes_the_header():
    result, rows = _export([])
    assert result.rows == 0 and rows == [HEADER]


def test_bad_templates_are_refused_before_anything_is_written():
    out = io.StringIO()
    with pytest.raises(ValueError, match=r"must contain \{product_id\}"):
        write_search_ads_csv([_ad("k")], out, campaign="C", ad_group="G",
                             final_url_template="https://shop.example/")
    with pytest.raises(ValueError, match="names \\['price'\\]"):
        write_search_ads_csv([_ad("k")], out, campaign="{price}", ad_group="G",
                             final_url_template="https://shop.example/{product_id}")
    assert out.getvalue() == ""


def test_final_url_encodes_the_id():
    assert final_url("https://s.example/p/{product_id}", "a b/c?d&e") == (
        "https://s.example/p/a%20b%2Fc%3Fd%26e"
    )
    assert final_url("https://s.example/p/{product_id}", "ß-1") == "https://s.example/p/%C3%9F-1"


def test_the_export_templates_are_checked_when_the_config_loads():
    from enrich.config import ConfigError, load_config

    with pytest.raises(ConfigError, match=r"must contain \{product_id\}"):
        load_config(None, ["export.search_ads.final_url=https://shop.example/"])
    with pytest.raises(ConfigError, match=r"names \['sku'\]"):
        load_config(None, ["export.search_ads.ad_group=Group {sku}"])
    with pytest.raises(ConfigError, match="no task with output search_ad"):
        load_config(None, ["export.search_ads.task=description"])
