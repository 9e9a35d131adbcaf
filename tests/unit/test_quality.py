"""Quality scores: sacrebleu's own numbers, form flags, and the gate's statuses."""

import csv
from pathlib import Path

import pytest
import sacrebleu

from enrich.config import QualityConfig
from enrich.quality import ScoreInputs, score_text
from enrich.quality.form import repeated_trigram_ratio, truncated
from enrich.quality.reasons import (
    EMPTY, GARBLED, REPETITIVE, TEMPLATE_LEAK, TOO_LONG, TOO_SHORT, TRUNCATED,
)
from enrich.quality.text import cut_words
from enrich.schemas import ACCEPTED, NEEDS_REVIEW, REJECTED

FEWSUM = Path(__file__).resolve().parents[1] / "data" / "fewsum" / "amazon" / "val.tsv"
CFG = QualityConfig()
BOUNDS = (3, 80)


def fewsum_rows(n: int = 5):
    with FEWSUM.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return rows[:n]


@pytest.mark.parametrize("row", fewsum_rows())
def test_scores_equal_sacrebleu_on_real_summaries(row):
    # A human summary scored against the two others, as sacrebleu itself computes it.
    hypothesis, refs = row["summ1"], [row["summ2"], row["summ3"]]
    scores = score_text(hypothesis, refs, bounds=(1, 500), cfg=CFG)
    assert scores.bleu == sacrebleu.sentence_bleu(hypothesis, refs).score
    assert scores.chrf == sacrebleu.sentence_chrf(hypothesis, refs).score
    assert scores.reference_count == 2


def test_no_reference_means_no_reference_scores():
    scores = score_text("A sturdy steel mug that keeps coffee hot.", None, bounds=BOUNDS, cfg=CFG)
    assert scores.bleu is None and scores.chrf is None
    assert scores.reference_count == 0
    assert scores.status == ACCEPTED


def test_close_to_reference_is_accepted_and_far_is_not():
    ref = ["The Halvik Halo headphones come in silver with a 40 h battery."]
    close = score_text(
        "The Halvik Halo headphones come in silver and have a 40 h battery.", ref, bounds=BOUNDS, cfg=CFG
    )
    far = score_text("Zebras graze quietly near the lake at dawn.", ref, bounds=BOUNDS, cfg=CFG)
    assert close.status == ACCEPTED
    assert close.chrf > far.chrf
    assert far.quality_score < close.quality_score
    assert far.status != ACCEPTED


@pytest.mark.parametrize(
    "text,flag,status",
    [
        ("", EMPTY, REJECTED),
        ("good good good good good good good good good good good.", REPETITIVE, REJECTED),
        ("### Task: description Title: mug. A fine mug for coffee.", TEMPLATE_LEAK, REJECTED),
        ("A sturdy steel mug that keeps your coffee hot and", TRUNCATED, NEEDS_REVIEW),
        ("Nice mug.", TOO_SHORT, NEEDS_REVIEW),
        ("The " + "T" * 60 + " mug keeps your coffee hot for hours.", GARBLED, REJECTED),
    ],
)
def test_flags_and_statuses(text, flag, status):
    scores = score_text(text, None, bounds=BOUNDS, cfg=CFG)
    assert flag in scores.reject_reasons
    assert scores.status == status
    assert 0.0 <= scores.quality_score <= 1.0


def test_repeated_trigram_ratio():
    assert repeated_trigram_ratio("a b c d e".split()) == 0.0
    assert repeated_trigram_ratio("a b c a b c a b c".split()) > 0.5


def test_thresholds_come_from_config():
    text = "A sturdy steel mug that keeps coffee hot."
    strict = QualityConfig(accept_threshold=1.0, reject_threshold=0.99)
    assert score_text(text, ["Completely unrelated words here."], bounds=BOUNDS, cfg=strict).status == REJECTED


def test_score_columns_are_the_output_columns():
    from enrich.schemas import QUALITY_FIELDS

    columns = score_text("A sturdy steel mug.", ["A mug."], bounds=BOUNDS, cfg=CFG).columns()
    names = {f.name for f in QUALITY_FIELDS}
    assert set(columns) <= names
    # Every quality column but the ones the generation stage fills itself comes from the scorer.
    assert names - set(columns) == {"error", "mean_logprob"}


