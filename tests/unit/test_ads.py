"""Ad rules of search ads: each rule on an ad that keeps it and on one that breaks it, and the
hand-labelled set of good and bad ads."""

import json
from collections import defaultdict
from pathlib import Path

import pytest

from enrich.config import AdRulesConfig, ConfigError, load_config
from enrich.quality import ScoreInputs
from enrich.quality import reasons as R
from enrich.quality.ads import (
    BrandIndex,
    SearchAd,
    ad_text,
    check_ad,
    contains_loosely,
    display_width,
    other_brands,
    overlap,
    reason_codes,
    same_stem,
)

LABELLED = Path(__file__).resolve().parents[1] / "data" / "gate" / "search_ad.jsonl"
RULES = AdRulesConfig()
KETTLE = ScoreInputs(
    title="Brevo 1.7 l Electric Kettle",
    brand="Brevo",
    category="Kitchen appliances",
    attributes={"capacity": "1.7 l", "power": "3000 W", "material": "stainless steel",
                "colour": "black"},
)
HEADLINES = ("Brevo Electric Kettle", "Holds 1.7 Litres", "3000 W Fast Boil")
DESCRIPTIONS = ("A black stainless steel kettle that holds 1.7 l.", "3000 W heats water fast.")


def _ad(headline: str | None = None, description: str | None = None, **paths) -> SearchAd:
    """The kettle's clean ad, with its third headline or second description replaced."""
    headlines = HEADLINES if headline is None else (*HEADLINES[:2], headline)
    descriptions = DESCRIPTIONS if description is None else (DESCRIPTIONS[0], description)
    return SearchAd(headlines, descriptions, **paths)


def _codes(ad: SearchAd, inputs: ScoreInputs = KETTLE, rules: AdRulesConfig = RULES, **kw):
    return reason_codes(check_ad(ad, inputs, rules, **kw))


def test_ad_rules_are_never_acceptable():
    assert {R.FAMILIES[code] for code in R.AD_RULES} == {"ad_rule"}
    assert set(R.AD_RULES) <= set(load_config(None).quality.rejecting_reasons)


def test_the_clean_ad_keeps_every_rule():
    assert check_ad(_ad(), KETTLE, RULES) == []
    assert check_ad({"headlines": list(HEADLINES), "descriptions": list(DESCRIPTIONS)}, KETTLE,
                    RULES) == []


def test_lengths_in_display_characters():
    assert display_width("Kettle") == 6 and display_width("緑茶") == 4
    assert _codes(_ad("x" * 30)) == []
    found = check_ad(_ad("Brevo Kettle With Stainless Body"), KETTLE, RULES)
    assert found == [(R.AD_TOO_LONG, "headline 3: 32 characters, over 30")]
    assert _codes(_ad(description="A" + " kettle" * 13)) == [R.AD_TOO_LONG]  # 92 characters
    assert _codes(_ad(path1="Kettles", path2="Electric")) == []
    assert _codes(_ad(path1="ElectricKettlesUK")) == [R.AD_TOO_LONG]
    assert _codes(_ad("緑茶" * 8)) == [R.AD_TOO_LONG]  # 16 wide characters count 32


def test_counts_empty_assets_and_paths():
    assert _codes(SearchAd(HEADLINES[:2], DESCRIPTIONS)) == [R.AD_FORMAT]
    assert _codes(SearchAd(HEADLINES, DESCRIPTIONS[:1])) == [R.AD_FORMAT]
    many = tuple(f"Kettle Model {i}" for i in range(16))
    assert R.AD_FORMAT in _codes(SearchAd(many, DESCRIPTIONS))
    assert _codes(_ad("  ")) == [R.AD_FORMAT]
    assert _codes(_ad(path2="Kettles")) == [R.AD_FORMAT]
    assert _codes(_ad(path1="Kettles", path2="Black Kettles")) == [R.AD_FORMAT]
    # The counts are the market's: an ad of three headlines passes with the defaults only.
    assert _codes(_ad(), rules=AdRulesConfig(min_headlines=4)) == [R.AD_FORMAT]


