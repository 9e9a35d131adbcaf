"""Faithfulness of review summaries: sentiment against the ratings, aspects against the reviews.

The ratings speak through their polarity ``(mean_rating - 3) / 2``, in [-1, 1]. A summary
contradicts them in either of two ways, each read with VADER:

- **as a whole**: the ratings lean one way (polarity beyond ``rating_margin``) and VADER's
  compound of the whole summary lies beyond ``sentiment_margin`` on the other side of neutral.
  One compound of a whole text saturates: it reads a summary that says the opposite throughout
  firmly, but a mixed one ("lovely, elegant design; broke in a week, awful zip, not
  recommended") as praise;
- **sentence by sentence, against its reviews**: the ratings lean one way (polarity beyond
  ``review_rating_margin``), and the summary's sentence sentiment (the mean compound of its
  sentences that carry any, beyond VADER's neutral band ``NEUTRAL``) is on the other side of
  neutral and more than ``sentiment_margin`` below that of the reviews it summarises, scored the
  same way. Each sentence counts once, so a verdict is not outweighed by a long run of mild
  words, and neutral sentences ("It comes in six colours") do not dilute it. Read against its
  reviews' own text, VADER's leanings on a product's vocabulary (words it does not know or
  scores oddly, in reviews and summary alike) cancel out; where the reviews' text does not lean
  the ratings' way, the distance is from neutral.

``sentiment`` is the sentence sentiment; ``agreement`` is ``1 - |sentiment - polarity| / 2``.

An aspect (battery, price, shipping, ...) the summary talks about is unsupported when none of its
words occurs in any review the prompt showed.

Example:
    >>> f = check_faithfulness("Great sound, and the battery lasts.",
    ...                        ScoreInputs(reviews=("Great sound.",), mean_rating=4.5),
    ...                        sentiment_margin=0.5, rating_margin=0.5, review_rating_margin=0.25)
    >>> f.unsupported_aspects, f.mismatch
    (['battery'], False)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from enrich.quality.inputs import ScoreInputs
from enrich.quality.text import sentences, words

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


# VADER's neutral band: a compound within it carries no sentiment.
NEUTRAL = 0.05


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def compound(text: str) -> float:
    """VADER's compound sentiment of the whole of ``text`` in [-1, 1]."""
    return float(_vader().polarity_scores(text)["compound"])


def sentiment(*texts: str) -> float:
    """The sentence sentiment of ``texts``: the mean VADER compound of their sentences that carry
    any, in [-1, 1] (0.0 when none does; see the module docstring).

    Example:
        >>> sentiment("Great looks. But it broke in a week and the zip is awful. Not recommended.") < 0
        True
    """
    scores = [compound(s) for text in texts for s in sentences(text)]
    carrying = [score for score in scores if abs(score) > NEUTRAL]
    return sum(carrying) / len(carrying) if carrying else 0.0


def aspects(text: str) -> set[str]:
    """The aspects of :data:`ASPECTS` that ``text`` talks about."""
    # Words joined by single spaces after a leading one: " stem" occurs exactly where a word
    # starts with the stem (a stem of several words: where those words follow each other).
    joined = " " + " ".join(words(text))
    return {
        aspect for aspect, stems in _WORD_STARTS.items() if any(s in joined for s in stems)
    }


def check_faithfulness(
    text: str,
    inputs: ScoreInputs,
    *,
    sentiment_margin: float,
    rating_margin: float,
    review_rating_margin: float,
) -> Faithfulness:
    """Check a summary against its reviews and mean rating.

    Args:
        text: a generated summary.
        inputs: the reviews the prompt showed and the product's mean rating.
        sentiment_margin: how far the summary's sentiment must lie on the other side of neutral
            from the ratings (as a whole), or below its reviews' (sentence by sentence).
        rating_margin: how far from neutral the rating polarity must be for the whole summary
            to disagree.
        review_rating_margin: how far from neutral the rating polarity must be for the summary
            to be read sentence by sentence against its reviews.

    Returns:
        Sentiment, agreement with the ratings (None without a rating), whether they disagree, and
        the aspects no review mentions.
    """
    score = sentiment(text)
    agreement, mismatch = None, False
    if inputs.mean_rating is not None:
        polarity = max(-1.0, min(1.0, (float(inputs.mean_rating) - 3.0) / 2.0))
        agreement = round(1.0 - abs(score - polarity) / 2.0, 4)
        side = 1.0 if polarity > 0 else -1.0
        if abs(polarity) > rating_margin:
            mismatch = compound(text) * side < -sentiment_margin
        if not mismatch and score * side < 0 and abs(polarity) > review_rating_margin:
            # How far the reviews' own text leans the ratings' way; not at all where it does not.
            reviews = max(0.0, sentiment(*inputs.reviews) * side)
            mismatch = reviews - score * side > sentiment_margin
    reviewed = aspects(" ".join(inputs.reviews))
    unsupported = sorted(aspects(text) - reviewed) if inputs.reviews else []
    return Faithfulness(round(score, 4), agreement, mismatch, unsupported)
