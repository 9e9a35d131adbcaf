"""Self-training data for search ads: the model's own sampled candidates, ranked by how often
they are written, kept only when plausible and only as an ad the gate accepts."""

from enrich.config import load_config
from enrich.model.self_training import pick_ad, plausible, ranked_candidates
from enrich.quality import ScoreInputs
from enrich.quality.ads import SearchAd, check_ad
from enrich.tasks import enabled_tasks

CFG = load_config(None, ["tasks.search_ad.enabled=true"])
TASK = {t.name: t for t in enabled_tasks(CFG)}["search_ad"]
RULES = CFG.quality.ad_rules
BOTTLE = ScoreInputs(
    title="Brooklet Trek Pro Bottle", brand="Brooklet", category="water bottles",
    attributes={"capacity": "500 ml", "lid": "flip-top spout", "colour": "sage"},
)
VOCABULARY = frozenset(
    "a an the it is for daily everyday hydration holds comes in with built by bottle meet "
    "water of and this".split()
)
SAMPLES = [
    "Meet the Trek Pro: a water bottle for daily hydration. It holds 500 ml. It comes in sage.",
    "The Trek Pro is built by Brooklet. It holds 500 ml. A bottle for daily hikimches.",
    "Built by Brooklet, the Trek Pro comes with a flip-top spout. It comes in sage.",
    "It holds 500 ml. Short lines, one per line. It comes in sage.",
]


def test_candidates_written_by_more_samples_come_first():
    heads, descs = ranked_candidates(SAMPLES, RULES)
    texts = [c.text for c in heads]
    # "It comes in sage" (3 samples) and "It holds 500 ml" (3), before what one sample wrote.
    assert texts[:2] == ["It holds 500 ml", "It comes in sage"]
    assert texts.index("Built by Brooklet") > 1
    assert len(texts) == len({t.lower() for t in texts})  # each once
    assert descs and all(d.source == "model" for d in heads + descs)


def test_a_candidate_must_name_the_product_and_use_known_words():
    assert plausible("It holds 500 ml", BOTTLE, VOCABULARY)
    assert plausible("Built by Brooklet", BOTTLE, VOCABULARY)  # the brand is the product's word
    assert not plausible("A bottle for daily hikimches", BOTTLE, VOCABULARY)  # a slip
    assert not plausible("For daily hydration", BOTTLE, VOCABULARY)  # nothing of the product's
    heads, _ = ranked_candidates(SAMPLES, RULES, keep=lambda t: plausible(t, BOTTLE, VOCABULARY))
    assert "A bottle for daily hikimches" not in [c.text for c in heads]


def test_the_picked_ad_is_the_models_own_and_keeps_every_rule():
    text = pick_ad(SAMPLES, BOTTLE, CFG, TASK, vocabulary=VOCABULARY)
    assert text is not None
    lines = text.split("\n")
    heads = [line for line in lines if not line.endswith(".")]
    descs = [line for line in lines if line.endswith(".")]
    assert len(heads) >= RULES.min_headlines and len(descs) >= RULES.min_descriptions
    said = " ".join(SAMPLES).lower()
    assert all(line.rstrip(".").lower() in said for line in lines)  # no field filled in
    assert check_ad(SearchAd(tuple(heads), tuple(descs)), BOTTLE, RULES) == []
    assert "Short lines" not in text  # the prompt's words, not the product's


def test_a_target_that_does_not_fit_loses_headlines_then_gives_up():
    full = pick_ad(SAMPLES, BOTTLE, CFG, TASK, vocabulary=VOCABULARY)
    short = pick_ad(SAMPLES, BOTTLE, CFG, TASK, vocabulary=VOCABULARY,
                    fits=lambda t: len(t) <= len(full) - 1)
    assert short is not None and len(short.split("\n")) < len(full.split("\n"))
    assert pick_ad(SAMPLES, BOTTLE, CFG, TASK, vocabulary=VOCABULARY, fits=lambda t: False) is None


def test_too_few_plausible_candidates_give_no_target():
    junk = ["Short lines. One per line.", "A quick guess. Two sentences of data."]
    assert pick_ad(junk, BOTTLE, CFG, TASK, vocabulary=VOCABULARY) is None