def test_count_limits_are_validated():
    with pytest.raises(ConfigError, match="min_headlines"):
        load_config(None, ["quality.ad_rules.min_headlines=6", "quality.ad_rules.max_headlines=5"])
    with pytest.raises(ConfigError, match="max_descriptions"):
        load_config(None, ["quality.ad_rules.max_descriptions=5"])


def test_near_duplicate_headlines():
    assert overlap("Blue Halo Headphones", "Halo Headphones in Blue") == 1.0
    assert overlap("Black Kettles", "black kettle") == 1.0  # case and plurals
    assert overlap("Halvik Halo", "Halvik Halo Headphones") < RULES.max_overlap
    assert _codes(_ad("Brevo Electric Kettles")) == [R.AD_DUPLICATE]
    assert _codes(_ad("The Electric Kettle by Brevo")) == [R.AD_DUPLICATE]
    assert _codes(_ad("Electric Kettle in Black")) == []
    assert _codes(_ad(description=DESCRIPTIONS[0].upper().lower())) == [R.AD_DUPLICATE]


@pytest.mark.parametrize(
    "headline,bad",
    [
        ("Black LED Kettle", False),  # a known abbreviation
        ("UK Plug, 1.7 l", False),
        ("BLACK Electric Kettle", True),
        ("Boils FAST", True),
        ("NEW-Look Kettle", True),
    ],
)
def test_capitals(headline, bad):
    assert (R.AD_CAPITALS in _codes(_ad(headline))) is bad


def test_capitals_as_the_input_writes_them():
    asus = ScoreInputs(title="ASUS ZenBook 14", brand="ASUS", attributes={"ports": "USB-C"})
    ad = SearchAd(("ASUS ZenBook 14", "USB-C Charging", "Light Laptop"), ("A light laptop.",
                  "Charge it over USB-C."))
    assert _codes(ad, asus) == []
    shouted = SearchAd(("ASUS ZENBOOK 14", *ad.headlines[1:]), ad.descriptions)
    assert _codes(shouted, asus) == [R.AD_CAPITALS]
    assert _codes(ad, ScoreInputs(title="Asus ZenBook 14", brand="Asus",
                                  attributes={"ports": "USB-C"})) == [R.AD_CAPITALS]


@pytest.mark.parametrize(
    "headline,description,bad",
    [
        (None, None, False),
        ("Boils Fast!", None, True),  # any "!" in a headline
        (None, "3000 W heats water fast!", False),  # one in a description
        (None, "3000 W heats water fast!!", True),
        (None, "Heats water fast?!", True),
        (None, "Heats water fast...", True),
        (None, "Heats water fast, quietly.", False),
    ],
)
def test_punctuation(headline, description, bad):
    assert (_codes(_ad(headline, description)) == [R.AD_PUNCTUATION]) is bad


def test_more_than_one_exclamation_mark_in_the_ad():
    ad = SearchAd(HEADLINES, ("A black stainless steel kettle!", "3000 W heats water fast!"))
    assert check_ad(ad, KETTLE, RULES) == [(R.AD_PUNCTUATION, "2 exclamation marks in the ad")]


@pytest.mark.parametrize(
    "headline,bad",
    [
        ("Fr33 Descaler", True),
        ("B3st Boil Yet", True),
        ("$ave on Kettles", True),
        ("Kettle 4ever", True),
        ("Electric Kettle ☕", True),
        ("★ Brevo Kettle ★", True),
        ("Kettle | Brevo", True),
        ("Brevo® Kettle", True),  # no trademark sign in the input
        ("Kettle With 1.7 l Jug", False),
        ("Boils 1.7 l Fast", False),
        ("Stainless & Black", False),
        ("100°C in Minutes", False),
    ],
)
def test_symbols(headline, bad):
    assert (R.AD_SYMBOLS in _codes(_ad(headline))) is bad


def test_model_names_and_trademarks_of_the_input_are_no_symbols():
    camera = ScoreInputs(
        title="Sonix A7III Camera", brand="Sonix®", attributes={"sensor": "APS-C"}
    )
    ad = SearchAd(("Sonix® A7III Camera", "APS-C Sensor", "Compact Camera"),
                  ("A compact camera.", "An APS-C sensor in a small body."))
    assert R.AD_SYMBOLS not in _codes(ad, camera)
    other = ScoreInputs(title="Sonix Compact Camera", brand="Sonix")
    assert R.AD_SYMBOLS in _codes(ad, other)


