"""Faithfulness of review summaries: sentiment against the ratings, aspects against the reviews.

Sentiment is VADER's compound score of the summary, in [-1, 1]. The ratings speak through their
polarity ``(mean_rating - 3) / 2``, also in [-1, 1]. They disagree when the two have opposite
signs and both are clearly away from neutral (sentiment beyond ``sentiment_margin``, polarity
beyond ``rating_margin``); ``agreement`` is ``1 - |sentiment - polarity| / 2``.

An aspect (battery, price, shipping, ...) the summary talks about is unsupported when none of its
words occurs in any review the prompt showed.

Example:
    >>> f = check_faithfulness("Great sound, and the battery lasts.",
    ...                        ScoreInputs(reviews=("Great sound.",), mean_rating=4.5),
    ...                        sentiment_margin=0.5, rating_margin=0.5)
    >>> f.unsupported_aspects, f.mismatch
    (['battery'], False)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from enrich.quality.inputs import ScoreInputs
from enrich.quality.text import words

# Aspect -> the word stems that talk about it (a word matches a stem it starts with).
# Stems are broad on purpose: a review that talks about the aspect in other words supports it.
ASPECTS: dict[str, tuple[str, ...]] = {
    "battery": ("batter", "recharg"),
    "shipping": ("ship", "deliver", "arriv", "came", "mail", "order"),
    "packaging": ("packag", "box", "wrap"),
    "warranty": ("warrant", "guarantee", "return", "replace", "refund"),
    "smell": ("smell", "scent", "odor", "odour", "fragran", "aroma", "stink"),
    "sound": ("sound", "audio", "speaker", "noise", "noisy", "loud", "quiet"),
    "screen": ("screen", "display", "monitor"),
    "wifi": ("wifi", "wi-fi", "bluetooth", "wireless", "internet"),
    "parking": ("parking", "park", "garage", "valet"),
    "assembly": ("assembl", "install", "set up", "setup"),
    "water resistance": ("waterproof", "water resistan", "water-resistan"),
    "charger": ("charg", "cable", "adapter", "plug", "cord"),
    "allergy": ("allerg", "gluten"),
}
# The same stems as they occur in words joined by single spaces: " stem" at a word's start.
_WORD_STARTS = {aspect: tuple(f" {stem}" for stem in stems) for aspect, stems in ASPECTS.items()}


@dataclass(frozen=True)
class Faithfulness:
    """A summary's sentiment against the ratings, and its unsupported aspects."""

    sentiment: float | None = None
    agreement: float | None = None
    mismatch: bool = False
    unsupported_aspects: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> float:
    """VADER's compound sentiment of ``text`` in [-1, 1]."""
    return float(_vader().polarity_scores(text)["compound"])


def aspects(text: str) -> set[str]:
    """The aspects of :data:`ASPECTS` that ``text`` talks about."""
    # Words joined by single spaces after a leading one: " stem" occurs exactly where a word
    # starts with the stem (a stem of several words: where those words follow each other).
    joined = " " + " ".join(words(text))
    return {
        aspect for aspect, stems in _WORD_STARTS.items() if any(s in joined for s in stems)
    }


def check_faithfulness(
    text: str, inputs: ScoreInputs, *, sentiment_margin: float, rating_margin: float
) -> Faithfulness:
    """Check a summary against its reviews and mean rating.

    Args:
        text: a generated summary.
        inputs: the reviews the prompt showed and the product's mean rating.
        sentiment_margin: how far from neutral the summary's sentiment must be to disagree.
        rating_margin: how far from neutral the rating polarity must be to disagree.

    Returns:
        Sentiment, agreement with the ratings (None without a rating), whether they disagree, and
        the aspects no review mentions.
    """
    score = sentiment(text)
    agreement, mismatch = None, False
    if inputs.mean_rating is not None:
        polarity = max(-1.0, min(1.0, (float(inputs.mean_rating) - 3.0) / 2.0))
        agreement = round(1.0 - abs(score - polarity) / 2.0, 4)
        mismatch = (
            score * polarity < 0 and abs(score) > sentiment_margin and abs(polarity) > rating_margin
        )
    reviewed = aspects(" ".join(inputs.reviews))
    unsupported = sorted(aspects(text) - reviewed) if inputs.reviews else []
    return Faithfulness(round(score, 4), agreement, mismatch, unsupported)