@pytest.mark.parametrize(
    "text,language",
    [
        ("Ce mug en acier garde votre café chaud pendant des heures.", "fr"),
        ("Dieser Becher aus Stahl hält Ihren Kaffee stundenlang warm.", "de"),
        ("Эта стальная кружка долго сохраняет кофе горячим.", "ru"),
    ],
)
def test_text_in_another_language_or_script_is_rejected(text, language):
    scores = score_text(text, None, bounds=BOUNDS, cfg=CFG)
    assert "wrong_language" in scores.reject_reasons and scores.status == REJECTED
    assert scores.language == language
    english = score_text("This steel mug keeps your coffee hot for hours.", None, bounds=BOUNDS, cfg=CFG)
    assert english.language == "en" and english.reject_reasons == []


def test_looping_word_groups_are_repetitive_even_in_a_long_text():
    body = "This steel mug keeps coffee hot for hours and fits most cup holders in cars. " * 1
    looping = body + "and fits most cup holders and fits most cup holders and fits most cup holders."
    scores = score_text(looping, None, bounds=BOUNDS, cfg=CFG)
    assert REPETITIVE in scores.reject_reasons and scores.repetition > 0
    assert REPETITIVE not in score_text(body, None, bounds=BOUNDS, cfg=CFG).reject_reasons


def test_truncation_uses_the_stop_reason():
    text = "A sturdy steel mug that keeps your coffee hot for hours"
    assert TRUNCATED in score_text(text, None, bounds=BOUNDS, cfg=CFG, stopped_at_limit=True).reject_reasons
    # A finished generation without a full stop is not cut off, unless it ends mid-clause.
    assert score_text(text, None, bounds=BOUNDS, cfg=CFG, stopped_at_limit=False).reject_reasons == []
    dangling = "A sturdy steel mug that keeps your coffee hot and"
    assert TRUNCATED in score_text(dangling, None, bounds=BOUNDS, cfg=CFG, stopped_at_limit=False).reject_reasons


@pytest.mark.parametrize(
    "text",
    [
        "A sturdy steel mug that keeps your coffee hot and.",  # a full stop after a dangling word
        "The Eagle is a coffee shop near the.",
        "Reviewers love the sound, but",
        "It comes with",
        "Perfect for hikers who",
        "Features include:",
        "Keeps drinks cold for hours,",
        "The bag is roomy and the straps are...",
        "The bag is roomy and the straps are…",
        "A waterproof shell (taped seams and",
        "You get a 30-night trial to decide whether it",  # a clause's subject, no verb
        "It packs small, and they",
    ],
)
def test_a_text_cut_mid_sentence_is_truncated_whatever_stopped_it(text):
    for stopped in (True, False, None):
        assert truncated(text, stopped), (text, stopped)
        assert TRUNCATED in score_text(text, None, bounds=BOUNDS, cfg=CFG, stopped_at_limit=stopped).reject_reasons


@pytest.mark.parametrize(
    "text",
    [
        "Rich in Vitamin A.",  # a letter, not the article
        "The fabric is easy to work with.",
        "All needs are taken care of.",
        'Reviewers call it "the best mug they own."',
        "Is it worth it? Most reviewers say yes!",
        "Available in blue (navy).",
        "Buyers love it.",
        "Not sure whether to keep it.",
    ],
)
def test_a_finished_sentence_is_not_truncated(text):
    for stopped in (True, False, None):
        assert not truncated(text, stopped), (text, stopped)


def _human_texts():
    texts = []
    for source in ("amazon", "yelp"):
        for split in ("train", "val"):
            path = FEWSUM.parents[1] / source / f"{split}.tsv"
            with path.open(encoding="utf-8") as handle:
                rows = csv.DictReader(handle, delimiter="\t")
                texts += [row[f"summ{i}"] for row in rows for i in (1, 2, 3)]
    with (FEWSUM.parents[2] / "e2e" / "devel.csv").open(encoding="utf-8") as handle:
        texts += [row["ref"] for row in csv.DictReader(handle)]
    return texts


