"""Contradictions for any categorical attribute, against value domains learned from the catalog."""

import csv
import random
import re
from pathlib import Path

import pytest

from enrich.config import QualityConfig
from enrich.quality import ScoreInputs, score_text
from enrich.quality.domains import AttributeDomains, normalise, normalise_key
from enrich.quality.grounding import check_grounding
from enrich.schemas import ACCEPTED

E2E = Path(__file__).resolve().parents[1] / "data" / "e2e" / "devel.csv"

# A small catalog of gear, food and electronics, with keys no code names.
CATALOG = [
    {"activity": "gym", "fit": "slim", "climate": "cold weather", "strap": "canvas, plastic"},
    {"activity": "trail", "fit": "regular", "climate": "hot weather", "strap": "leather"},
    {"activity": "road", "fit": "relaxed", "climate": "all seasons", "strap": "nylon"},
    {"diet": "Vegan", "price range": "high", "customer rating": "high"},
    {"diet": "Gluten-Free", "price range": "cheap", "customer rating": "average"},
    {"diet": "vegetarian", "price range": "moderate", "customer rating": "low"},
    {"power source": "battery", "connectivity": "Bluetooth"},
    {"power source": "mains", "connectivity": "Wi-Fi"},
    {"power source": "solar", "connectivity": "USB"},
    {"weight": "250 g", "in stock": "yes"},
    {"weight": "300 g", "in stock": "no"},
]
DOMAINS = AttributeDomains.learn([(k, v) for attrs in CATALOG for k, v in attrs.items()])


def test_normalisation_of_case_plurals_hyphens_and_spellings():
    assert normalise("City Centre") == ["city", "center"]
    assert normalise("Gluten-free Berries and Dresses") == ["gluten", "free", "berry", "and", "dress"]
    assert normalise("Colours, grey") == ["color", "gray"]
    assert normalise_key("eatTypes") == normalise_key("eat-type") == "eat type"


def test_domains_hold_short_categorical_values_only():
    assert DOMAINS.values["activity"] == {"gym", "trail", "road"}
    assert DOMAINS.values["diet"] == {"vegan", "gluten free", "vegetarian"}
    straps = {" ".join(normalise(v)) for v in ("canvas", "plastic", "leather", "nylon")}
    assert DOMAINS.values["strap"] == straps  # lists split
    assert "weight" not in DOMAINS.values  # numbers keep their own check
    assert "in stock" not in DOMAINS.values  # a yes/no flag
    free_text = AttributeDomains.learn([("note", f"note {i}x") for i in range(5)] + [("note", "x")],
                                       max_values=3)
    assert "note" not in free_text.values  # more values than max_values: free text


GYM_TOP = ScoreInputs(title="Halvik Pro top", brand="Halvik",
                      attributes={"activity": "gym", "fit": "slim", "climate": "cold weather"})


@pytest.mark.parametrize(
    "text,contradicted",
    [
        ("The Halvik Pro top is made for the trail, with a slim fit.", ["activity: trail"]),
        ("A relaxed-fit Halvik Pro top for gym sessions.", ["fit: relaxed"]),
        ("The Halvik Pro top keeps you cool in hot weather at the gym.", ["climate: hot weather"]),
        ("A slim Halvik Pro top for the gym in cold weather.", []),
        # The own value stated as well: a comparison, not another value.
        ("A slim gym top that is as comfortable as a relaxed fit.", []),
    ],
)
def test_another_value_of_a_key_no_code_names_is_contradicted(text, contradicted):
    assert DOMAINS.check(text, GYM_TOP) == (contradicted, [])


def test_values_the_product_holds_elsewhere_or_in_its_title_are_supported():
    trail_shoe = ScoreInputs(title="Halvik Road Runner", attributes={"activity": "trail", "fit": "slim"})
    assert DOMAINS.check("The Halvik Road Runner is a slim trail shoe.", trail_shoe) == ([], [])


def test_a_value_shared_by_two_keys_needs_its_key_and_another_keys_word_claims_it():
    cafe = ScoreInputs(title="Aromi", attributes={"price range": "cheap", "customer rating": "average"})
    assert DOMAINS.check("Aromi has a high customer rating.", cafe) == (["customer rating: high"], [])
    assert DOMAINS.check("Aromi has a high price range.", cafe) == (["price range: high"], [])
    assert DOMAINS.check("Aromi serves high quality food.", cafe) == ([], [])
    rated_low = ScoreInputs(title="Aromi", attributes={"customer rating": "low"})
    assert DOMAINS.check("Aromi has an average price.", rated_low) == ([], [])  # said of price
    assert DOMAINS.check("Aromi is rated average.", rated_low) == (["customer rating: average"], [])


