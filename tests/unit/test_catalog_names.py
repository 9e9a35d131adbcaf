"""Another catalog product's or brand's name where the product's own belongs: a wrong name."""

import pytest

from enrich.config import QualityConfig
from enrich.quality import ScoreInputs, score_text
from enrich.quality.domains import AttributeDomains, catalog_name
from enrich.quality.grounding import check_grounding, other_names
from enrich.schemas import ACCEPTED, NEEDS_REVIEW, REJECTED

# A gear catalog whose names include generic words: a brand "Ridge" inside another product's
# title, a product called "Classic" where "classic" is also a fit.
GEAR = AttributeDomains.learn(
    [("fit", "classic"), ("fit", "slim"), ("activity", "trail"), ("activity", "gym")],
    brands=["Halvik", "Ridge", "Norrland"],
    titles=["Ridge Daypack", "Halo Headphones", "Classic", "Trail Runner 2", "Aurora Tent"],
)
DAYPACK = ScoreInputs(title="Ridge Daypack", brand="Halvik", category="backpacks",
                      attributes={"fit": "slim", "activity": "trail"})


def test_names_are_normalised_and_bounded():
    assert catalog_name("The Ridge-Daypack's") == "ridge daypack"
    assert catalog_name("AURORA  tents") == "aurora tent"
    assert catalog_name("XL") is None and catalog_name("1234") is None  # no name to find
    assert catalog_name("One Two Three Four Five Six Seven Eight Nine") is None  # too long
    # "Classic" is also a fit: a word of the catalog, not a name.
    assert "classic" not in GEAR.names and {"ridge", "ridge daypack", "halvik"} <= GEAR.names
    bounded = AttributeDomains.learn([], brands=["Zeta", "Alpha"], titles=["Beta", "Gamma"],
                                     max_names=3)
    assert bounded.names == {"alpha", "zeta", "beta"}  # brands first, then titles, sorted
    assert AttributeDomains.learn([], titles=["Beta"], max_names=0).names == frozenset()
    assert bool(AttributeDomains.learn([], titles=["Beta"]))  # names alone are something to check


@pytest.mark.parametrize(
    "text,found",
    [
        ("The Aurora Tent is a light pack for day hikes.", ["name: Aurora Tent"]),
        ("Norrland makes this slim trail pack.", ["name: Norrland"]),
        # In the place of the product's own name, before no verb.
        ("Norrland, a slim pack for the trail.", ["name: Norrland"]),
        ("A slim trail pack from the makers of the Halo-Headphones.", ["name: Halo Headphones"]),
        ("Pair it with the TRAIL RUNNER 2 shoes.", ["name: TRAIL RUNNER 2"]),
    ],
)
def test_another_catalog_name_is_found(text, found):
    assert other_names(text, DAYPACK, GEAR) == found


@pytest.mark.parametrize(
    "text",
    [
        # The product's own name, and a brand inside it ("Ridge" of "Ridge Daypack").
        "The Ridge Daypack by Halvik is a slim pack for the trail.",
        "Ridge makes trail days easy: the Ridge Daypack fits slim.",
        # Generic words: lowercase, or a capital that only starts a sentence.
        "The Ridge Daypack is a classic trail pack with an aurora of colour.",
        "Classic looks and a slim fit: the Ridge Daypack by Halvik.",
        "Aurora colours light the Ridge Daypack at dusk.",
    ],
)
def test_own_names_and_generic_words_are_not_other_names(text):
    assert other_names(text, DAYPACK, GEAR) == []


def test_a_sentence_start_that_names_nothing_is_no_name_where_the_product_is_unnamed():
    # A summary seldom names its product: a brand that is a common sentence start ("Perfect")
    # is no name there, while a name that starts no sentence as a word does is one.
    catalog = AttributeDomains.learn([], brands=["Perfect", "Norrland"])
    unnamed = ScoreInputs(reviews=("Light and roomy.", "Roomy, light, a great day pack."))
    assert other_names("Perfect for day hikes: light and roomy.", unnamed, catalog) == []
    assert other_names("Norrland, light and roomy.", unnamed, catalog) == ["name: Norrland"]


def test_a_name_the_inputs_hold_is_the_products_own():
    case = ScoreInputs(title="Hard case", brand="Halvik",
                       attributes={"compatible with": "Halo Headphones"})
    assert other_names("A Halvik case for the Halo Headphones.", case, GEAR) == []
    reviewed = ScoreInputs(title="Ridge Daypack", reviews=("Lighter than my Aurora Tent bag.",))
    assert other_names("Lighter than the Aurora Tent, reviewers say.", reviewed, GEAR) == []
    assert other_names("The Aurora Tent is light.", DAYPACK, None) == []


def test_grounding_reports_the_other_name_as_contradicted_once():
    g = check_grounding("The Aurora Tent is a slim trail pack.", DAYPACK, domains=GEAR)
    assert "name: Aurora Tent" in g.contradicted
    assert not any(item.startswith("name:") for item in g.unsupported)


def test_gate_rejects_descriptions_and_summaries_with_another_name():
    cfg = QualityConfig()
    good = score_text("The Ridge Daypack by Halvik is a slim pack for the trail.", None,
                      inputs=DAYPACK, bounds=(3, 60), cfg=cfg, domains=GEAR)
    assert good.status == ACCEPTED
    wrong = score_text("The Aurora Tent by Halvik is a slim pack for the trail.", None,
                       inputs=DAYPACK, bounds=(3, 60), cfg=cfg, domains=GEAR)
    assert wrong.status == REJECTED and "contradicted_fact" in wrong.reject_reasons
    assert "name: Aurora Tent" in wrong.contradicted_facts

    reviews = ("Great pack, light and roomy.", "Roomy and light, great for day hikes.")
    summary = ScoreInputs(title="Ridge Daypack", brand="Halvik", reviews=reviews, mean_rating=4.5)
    kept = score_text("Reviewers find the pack light and roomy, great for day hikes.", None,
                      inputs=summary, bounds=(3, 60), cfg=cfg, domains=GEAR)
    assert kept.status == ACCEPTED and kept.contradicted_facts == []
    named = score_text("Reviewers find the Aurora Tent light and roomy, great for day hikes.",
                       None, inputs=summary, bounds=(3, 60), cfg=cfg, domains=GEAR)
    assert named.status == REJECTED and named.contradicted_facts == ["name: Aurora Tent"]
    unchecked = score_text("Reviewers find the Aurora Tent light and roomy.", None,
                           inputs=summary, bounds=(3, 60), cfg=cfg)
    # Without the catalog's names it is no other product's, but a name neither the fields nor
    # the reviews state.
    assert unchecked.contradicted_facts == [] and unchecked.status == NEEDS_REVIEW
    assert unchecked.unsupported_aspects == ["name: Aurora Tent"]