@pytest.mark.parametrize(
    "description,bad",
    [
        ("3000 W heats water  fast.", True),
        (" 3000 W heats water fast.", True),
        ("3000 W heats water fast. ", True),
        ("3000 W\theats water fast.", True),
        ("3000 W heats water fast , quietly.", True),
        ("3000 W,quiet and fast.", True),
        ("Heats water fast,quietly.", True),
        ("Heats water fast.Quietly.", True),
        ("Heats 1,7 l fast, e.g. for tea.", False),
    ],
)
def test_spacing(description, bad):
    assert (R.AD_SPACING in _codes(_ad(description=description))) is bad


def test_contact_details_reuse_the_safety_patterns():
    found = check_ad(_ad(description="Call 0161 496 0000 or mail help@brevo.example.com."),
                     KETTLE, RULES)
    assert (R.AD_CONTACT, "description 2: email: help@brevo.example.com") in found
    assert (R.AD_CONTACT, "description 2: phone: 0161 496 0000") in found
    assert _codes(_ad("Visit brevo.com")) == [R.AD_CONTACT]
    assert R.AD_SYMBOLS not in _codes(_ad(description="Mail help@brevo.example.com."))


def test_free_only_where_the_input_says_it_of_the_same_thing():
    assert _codes(_ad("Free Delivery")) == [R.AD_FREE]
    shipping = ScoreInputs(title="Brevo Kettle", brand="Brevo", attributes={"shipping": "free"})
    ad = SearchAd(("Brevo Kettle", "Free Shipping", "Fast Boil"), ("A kettle.", "Ships free."))
    assert _codes(ad, shipping) == []
    bpa = ScoreInputs(title="Brevo BPA-free Kettle", brand="Brevo")
    descriptions = ("A kettle.", "Boils fast.")
    assert _codes(SearchAd(("Brevo Kettle", "BPA-Free Jug", "Fast Boil"), descriptions), bpa) == []
    gift = SearchAd(("Brevo Kettle", "Free Gift Inside", "Fast Boil"), descriptions)
    assert _codes(gift, bpa) == [R.AD_FREE]
    offer = ScoreInputs(title="Mira Shampoo", attributes={"offer": "free shipping over £20"})
    assert _codes(SearchAd(("Mira Shampoo", "Dry Hair Care", "Argan Oil"),
                           ("Orders over £20 ship free.", "For dry hair.")), offer) == []
    assert same_stem("ship", "shipping") and same_stem("delivery", "delivered")
    assert not same_stem("shirt", "shipping")


@pytest.mark.parametrize(
    "headline,code",
    [
        ("Best Kettle in Town", R.AD_SUPERLATIVE),
        ("The #1 Kettle", R.AD_SUPERLATIVE),
        ("Number One for Tea", R.AD_SUPERLATIVE),
        ("Top-Rated Kettle", R.AD_SUPERLATIVE),
        ("The Quickest Boil", R.AD_SUPERLATIVE),
        ("UK's Cheapest Kettle", R.AD_SUPERLATIVE),
        ("Cures Headaches", R.AD_HEALTH_CLAIM),
        ("Clinically Proven Tea", R.AD_HEALTH_CLAIM),
        ("Eco-Friendly Kettle", R.AD_ENVIRONMENTAL_CLAIM),
        ("Sustainable Steel", R.AD_ENVIRONMENTAL_CLAIM),
        ("Only £29.99", R.AD_PRICE),
        ("20% Off Kettles", R.AD_PRICE),
        ("Save £10 Today", R.AD_PRICE),
        ("Kettles on Sale", R.AD_PRICE),
        ("An Affordable Kettle", R.AD_PRICE),
        ("A Great Price", R.AD_PRICE),
        ("Hurry, Boil Now", R.AD_URGENCY),
        ("Only 3 Kettles Left", R.AD_URGENCY),
        ("Limited Time Kettle", R.AD_URGENCY),
        ("Customers Love This Kettle", R.AD_ENDORSEMENT),
        ("A Highly Rated Kettle", R.AD_ENDORSEMENT),
        ("5-Star Kettle", R.AD_ENDORSEMENT),
    ],
)
def test_claims_not_in_the_input(headline, code):
    assert code in _codes(_ad(headline))


