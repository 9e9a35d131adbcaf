"""Search-ad assets: candidates parsed from the model's text, completed from the product's
fields, and the ad assembled from those that keep every rule."""

import pytest

from enrich import schemas as S
from enrich.ad_assets import (
    MODEL,
    assemble_ad,
    field_candidates,
    model_candidates,
)
from enrich.config import AdRulesConfig, load_config
from enrich.quality import ScoreInputs
from enrich.quality.ads import check_ad, display_width, overlap
from enrich.quality.gate import score_ad
from enrich.tasks import Prompt, SearchAdTask, enabled_tasks

RULES = AdRulesConfig()
LAMP = ScoreInputs(
    title="Glowden Orbit Mini LED Desk Lamp", brand="Glowden", category="desk lamps",
    attributes={"brightness": "600 lm", "color": "Sage green", "material": "Aluminium",
                "power": "10 W", "arm": "Adjustable arm"},
)


def test_sentences_and_clauses_become_candidates_never_cut():
    text = ("Glowden's Orbit Mini LED Desk Lamp is designed with everyday task lighting in mind "
            "and it is made for long evenings at the desk. It comes in sage green.\n"
            "- Adjustable arm, weighted base")
    heads, descs = model_candidates(text, RULES)
    headlines = [c.text for c in heads]
    assert headlines == ["It comes in sage green", "Adjustable arm, weighted base",
                         "Adjustable arm", "Weighted base"]
    # The long first sentence is neither a description (over 90) nor cut into a headline.
    assert all(not d.text.startswith("Glowden's") for d in descs)
    assert all(c.source == MODEL for c in heads + descs)
    for c in heads:
        assert display_width(c.text) <= RULES.max_headline_chars
        assert c.text in text or c.text.lower() in text.lower()  # a whole piece, as written


def test_leaning_clauses_and_single_words_are_no_headlines():
    heads, _ = model_candidates("Light. And strong. Which lasts long.", RULES)
    assert [c.text for c in heads] == []


def test_a_market_with_shorter_limits_gets_fewer_candidates():
    short = AdRulesConfig(max_headline_chars=12, max_description_chars=30)
    heads, descs = model_candidates("It comes in sage green. The arm is adjustable.", short)
    assert all(display_width(c.text) <= 12 for c in heads)
    assert [d.text for d in descs] == ["It comes in sage green.", "The arm is adjustable."]


def test_field_candidates_are_whole_fields_that_fit():
    inputs = ScoreInputs(title="A title far too long to be one headline of an ad", brand="Acme",
                         category="garden hoses", attributes={"length": "25 m"})
    heads, descs, paths = field_candidates(inputs, RULES)
    texts = [c.text for c in heads]
    assert inputs.title not in texts  # left out, not cut
    assert "Acme Garden Hoses" in texts and "Length: 25 m" in texts
    assert all(display_width(t) <= RULES.max_headline_chars for t in texts)
    assert all(display_width(d.text) <= RULES.max_description_chars for d in descs)
    assert [p.text for p in paths] == ["Garden-Hoses", "Acme"]


def test_other_attribute_keys_and_languages_work_the_same():
    inputs = ScoreInputs(title="Teekanne Rooibos", brand="Teekanne", category="Tee",
                         attributes={"Geschmack": "Vanille", "Inhalt": "20 Beutel"})
    built = assemble_ad(None, inputs, RULES, headlines=5, descriptions=2)
    assert "Geschmack: Vanille" in built.ad.headlines
    assert not check_ad(built.ad, inputs, RULES)


def test_the_assembled_ad_keeps_every_rule_and_names_the_product_first():
    text = "The Orbit Mini is the best lamp ever!! Call 555-123-4567. It comes in sage green."
    built = assemble_ad(text, LAMP, RULES, headlines=8, descriptions=3)
    ad = built.ad
    assert ad.headlines[0] == "Glowden Desk Lamps"  # the title does not fit; brand + category
    assert check_ad(ad, LAMP, RULES) == []
    assert all("best" not in h.lower() and "555" not in h for h in ad.headlines)
    assert "It comes in sage green" in ad.headlines
    assert len(built.headline_sources) == len(ad.headlines)
    assert len(built.description_sources) == len(ad.descriptions)
    assert 0 < built.from_model < len(ad.headlines) + len(ad.descriptions)
    assert (ad.path1, ad.path2) == ("Desk-Lamps", "Glowden")


def test_headlines_are_distinct():
    text = "Sage green lamp. A lamp in sage green. Green sage lamp. Sage green."
    built = assemble_ad(text, LAMP, RULES, headlines=10, descriptions=2)
    heads = built.ad.headlines
    assert len({h.lower() for h in heads}) == len(heads)
    assert max(overlap(a, b) for i, a in enumerate(heads) for b in heads[i + 1:]) < 0.5