def test_plural_hyphen_and_case_variants_and_lists():
    crackers = ScoreInputs(title="Oat crackers", attributes={"diet": "vegan"})
    assert DOMAINS.check("GLUTEN-FREE oat crackers.", crackers) == (["diet: gluten free"], [])
    speaker = ScoreInputs(title="Boom speaker", attributes={"power source": "battery"})
    assert DOMAINS.check("A speaker that runs on solar power.", speaker) == (["power source: solar"], [])
    bag = ScoreInputs(title="Daypack", attributes={"strap": "canvas, plastic"})
    assert DOMAINS.check("A daypack with a leather strap.", bag) == ([], ["strap: leather"])


def test_the_gate_rejects_a_contradicted_categorical_value_only_with_the_domains():
    cfg = QualityConfig()
    text = "The Halvik Pro top is made for the trail."
    without = score_text(text, None, bounds=(3, 80), cfg=cfg, inputs=GYM_TOP)
    with_domains = score_text(text, None, bounds=(3, 80), cfg=cfg, inputs=GYM_TOP, domains=DOMAINS)
    assert without.contradicted_facts == []
    assert with_domains.contradicted_facts == ["activity: trail"] and with_domains.status != ACCEPTED
    # A value a built-in kind reports is not reported twice.
    coat = ScoreInputs(title="Coat", attributes={"colour": "red"})
    colours = AttributeDomains.learn([("colour", "red"), ("colour", "blue")])
    assert check_grounding("A blue coat.", coat, domains=colours).contradicted == ["colour: blue"]


def _e2e():
    with E2E.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    parsed = []
    for row in rows:
        attrs = {k.strip(): v for k, v in re.findall(r"([^,\[]+)\[([^\]]*)\]", row["mr"])}
        parsed.append((attrs.pop("name", None), attrs, row["ref"]))
    return parsed


def test_on_e2e_good_texts_pass_and_texts_with_a_value_swapped_are_caught():
    rows = _e2e()
    domains = AttributeDomains.learn([(k, v) for _, attrs, _ in rows for k, v in attrs.items()])
    assert {"eat type", "food", "area", "near", "customer rating", "price range"} <= set(domains.values)
    rng = random.Random(7)
    false, caught, swapped = 0, 0, 0
    for name, attrs, ref in rows[::2]:
        inputs = ScoreInputs(title=name, attributes=attrs)
        false += bool(domains.check(ref, inputs)[0])
        if not attrs:
            continue
        key, value = rng.choice(sorted(attrs.items()))
        own = " ".join(normalise(value))
        domain = domains.values.get(normalise_key(key), set())
        match = re.search(re.escape(value), ref, re.IGNORECASE)
        if own not in domain or not match:
            continue
        other = rng.choice(sorted(domain - {own}))
        swapped += 1
        caught += bool(domains.check(ref[: match.start()] + other + ref[match.end():], inputs)[0])
    # The good texts flagged are mostly the crowd's own slips ("a high price range" for moderate).
    assert false <= 0.02 * len(rows[::2])
    assert swapped > 500 and caught >= 0.9 * swapped


def test_a_value_inside_the_products_own_value_or_before_a_sentence_end_is_read_right():
    domains = AttributeDomains.learn([
        ("lumbar support", "adjustable"), ("lumbar support", "dynamic"), ("lumbar support", "fixed"),
        ("headrest", "adjustable headrest"), ("headrest", "none"),
        ("customer rating", "low"), ("customer rating", "high"), ("near", "clare hall"),
        ("near", "burger king"),
    ])
    chair = ScoreInputs(title="Atlas II", attributes={
        "lumbar support": "dynamic", "headrest": "Adjustable headrest"})
    # "adjustable" states the chair's own headrest, not its lumbar support.
    assert domains.check("The Atlas II has an adjustable headrest.", chair) == ([], [])
    assert domains.check("The Atlas II has adjustable lumbar support.", chair) == (
        ["lumbar support: adjustable"], [])
    cafe = ScoreInputs(title="Clowns", attributes={"near": "Clare Hall", "customer rating": "low"})
    # The next sentence's "Customer" does not claim "Burger King" for the customer rating.
    assert domains.check("Clowns is near Burger King. Customer ratings are low.", cafe) == (
        ["near: burger king"], [])


def test_a_value_of_several_words_is_stated_with_one_word_inserted():
    domains = AttributeDomains.learn([
        ("weather resistance", "indoor only"), ("weather resistance", "splash-proof"),
        ("weather resistance", "fully waterproof"),
    ])
    plug = ScoreInputs(title="Outdoor Plug", attributes={"weather resistance": "splash-proof"})
    assert domains.check("For indoor use only.", plug) == (
        ["weather resistance: indoor use only"], [])
    # Not across a sentence end, and not with "and" or "or" between the words (two values).
    assert domains.check("Take it indoor. Only the lid is splash-proof.", plug) == ([], [])
    assert domains.check("Fine indoor or only on a porch; it is splash-proof.", plug) == ([], [])
    # The product's own value with a word inserted is its own value, not another one.
    indoor = ScoreInputs(title="Desk Plug", attributes={"weather resistance": "indoor only"})
    assert domains.check("For indoor use only.", indoor) == ([], [])


