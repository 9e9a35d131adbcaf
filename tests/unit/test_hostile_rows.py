"""The gate on hostile rows: random keys, values and texts of any script and symbol, empty and
missing fields, odd log-probabilities. Every row gets a status; none raises (a raise would turn
the row into a failed one, and was how a key of symbols alone once failed its rows).

Seeded, so a failure reproduces; the seed and the row are in the message.
"""

from __future__ import annotations

import random
import string

import pytest

from enrich.config import QualityConfig
from enrich.quality import ScoreInputs, score_text
from enrich.quality.ads import SearchAd
from enrich.quality.domains import AttributeDomains
from enrich.quality.gate import score_ad
from enrich.schemas import STATUSES

CFG = QualityConfig()
ALPHABET = (string.printable + "éüßçñ中文日本語한국어العربية🙂🔥™®©°±×÷–—…‘’“”•→★✓"
            + "\u200b\u00a0\t\n")
WORDS = ("the a and with for of in on is it comes suitable made hand included free organic best "
         "100% £5 #1 red blue steel oak cm kg ml 3 4.5 x - , . ! ? : ; ( ) ' \" / & @").split()


def _row(rng: random.Random):
    def junk(n):
        return "".join(rng.choice(ALPHABET) for _ in range(n))

    def wordy(n):
        return " ".join(rng.choice([*WORDS, junk(rng.randint(1, 8))]) for _ in range(n))

    attributes = {
        rng.choice([wordy(2), junk(5), "", " ", "colour", "material", "x" * 200,
                    "".join(rng.choice("–+_ ×!#/") for _ in range(4))]):
            rng.choice([wordy(3), junk(10), "", "yes", "no", "12 cm", "red, blue", "n/a", "-1", "∞"])
        for _ in range(rng.randint(0, 8))
    }
    inputs = ScoreInputs(
        title=rng.choice([None, "", wordy(4), junk(30)]),
        brand=rng.choice([None, "", wordy(1), junk(5)]),
        category=rng.choice([None, wordy(2)]),
        attributes=attributes,
        reviews=tuple(wordy(rng.randint(0, 30)) for _ in range(rng.randint(0, 3))),
        mean_rating=rng.choice([None, 1.0, 3.0, 5.0, 4.4]),
    )
    text = rng.choice([wordy(rng.randint(0, 60)), junk(rng.randint(0, 300)), ""])
    ad = SearchAd(
        headlines=tuple(wordy(rng.randint(0, 6)) for _ in range(rng.randint(0, 16))),
        descriptions=tuple(wordy(rng.randint(0, 15)) for _ in range(rng.randint(0, 5))),
        path1=rng.choice(["", wordy(1)]), path2=rng.choice(["", wordy(1)]),
    )
    return inputs, text, ad


@pytest.mark.parametrize("seed", range(4))
def test_every_hostile_row_gets_a_status(seed):
    rng = random.Random(seed)
    for trial in range(150):
        inputs, text, ad = _row(rng)
        domains = AttributeDomains.learn(
            list(inputs.attributes.items()), brands=[inputs.brand], titles=[inputs.title]
        )
        where = f"seed {seed}, trial {trial}: {text!r:.200} {inputs.attributes}"
        scores = score_text(
            text, rng.choice([None, [], ["a red oak table"]]), bounds=(3, 80), cfg=CFG,
            inputs=inputs, mean_logprob=rng.choice([None, -0.5, float("nan"), -50.0]),
            stopped_at_limit=rng.choice([None, True, False]), domains=domains,
        )
        assert scores.status in STATUSES, where
        ad_scores, _ = score_ad(ad, cfg=CFG, inputs=inputs, domains=domains)
        assert ad_scores.status in STATUSES, where