@pytest.mark.parametrize("headline", ["Short Lines", "One Per Line", "Two Sentences of Data",
                                      "Five Headlines"])
def test_the_words_of_a_writing_instruction_echo_the_prompt(headline):
    assert R.TEMPLATE_LEAK in _codes(_ad(headline))
    # Where the product's own fields use the words, they are the product's.
    pad = ScoreInputs(title="Brevo Headline Writing Pad", attributes={"ruling": "short lines"})
    assert R.TEMPLATE_LEAK not in _codes(
        SearchAd(("Brevo Headline Pad", "Short Lines", "Writing Pad"), ("A pad.", "Ruled.")), pad
    )


def test_an_asset_that_ends_mid_phrase_is_unfinished():
    assert R.AD_FORMAT in _codes(_ad("It pairs a"))
    assert R.AD_FORMAT in _codes(_ad(description="A black kettle with the."))
    assert R.AD_FORMAT not in _codes(_ad("Made to Last"))


def test_a_phrase_may_have_one_word_inside():
    assert contains_loosely(["selling", "out", "fast"], ("selling", "fast"))
    assert not contains_loosely(["selling", "well", "and", "fast"], ("selling", "fast"))
    assert not contains_loosely(["fast", "selling"], ("selling", "fast"))
    assert R.AD_HEALTH_CLAIM in _codes(_ad("Relieves Joint Pain"))
    assert R.AD_URGENCY in _codes(_ad("Selling Out Fast"))
    joints = ScoreInputs(title="Brevo Heat Pad", attributes={"use": "relieves joint pain"})
    assert _codes(SearchAd(("Brevo Heat Pad", "Relieves Joint Pain", "Warm in Minutes"),
                           ("A heat pad.", "Warms up in minutes.")), joints) == []


def test_claims_the_input_makes_are_allowed():
    tea = ScoreInputs(
        title="Kinsen Organic Green Tea", brand="Kinsen",
        attributes={"certification": "USDA Organic", "price": "£4.99", "rating": "best seller"},
    )
    ad = SearchAd(("Kinsen Organic Green Tea", "Only £4.99", "USDA Organic Tea"),
                  ("Organic green tea for £4.99.", "A best seller from Kinsen."))
    assert _codes(ad, tea) == []
    cotton = ScoreInputs(title="Basil Tee", attributes={"material": "100% cotton"})
    assert _codes(SearchAd(("Basil Tee", "100% Cotton Tee", "Soft Fit"), ("A tee.", "Soft.")),
                  cotton) == []
    assert R.AD_PRICE in _codes(
        SearchAd(("Basil Tee", "50% Off Tees", "Soft Fit"), ("A tee.", "Soft.")), cotton
    )


def test_was_now_is_a_price_claim():
    assert R.AD_PRICE in _codes(_ad(description="Was £40, now £25."))
    assert R.AD_PRICE in _codes(_ad(description="It was great and is now cheaper."))


def test_the_market_replaces_the_word_lists():
    rules = AdRulesConfig(superlatives=["unmatched"], urgency_phrases=[])
    assert _codes(_ad("Best Kettle in Town"), rules=rules) == []
    assert _codes(_ad("Unmatched Kettle"), rules=rules) == [R.AD_SUPERLATIVE]
    assert _codes(_ad("Hurry, Boil Now"), rules=rules) == []


def test_factual_checks_are_grounding_on_the_ad_text():
    assert _codes(_ad(description="A red kettle.")) == [R.CONTRADICTED_FACT]
    # Litres and the input's "1.7 l" are one unit: another number of it is contradicted.
    assert _codes(_ad("Holds 2 Litres")) == [R.CONTRADICTED_FACT]
    assert _codes(_ad("Holds 2 Cups")) == [R.UNSUPPORTED_FACT]
    assert _codes(_ad(description="The Tefal kettle holds 1.7 l.")) == [R.UNSUPPORTED_FACT]