def test_a_value_several_keys_share_is_said_of_the_product_before_its_own_noun():
    domains = AttributeDomains.learn([
        ("sheen", "matt"), ("sheen", "satin"), ("sheen", "silk"),
        ("finish", "satin"), ("finish", "stonewashed"),
    ])
    paint = ScoreInputs(title="Estate Emulsion", category="Wall Paint",
                        attributes={"sheen": "matt"})
    assert domains.check("A soft satin paint for walls.", paint)[0] == ["sheen: satin"]
    # Before a word that is not the product's, a shared value says nothing of the sheen.
    assert domains.check("It dries to a finish like a satin ribbon.", paint) == ([], [])


def test_the_fields_own_words_are_no_other_value():
    domains = AttributeDomains.learn([
        ("motor", "single"), ("motor", "dual"), ("motor", "brushless"),
        ("fold type", "one-hand fold"), ("fold type", "compact fold"),
        ("cushioning", "max"), ("cushioning", "moderate"), ("heel-to-toe drop", "8 mm"),
    ])
    dryer = ScoreInputs(title="Breezella Compact 1200", attributes={
        "motor": "brushless", "dual voltage": "yes"})
    # "dual voltage" is a key of the dryer's own, not the value "dual" of its motor.
    assert domains.check("It works on dual voltage abroad.", dryer) == ([], [])
    assert domains.check("Its dual motor is quiet.", dryer)[0] == ["motor: dual"]
    stroller = ScoreInputs(title="Pebble Compact Stroller", attributes={"fold type": "one-hand fold"})
    # The product's name before a verb is no "compact fold".
    assert domains.check("The Pebble Compact Stroller folds in a second.", stroller) == ([], [])


def test_a_phrase_of_the_fields_is_read_within_one_field():
    domains = AttributeDomains.learn([
        ("lumbar support", "adjustable"), ("lumbar support", "dynamic"), ("armrests", "3D adjustable"),
        ("armrests", "fixed"),
    ])
    chair = ScoreInputs(title="Cadet II", attributes={
        "armrests": "3D adjustable", "lumbar support": "dynamic"})
    # "adjustable" then "lumbar" are two fields side by side, not a phrase the fields write.
    assert domains.check("It has adjustable lumbar support.", chair)[0] == [
        "lumbar support: adjustable"]


def test_a_count_in_words_against_a_hyphenated_count_in_digits():
    tent = ScoreInputs(title="Quickpitch 4", attributes={"season rating": "2-season",
                                                         "pitching time": "8 minutes"})
    catalog = AttributeDomains.learn([("colour", "sand"), ("colour", "green")])
    assert check_grounding("A three-season pop-up tent.", tent, domains=catalog
                           ).contradicted == ["season rating: three season"]
    assert check_grounding("A two-season tent, up in eight minutes.", tent,
                           domains=catalog).contradicted == []


def test_a_value_before_a_key_of_another_category_is_still_said_of_its_own_key():
    catalog = AttributeDomains.learn([
        ("form factor", "over-ear"), ("form factor", "on-ear"), ("form factor", "in-ear"),
        ("fit", "regular"), ("fit", "wide"),  # running shoes' key
    ])
    headphones = ScoreInputs(title="Drift 700", attributes={"form factor": "over-ear"})
    assert check_grounding("Its comfortable on-ear fit suits travel.", headphones,
                           domains=catalog).contradicted == ["form factor: on ear"]
    reviews = "Great on long flights. The ear cushions are soft."
    assert check_grounding("Buyers find its on-ear cushions soft.", headphones, domains=catalog,
                           reviews=reviews).contradicted == ["form factor: on ear"]


def test_a_sized_list_item_names_its_thing_and_a_value_set_against_is_not_stated():
    catalog = AttributeDomains.learn([
        ("included accessories", "tamper, 350 ml milk jug"), ("included accessories", "milk jug"),
        ("included accessories", "water filter"), ("colour", "sage green"), ("colour", "black"),
    ])
    machine = ScoreInputs(title="Corsa 58", attributes={
        "included accessories": "tamper, 350 ml milk jug", "colour": "sage green"})
    g = check_grounding("A tamper and a milk jug come in the box.", machine, domains=catalog)
    assert g.unsupported == [] and g.contradicted == [], g
    g = check_grounding("A sage green finish that stands out from the usual black.", machine,
                        domains=catalog)
    assert g.contradicted == [], g
    assert check_grounding("A black finish.", machine, domains=catalog).contradicted == [
        "colour: black"]
