"""The wrong kind of text: a reply, an apology or assistant talk where a product text belongs."""

import csv
from pathlib import Path

import pytest

from enrich.config import QualityConfig
from enrich.quality import ScoreInputs, score_text
from enrich.quality.form import reply_marks
from enrich.quality.reasons import FAMILIES, OFF_TASK
from enrich.schemas import ACCEPTED

DATA = Path(__file__).resolve().parents[1] / "data"
CFG = QualityConfig()
REVIEWS = ScoreInputs(title="Item", reviews=("Good value.", "Works well."), mean_rating=4.0)


@pytest.mark.parametrize(
    "text,marks",
    [
        ("I apologize for any inconvenience caused due to the poor design of the bag.",
         ["first person", "speech act"]),
        ("Thank you for your feedback! We're glad you enjoyed the pasta.",
         ["first person", "speech act"]),
        ("Here is a summary of the reviews: the kettle boils quickly but leaks.", ["talk about itself"]),
        ("Based on the reviews provided, the shoes run small and the soles wear fast.",
         ["talk about itself"]),
        ("Would you like me to summarize more reviews?", ["first person", "question"]),
        ("The headphones sound great. Let me know if you need anything else.",
         ["first person", "speech act"]),
        ("Sure! The serum absorbs quickly and smells of roses.", ["answer opening"]),
        ("We are sorry to hear that the strap broke after a week.", ["first person", "speech act"]),
        ("Overall, the reviews you shared say the tent is easy to pitch.", ["talk about itself"]),
        ("Customers like the blender, but is it worth the price?", ["question"]),
        ("This summary covers what buyers said about the mattress.", ["talk about itself"]),
        ("Welcome to The Wrestlers, where our chefs serve English food by the river.", ["first person"]),
        ("Feel free to reach out about your order of the garden hose.", ["speech act"]),
        ("Is your dog a fussy eater? Would you like to know more about the kibble size",
         ["question"]),
        # Judgements of the reviews themselves, not of the product.
        ("These reviews are short and mostly complaints, so they may not be a reliable guide.",
         ["talk about itself"]),
        ("The reviews for this chair are brief, so it is hard to draw firm conclusions.",
         ["talk about itself"]),
    ],
)
def test_replies_and_assistant_talk_are_off_task(text, marks):
    assert reply_marks(text) == marks
    scores = score_text(text, None, bounds=(3, 80), cfg=CFG, inputs=REVIEWS)
    assert OFF_TASK in scores.reject_reasons and scores.status != ACCEPTED


@pytest.mark.parametrize(
    "text",
    [
        "Reviewers say the kettle boils fast; customers like the handle but reviews are mixed on noise.",
        "Most buyers find the shoes run small, and the item matches the description.",
        'One reviewer wrote "I sent mine back", but most kept theirs.',  # quoted speech
        "The café serves Italian food near the river and is rated 5 out of 5 by customers.",
        "A lightweight tent that is easy to pitch; it keeps you dry and fits in your pack.",
        "Made in the US from recycled steel.",
        "It is rated 3 our of 5 by diners.",  # a typo of "out", not "our"
        # A question the copy opens with and answers.
        "Small room, big workload? The Hedda Nook is a compact desk chair that tucks away.",
    ],
)
def test_product_texts_about_reviewers_and_customers_are_not_off_task(text):
    assert reply_marks(text) == []


def _human_texts() -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for source in ("amazon", "yelp"):
        for split in ("train", "val"):
            with (DATA / "fewsum" / source / f"{split}.tsv").open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle, delimiter="\t"):
                    texts.setdefault(f"fewsum {source}", []).extend(row[f"summ{i}"] for i in (1, 2, 3))
    with (DATA / "e2e" / "devel.csv").open(encoding="utf-8") as handle:
        texts["e2e"] = [row["ref"] for row in csv.DictReader(handle)]
    return texts


def test_good_human_summaries_and_descriptions_are_not_off_task():
    for domain, texts in _human_texts().items():
        flagged = [t for t in texts if reply_marks(t)]
        # The few flagged human texts are written as the seller ("We are a family friendly
        # coffee shop", "I'd recommend this handle"), which the check is meant to find.
        assert len(flagged) <= 0.02 * len(texts), (domain, len(flagged), flagged[:5])
    summaries = _human_texts()["fewsum yelp"] + _human_texts()["fewsum amazon"]
    assert len(summaries) >= 300
    assert sum(bool(reply_marks(t)) for t in summaries) <= 1


def test_off_task_is_a_form_reason_and_a_check_that_can_be_switched_off():
    assert FAMILIES[OFF_TASK] == "form"
    text = "Thank you for your feedback on the kettle."
    checks = ["length", "safety"]
    assert OFF_TASK not in score_text(text, None, bounds=(3, 80), cfg=CFG, checks=checks).reject_reasons


def test_a_names_letter_before_a_hyphen_is_no_first_person():
    assert reply_marks("An i-Size seat on an I-beam frame.") == []
    assert reply_marks("I love this seat.") == ["first person"]