def test_truncation_on_real_human_texts_and_cut_copies_of_them():
    texts = _human_texts()
    finished = [t for t in texts if t.rstrip()[-1:] in ".!?"]
    assert len(finished) > 4000
    # No finished human text, from E2E or FewSum, reads as cut off.
    assert [t for t in finished if truncated(t, False) or truncated(t, True)] == []
    # Copies cut at each word boundary inside their last sentence: cut at the token limit, all
    # are caught; ended by the model itself, every one that ends on a function word is.
    cuts = []
    for text in finished[::20]:
        head, _, last = text.rstrip().rpartition(". ")
        tokens = last.split()
        cuts += [(head + ". " + " ".join(tokens[:k])).lstrip(". ") for k in range(1, len(tokens))]
    assert len(cuts) > 1000
    assert all(truncated(c, True) and truncated(c, None) for c in cuts)
    dangling = [c for c in cuts if c.split()[-1].lower() in {"the", "and", "with", "of", "a", "in"}]
    assert dangling and all(truncated(c, False) for c in dangling)


def test_low_confidence_from_the_config_threshold():
    text = "A sturdy steel mug that keeps coffee hot."
    confident = score_text(text, None, bounds=BOUNDS, cfg=CFG, mean_logprob=-0.4)
    unsure = score_text(text, None, bounds=BOUNDS, cfg=CFG, mean_logprob=-3.2)
    assert confident.status == ACCEPTED
    assert unsure.status == NEEDS_REVIEW and unsure.reject_reasons == ["low_confidence"]
    assert unsure.quality_score < confident.quality_score
    lenient = QualityConfig(min_mean_logprob=-3.5)
    assert score_text(text, None, bounds=BOUNDS, cfg=lenient, mean_logprob=-3.2).reject_reasons == []


def test_rejecting_reasons_must_be_known_codes():
    from enrich.config import ConfigError, load_config

    with pytest.raises(ConfigError) as err:
        load_config(None, ["quality.rejecting_reasons=[pii, typo_code]"])
    assert "typo_code" in str(err.value)
    relaxed = QualityConfig(rejecting_reasons=["empty"])
    scores = score_text("A fine kettle. Call 0161 496 0000.", None, bounds=BOUNDS, cfg=relaxed)
    assert scores.status == NEEDS_REVIEW and "pii" in scores.reject_reasons


def test_cut_words_keeps_whole_words_and_marks_the_cut():
    assert cut_words("A sturdy mug.", 40) == "A sturdy mug."
    assert cut_words("alpha beta gamma delta", 13) == "alpha beta ..."
    assert cut_words("alpha beta, gamma", 12) == "alpha beta ..."  # no dangling comma
    assert cut_words("line one\nline two", 12) == "line one ..."  # newlines kept for redaction
    assert cut_words("1000000 mAh", 4) == "1000 ..."  # only a first word longer than the limit is cut inside
    assert cut_words("x" * 10_000_000, 400) == "x" * 400 + " ..."


def test_a_text_longer_than_the_scoring_limit_is_scored_on_its_head_and_never_accepted():
    cfg = QualityConfig(max_scored_chars=200)
    sentences = [f"Mug {i} holds {i + 3} cups." for i in range(100)]
    text = " ".join(sentences)
    checks = ["repetition", "truncation", "safety"]  # not "length": the flag comes anyway
    scores = score_text(text, [text], bounds=(3, 10_000), cfg=cfg, checks=checks)
    assert scores.reject_reasons == [TOO_LONG] and scores.status == NEEDS_REVIEW
    # Whether it was cut off is read at the text's own end, not at the scoring cut.
    cut_off = score_text(text + " Mug 100 holds", [text], bounds=(3, 10_000), cfg=cfg, checks=checks)
    assert cut_off.reject_reasons == [TRUNCATED, TOO_LONG]
    short = score_text(" ".join(sentences[:8]), [text], bounds=(3, 10_000), cfg=cfg, checks=checks)
    assert short.reject_reasons == [] and short.status == ACCEPTED


def test_long_real_words_and_hyphenated_chains_are_not_garbled():
    text = ("A state-of-the-art, easy-to-clean-and-machine-washable cover with "
            "methylchloroisothiazolinone-free dye and antidisestablishmentarianism-level care.")
    assert GARBLED not in score_text(text, None, bounds=BOUNDS, cfg=CFG).reject_reasons


SERUM = ScoreInputs(title="Luma Hydrating Serum", brand="Luma Skin",
                    attributes={"key ingredient": "hyaluronic acid", "vegan": "yes"})