def test_wrong_facts_of_the_model_are_left_out():
    text = "It comes in red. A lamp of 900 lm."
    built = assemble_ad(text, LAMP, RULES, headlines=6, descriptions=2)
    written = " ".join(built.ad.headlines + built.ad.descriptions).lower()
    assert "red" not in written.split() and "900" not in written


def test_a_product_with_too_little_gets_a_short_ad_that_the_gate_rejects():
    inputs = ScoreInputs(title="X")
    built = assemble_ad("", inputs, RULES, headlines=10, descriptions=4)
    assert len(built.ad.headlines) < RULES.min_headlines
    cfg = load_config(None)
    scores, findings = score_ad(built.ad, cfg=cfg.quality, inputs=inputs)
    assert scores.status == S.REJECTED and "ad_format" in scores.reject_reasons
    assert any("headlines, not 3 to 15" in detail for _, detail in findings)


def test_hostile_fields_do_not_reach_the_ad():
    inputs = ScoreInputs(title="FREE!!! Best Kettle ★ call 555-123-4567", brand="Kettlo",
                         category="kettles", attributes={"capacity": "1.7 l", "colour": "red"})
    built = assemble_ad("Buy now!!! Only 3 left.", inputs, RULES, headlines=8, descriptions=3)
    cfg = load_config(None)
    scores, findings = score_ad(built.ad, cfg=cfg.quality, inputs=inputs)
    assert findings == [] and scores.status == S.ACCEPTED, findings
    written = " ".join(built.ad.headlines + built.ad.descriptions)
    assert "★" not in written and "!" not in written and "555" not in written


def test_the_task_writes_ad_columns_and_the_gate_verdict():
    cfg = load_config(None, ["tasks.search_ad.enabled=true", "tasks.search_ad.headlines=5",
                             "tasks.search_ad.descriptions=2"])
    task = {t.name: t for t in enabled_tasks(cfg)}["search_ad"]
    assert isinstance(task, SearchAdTask) and task.output_table == "product_search_ads"
    names = task.schema.fieldNames()
    for column in (S.HEADLINES, S.DESCRIPTIONS, S.PATH1, S.PATH2, S.STATUS, S.MODEL_VERSION):
        assert column in names
    assert task.schema[S.HEADLINES].dataType.simpleString() == "array<string>"
    row = {"product_id": "p1", "title": LAMP.title, "brand": LAMP.brand,
           "category": LAMP.category, "attributes": LAMP.attributes}
    prompt = task.build_prompt(row)
    assert "short lines" in prompt.text and "Sage green" in prompt.text
    out = task.score("It comes in sage green.", references=None,
                     inputs=task.score_inputs(row, prompt), mean_logprob=-0.5,
                     stopped_at_limit=False, quality=cfg.quality)
    assert out[S.STATUS] == S.ACCEPTED and out[S.AD_FINDINGS] == []
    assert len(out[S.HEADLINES]) == 5 and len(out[S.DESCRIPTIONS]) == 2
    assert out["model_output"] == "It comes in sage green."
    assert MODEL in out[S.HEADLINE_SOURCES]


def test_counts_outside_the_rules_are_refused():
    from enrich.config import ConfigError

    with pytest.raises(ConfigError, match="tasks.search_ad.descriptions is 1"):
        load_config(None, ["tasks.search_ad.descriptions=1"])
    # The market may allow fewer.
    load_config(None, ["tasks.search_ad.descriptions=1", "quality.ad_rules.min_descriptions=1"])


def test_counts_change_the_fingerprint_settings():
    a = enabled_tasks(load_config(None, ["tasks.search_ad.enabled=true"]))[-1]
    b = enabled_tasks(load_config(None, ["tasks.search_ad.enabled=true",
                                         "tasks.search_ad.headlines=6"]))[-1]
    assert a.prompt_settings() != b.prompt_settings()
    assert Prompt("x").columns == {}


def test_a_text_cut_at_the_token_limit_gives_no_candidate_of_its_unfinished_end():
    text = "Glowden Orbit Lamp\nIt comes in sage green.\nIt pairs a"
    cut_heads, cut_descs = model_candidates(text, RULES, cut=True)
    heads, _ = model_candidates(text, RULES)
    assert "It pairs a" in [c.text for c in heads]  # read as finished when it was not cut
    assert [c.text for c in cut_heads] == ["Glowden Orbit Lamp", "It comes in sage green"]
    assert all("pairs" not in c.text for c in cut_descs)