def test_title_case_headlines_are_read_without_their_capitals():
    text = ad_text(_ad("Fast Boil For Tea Lovers"), KETTLE, RULES)
    # Capitals the input writes ("Brevo Electric Kettle") are kept; the others are read lower.
    assert "fast boil for tea lovers." in text and "Brevo Electric Kettle." in text
    assert _codes(_ad("Fast Boil For Tea Lovers")) == []


def test_other_brands_of_the_catalog_are_wrong_names():
    brands = ["Brevo", "Tefal", "Russell Hobbs"]
    assert other_brands(_ad("Tefal Quality Kettle"), KETTLE, brands, RULES) == ["Tefal"]
    assert other_brands(_ad("Russell Hobbs Style"), KETTLE, brands, RULES) == ["Russell Hobbs"]
    assert other_brands(_ad(), KETTLE, brands, RULES) == []
    assert _codes(_ad("Tefal Quality Kettle"), brands=brands) == [R.CONTRADICTED_FACT]
    case = ScoreInputs(title="Slim case for Apple iPhone 15", brand="Cova")
    assert other_brands(SearchAd(("Case for Apple iPhone",)), case, ["Apple", "Cova"], RULES) == []
    # Written as a name only: "a tefal" in lower case is not the brand.
    assert other_brands(_ad(description="Boils like a tefal."), KETTLE, brands, RULES) == []
    index = BrandIndex.of(["Russell Hobbs", "Tefal", "Tefal", " "])
    assert sorted(index.by_first_word) == ["russell", "tefal"]
    assert other_brands(_ad("Russell Hobbs Style"), KETTLE, index, RULES) == ["Russell Hobbs"]


def _labelled() -> list[dict]:
    with LABELLED.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _inputs(raw: dict) -> ScoreInputs:
    return ScoreInputs(title=raw.get("title"), brand=raw.get("brand"),
                       category=raw.get("category"), attributes=dict(raw.get("attributes") or {}))


def test_the_labelled_set_is_hand_labelled_with_known_codes():
    items = _labelled()
    assert len(items) >= 60
    assert len({i["id"] for i in items}) == len(items)
    for item in items:
        assert item["task"] == "search_ad" and item["split"] in ("train", "test")
        assert item["label"] in ("good", "bad") and item["note"]
        expected = {"good"} if item["label"] == "good" else set(R.ALL)
        assert item["kind"] in expected
    test = [i for i in items if i["split"] == "test"]
    assert 0.4 <= len(test) / len(items) <= 0.6
    # Every ad rule has bad ads in the test split.
    assert set(R.AD_RULES) <= {i["kind"] for i in test}


def test_the_labelled_set_test_split_meets_the_targets():
    """On the test split no bad ad passes (and each gets the code it is labelled with), and at
    least 90% of the good ones pass. ``python -m pytest tests/unit/test_ads.py -q -s`` prints
    the figures per split."""
    items = _labelled()
    brands = BrandIndex.of(i["inputs"]["brand"] for i in items if i["inputs"].get("brand"))
    figures = defaultdict(lambda: {"good": 0, "good_passed": 0, "bad": 0, "bad_caught": 0,
                                   "missed": []})
    for item in items:
        codes = _codes(SearchAd.from_mapping(item["ad"]), _inputs(item["inputs"]), brands=brands)
        f = figures[item["split"]]
        if item["label"] == "good":
            f["good"] += 1
            f["good_passed"] += not codes
            if codes:
                f["missed"].append(f"{item['id']} (good) got {codes}")
        else:
            f["bad"] += 1
            f["bad_caught"] += item["kind"] in codes
            if item["kind"] not in codes:
                f["missed"].append(f"{item['id']} ({item['kind']}) got {codes}")
    for split in ("train", "test"):
        f = figures[split]
        print(f"{split}: good passed {f['good_passed']}/{f['good']}, "
              f"bad caught with their code {f['bad_caught']}/{f['bad']}; missed: {f['missed']}")
    test = figures["test"]
    assert test["bad_caught"] == test["bad"], test["missed"]
    assert test["good_passed"] >= 0.9 * test["good"], test["missed"]