@pytest.mark.parametrize(
    "text, inputs, unsupported",
    [
        # A health or environmental claim the input does not make, in any domain.
        ("A vegan serum with hyaluronic acid. It is certified organic.", SERUM, ["claim: organic"]),
        ("A hypoallergenic serum with hyaluronic acid.", SERUM, ["claim: hypoallergenic"]),
        # The input makes it: an attribute, or the title.
        ("An organic serum with hyaluronic acid.",
         ScoreInputs(title="Luma Serum", attributes={"certification": "organic"}), []),
        ("A smooth green tea from Kinsen.", ScoreInputs(title="Kinsen Japanese Green Tea"), []),
    ],
)
def test_a_health_or_environmental_claim_needs_the_input(text, inputs, unsupported):
    scores = score_text(text, None, bounds=BOUNDS, cfg=CFG, inputs=inputs)
    assert scores.unsupported_facts == unsupported
    assert (scores.status == ACCEPTED) == (not unsupported), scores


def test_a_claim_is_reported_once_but_not_hidden_inside_another_word():
    lamp = ScoreInputs(title="Desk lamp", attributes={"colour": "white"})
    # "green" is the colour check's already; "eco" is no part of the name "Decolux".
    green = score_text("A green desk lamp.", None, bounds=BOUNDS, cfg=CFG, inputs=lamp)
    assert "claim: green" not in green.unsupported_facts
    assert green.contradicted_facts == ["colour: green"]
    eco = score_text("A small desk lamp from Decolux, and it is eco.", None, bounds=BOUNDS,
                     cfg=CFG, inputs=lamp)
    assert eco.unsupported_facts == ["name: Decolux", "claim: eco"]


def test_a_summary_may_make_a_claim_its_reviews_make():
    reviews = ("My skin loves it, and it is organic.", "Organic and gentle, works well.")
    said = ScoreInputs(title="Luma Serum", reviews=reviews, mean_rating=5.0)
    text = "Reviewers love this organic serum and say it is gentle."
    assert score_text(text, None, bounds=BOUNDS, cfg=CFG, inputs=said).unsupported_aspects == []
    unsaid = ScoreInputs(title="Luma Serum", reviews=("Gentle and works well.",) * 2,
                         mean_rating=5.0)
    found = score_text("Reviewers say this gentle serum is eco friendly.", None, bounds=BOUNDS,
                       cfg=CFG, inputs=unsaid).unsupported_aspects
    assert "claim: eco friendly" in found


def test_a_six_word_group_said_twice_is_repetitive_but_the_products_name_is_not():
    inputs = ScoreInputs(title="Calder Rainfall Shower Head 25 cm", brand="Calder",
                         attributes={"finish": "chrome"})
    twice = ("The Calder Rainfall Shower Head 25 cm is a reliable choice for a daily rinse. Its "
             "chrome finish cleans easily. A reliable choice for a daily rinse.")
    assert REPETITIVE in score_text(twice, None, bounds=BOUNDS, cfg=CFG, inputs=inputs).reject_reasons
    # The same group once, and the product's whole name twice, are no loop.
    named = ("The Calder Rainfall Shower Head 25 cm has a chrome finish. Fit the Calder Rainfall "
             "Shower Head 25 cm in minutes; it is a reliable choice for a daily rinse.")
    assert REPETITIVE not in score_text(named, None, bounds=BOUNDS, cfg=CFG, inputs=inputs).reject_reasons
    # Five words twice is what people write ("looking to make a purchase").
    five = "A reliable choice for rinsing. The finish is chrome, a reliable choice for rinsing."
    assert REPETITIVE not in score_text(five, None, bounds=BOUNDS, cfg=CFG, inputs=inputs).reject_reasons


def test_a_phrase_joined_to_itself_is_repetitive():
    from enrich.quality.form import joined_to_itself

    assert joined_to_itself("praise for the build quality and build quality".split())
    assert joined_to_itself("a 1200 w motor and a 1200 w motor".split())
    assert not joined_to_itself("it gets better again and again".split())
    assert not joined_to_itself("the jar and the lid".split())
    text = "Buyers like this chair. Praise focuses on the build quality and build quality."
    assert "repetitive" in score_text(text, None, bounds=BOUNDS, cfg=CFG).reject_reasons
