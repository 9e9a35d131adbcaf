"""Faithfulness of review summaries: sentiment against the ratings, aspects against the reviews.

The ratings speak through their polarity ``(mean_rating - 3) / 2``, in [-1, 1]. A summary
contradicts them in either of two ways, each read with VADER (its lexicon with the words buyers
judge products with that it lacks, :mod:`enrich.quality.review_lexicon`):

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

Both read only the summary's majority clauses (:func:`majority_clauses`): what it says "a few"
or "two reviewers" think is not the reviews' verdict, however strongly it is put.

A summary also contradicts itself, ratings or none, where a sentence says reviewers praise an
aspect it calls bad or complain of one it calls good (:func:`praised_against_itself`); that is a
mismatch too.

``sentiment`` is the sentence sentiment; ``agreement`` is ``1 - |sentiment - polarity| / 2``.

An aspect the summary says reviewers praise or criticise is unsupported when the reviews the
prompt showed and the product's own fields do not talk about it, for any aspect:

- **what reviewers are said to single out**: in a sentence that talks about reviews (a word of
  :data:`ATTRIBUTION_WORDS`: "reviewers", "buyers", "praise", "feedback", "complaints",
  "singled out" ...), each definite noun phrase ("the taste and grip", "its build
  quality": a run of words after "the", "its" or "their", split at "and" and "or") names an
  aspect. It is supported when one of its content words has its stem (:func:`stem`: plural,
  spelling and derivation, "durability" as "durable") in the reviews or the product's fields.
  Function words, evaluative words (VADER's lexicon: "weak", "comfortable", "love") and the
  words of talking about reviews are not content words: they say how, not what. A definite noun
  phrase presupposes what it names, and in such a sentence it names what the reviews are said to
  say; an abstractive summary's own words elsewhere ("a durable, versatile bag") are not read as
  claims about the reviews;
- **the aspects of** :data:`ASPECTS` (battery, shipping, ...) in any sentence, in any form
  ("Shipping was quick", "a pleasant smell"). A summary names such an aspect by the stems its
  own name starts with ("ship" for shipping); a review talks about it in any of its words
  ("arrived", "delivered"), and so supports a phrase of the first kind that names it ("the
  shipping speed" where a review says the charger arrived quickly). Other words are evidence in a
  review, not a claim in a summary: a summary's "orders" or "guaranteed" says nothing of
  shipping or a warranty.

There is no synonymy: no library the project depends on ships a thesaurus (NLTK's WordNet needs
a corpus download), so a summary that calls the reviews' "employees" its "staff" is flagged.

Example:
    >>> f = check_faithfulness("Great sound, and the battery lasts.",
    ...                        ScoreInputs(reviews=("Great sound.",), mean_rating=4.5),
    ...                        sentiment_margin=0.5, rating_margin=0.5, review_rating_margin=0.25)
    >>> f.unsupported_aspects, f.mismatch
    (['battery'], False)
    >>> check_faithfulness("Buyers like this cup. Praise focuses on the taste and glaze.",
    ...                    ScoreInputs(reviews=("Lovely glaze.", "Pours well.")),
    ...                    sentiment_margin=0.5, rating_margin=0.5,
    ...                    review_rating_margin=0.25).unsupported_aspects
    ['taste']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from enrich.quality.domains import normalise_word
from enrich.quality.form import FUNCTION_WORDS
from enrich.quality.inputs import ScoreInputs
from enrich.quality.review_lexicon import PRODUCT_VALENCE
from enrich.quality.text import sentences, split_key, words

# Aspect -> the word stems that talk about it (a word matches a stem it starts with).
# Stems are broad on purpose: a review that talks about the aspect in other words supports it.
ASPECTS: dict[str, tuple[str, ...]] = {
    "battery": ("batter", "recharg"),
    "shipping": ("ship", "deliver", "arriv", "came", "mail", "order"),
    "packaging": ("packag", "box", "wrap"),
    "warranty": ("warrant", "guarantee", "return", "replace", "refund"),
    "smell": ("smell", "scent", "odor", "odour", "fragran", "aroma", "stink"),
    "sound": (
        "sound", "audio", "speaker", "noise", "noisy", "loud", "quiet", "vocal", "treble",
    ),
    "screen": ("screen", "display", "monitor"),
    "wifi": ("wifi", "wi-fi", "bluetooth", "wireless", "internet"),
    "parking": ("parking", "park", "garage", "valet"),
    "assembly": ("assembl", "install", "set up", "setup"),
    "water resistance": ("waterproof", "water resistan", "water-resistan"),
    "charger": ("charg", "cable", "adapter", "plug", "cord"),
    "allergy": ("allerg", "gluten"),
    "noise": (
        "noise", "noisy", "loud", "quiet", "silent", "sound", "hum", "rattl", "whin", "decibel",
    ),
}
# The same stems as they occur in words joined by single spaces: " stem" at a word's start.
_WORD_STARTS = {aspect: tuple(f" {stem}" for stem in stems) for aspect, stems in ASPECTS.items()}
# The stems that name each aspect: those its own name starts with ("ship" for shipping, not
# "order"; "water resistan" for water resistance), or the words that say how much of it there is
# ("quiet" and "loud" name the noise).
_NAMED_BY = {"noise": ("noise", "noisy", "loud", "quiet", "silent")}
_NAME_STARTS = {
    aspect: tuple(
        f" {stem}" for stem in _NAMED_BY.get(aspect, stems)
        if aspect in _NAMED_BY
        or aspect.replace(" ", "").startswith(stem.replace(" ", "").replace("-", ""))
    )
    for aspect, stems in ASPECTS.items()
}


# Words of praise and of complaint, and of a contrast between them (see
# :func:`praised_against_itself`).
_PRAISE_WORDS = frozenset("praise praised praises praising".split())
_COMPLAINT_WORDS = frozenset(
    "complaint complaints complain complained complaining criticism criticisms criticise "
    "criticised criticize criticized".split()
)
_CONTRAST_WORDS = frozenset("but while whereas although though however yet despite".split())
# The closed vocabulary of talking about reviews rather than the product: who reviewed and what
# they did. A sentence with one of these says what the reviews say. Customers, users and
# shoppers are not here: a shop or a restaurant serves them ("rude to the customers", "customer
# service"), so they are what many reviews talk about, not who wrote them.
_REVIEWERS = frozenset("reviewer reviewers buyer buyers purchasers owners".split())
ATTRIBUTION_WORDS = _PRAISE_WORDS | _COMPLAINT_WORDS | _REVIEWERS | frozenset(
    "review reviews reviewed feedback mentioned singled opinion opinions".split()
)
# What marks a clause as a minority's view (see :func:`majority_clauses`). Not "few" alone:
# "few reviewers liked it" is the majority's verdict.
_MINORITY_WORDS = frozenset(
    "some minor occasional occasionally isolated rare rarely minority handful".split()
)
_MINORITY_PAIRS = frozenset({
    ("a", "few"), ("a", "couple"), ("not", "everyone"), ("not", "all"), ("one", "of"),
    ("only", "one"), ("a", "minority"), ("a", "handful"),
})
_SMALL_NUMBERS = frozenset("one two three four five several".split())
_PEOPLE = frozenset("people customers users owners shoppers readers parents".split())
# Where a sentence's clauses part: a semicolon and the contrast words.
_CLAUSE_BREAK = re.compile(r";|\b(?:but|while|whereas|although|though|however|yet)\b", re.I)
# Where a definite noun phrase ends whatever its words (see :func:`attributed_phrases`).
_PHRASE_BREAK = re.compile(r"[,;:()]")
# Words that start a definite noun phrase: what follows is presupposed to be known.
_DEFINITE = frozenset({"the", "its", "their"})
# Closed classes that FUNCTION_WORDS leaves out (pronouns, demonstratives, quantifiers and
# degree words), the nouns that name the product itself, its maker or the people it serves,
# and the verbs of reporting an opinion: none of them names an aspect.
NOT_CONTENT_WORDS = frozenset(
    "it it's this these those them their theirs his her him i me my you your our us one ones "
    "all some any each both either neither other others own no none more most mostly less "
    "least much many few several lot lots also just even still too really very only then there "
    "here everything something anything nothing everyone anyone someone product products item "
    "items thing things maker makers manufacturer manufacturers brand brands company seller "
    "sellers customer customers user users shopper shoppers how point points "
    # the good and bad points as such, and how they rank: "the main drawbacks", "the positives"
    "positives negatives pluses minuses drawback drawbacks downside downsides gripe gripes "
    "highlight highlights main biggest chief "
    # what reviewers do with an aspect ("... and find them comfortable"): a verb, not an
    # aspect. Not those that are also an aspect's noun: the feel, the notes, calls, a report.
    "say says said find finds found noted reported felt think thinks thought agree agrees "
    "get gets got receive receives received earn earns earned draw draws drew "
    "agreed called describe describes described consider considers considered".split()
)
# Longer words are stemmed as they are: no English word is, and a stemmer on a hostile
# million-character token would be slow for nothing.
MAX_STEMMED_CHARS = 32


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
    """VADER's scorer, its lexicon with the words buyers judge products with
    (:data:`enrich.quality.review_lexicon.PRODUCT_VALENCE`)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(PRODUCT_VALENCE)
    return analyzer


def evaluative(word: str) -> bool:
    """Whether VADER's lexicon scores a lower-cased word ("comfort", "sturdy")."""
    return word in _vader().lexicon


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


def majority_clauses(text: str) -> list[str]:
    """A summary's clauses without those that say what only some reviewers think.

    A summary reports the reviews' verdict and, apart, a minority's ("Minor complaints: the
    price", "a few found it loud", "not everyone agrees: two reviewers ..."). A clause (a
    sentence split at ";" and the contrast words "but", "while", ...) with a word of such a
    minority (:func:`speaks_for_a_minority`) does not say which way the reviews lean, so it is
    left out of the sentiment read against the ratings.

    Example:
        >>> majority_clauses("A handy clipboard. Minor complaints: the price and a poor fit.")
        ['A handy clipboard.']
        >>> majority_clauses("Some buyers like it, but most say it broke in a week.")
        ['most say it broke in a week.']
    """
    kept = []
    for sentence in sentences(text):
        clauses = [c.strip() for c in _CLAUSE_BREAK.split(sentence) if c and c.strip()]
        kept += [
            c if c[-1] in ".!?" else c + "."
            for c in clauses
            if not speaks_for_a_minority(words(c))
        ]
    return kept


def speaks_for_a_minority(tokens: list[str]) -> bool:
    """Whether a clause's words say it reports a minority of the reviews: "a few", "a couple",
    "some", "minor", "occasional", "not everyone", "one of", a number of reviewers ("two
    buyers", "one satisfied buyer") ..."""
    pairs = set(zip(tokens, tokens[1:]))
    if pairs & _MINORITY_PAIRS or set(tokens) & _MINORITY_WORDS:
        return True
    # A number of people, maybe with one word between: "two buyers", "one satisfied buyer";
    # not a number before praise or complaints ("the Hybrid 25, with complaints about ...").
    people = _REVIEWERS | _PEOPLE
    return any(
        (a.isdigit() or a in _SMALL_NUMBERS) and (b in people or c in people)
        for a, b, c in zip(tokens, tokens[1:], [*tokens[2:], ""])
    )


@lru_cache(maxsize=1)
def _porter():
    # NLTK comes with rouge-score, whose ROUGE already stems with the same Porter stemmer.
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


# Irregular past forms of verbs that reviews use of products, as their base form: "well built"
# talks about the build, "wore through" about the wear. Not "felt": reviewers "felt" is talk
# about the reviews, "the feel" an aspect.
_IRREGULAR = {
    "built": "build", "made": "make", "broke": "break", "broken": "break", "wore": "wear",
    "worn": "wear", "held": "hold", "kept": "keep", "fell": "fall",
    "fallen": "fall", "tore": "tear", "torn": "tear", "bent": "bend", "shrank": "shrink",
    "shrunk": "shrink", "sold": "sell", "bought": "buy", "took": "take",
    "taken": "take", "ran": "run", "stuck": "stick", "spun": "spin", "lit": "light",
}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word's stem for matching aspects: without a possessive, through
    :func:`enrich.quality.domains.normalise_word` (singular, American spelling), then Porter's stemmer (derivations: ``durability`` and
    ``durable`` -> ``durabl``).

    Example:
        >>> stem("Durability") == stem("durable"), stem("Colours") == stem("color")
        (True, True)
    """
    word = normalise_word(word.removesuffix("'s").removesuffix("’s"))  # "the maker's"
    word = _IRREGULAR.get(word, word)
    return _porter().stem(word) if len(word) <= MAX_STEMMED_CHARS else word


def shares_a_root(word: str, other: str) -> bool:
    """Whether two lower-cased words are one word and a compound or longer form of it that
    Porter's stemmer keeps apart: ``clean`` in ``cleanup``, ``store`` in ``storage``, ``price`` in
    ``overpriced``. The shorter, without a final "e", must begin the longer, or follow one of
    :data:`_PREFIXES` there, and keep at least four letters.

    Example:
        >>> shares_a_root("cleanup", "clean"), shares_a_root("storage", "store")
        (True, True)
        >>> shares_a_root("overpriced", "price"), shares_a_root("unreliable", "reliable")
        (True, True)
        >>> shares_a_root("charger", "charm"), shares_a_root("lid", "lids")
        (False, False)
    """
    short, long = sorted((word, other), key=len)
    short = short.removesuffix("e")
    if len(short) < 4 or short == long:
        return False
    return long.startswith(short) or any(long.startswith(p + short) for p in _PREFIXES)


# Prefixes that make a word of another without changing what it is about ("overpriced").
_PREFIXES = ("over", "under", "non", "un", "re", "pre", "out", "mis")


@lru_cache(maxsize=1)
def _not_content_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in ATTRIBUTION_WORDS | NOT_CONTENT_WORDS)


def content_words(phrase: list[str]) -> list[str]:
    """The words of ``phrase`` (lower-cased) that say what, not how: no function word, no word
    of VADER's lexicon, no word of talking about reviews or of naming the product itself."""
    lexicon = _vader().lexicon
    closed = _not_content_stems()
    return [
        w for w in phrase
        if w not in FUNCTION_WORDS and w not in lexicon and not w.isdigit()
        and w not in NOT_CONTENT_WORDS and stem(w) not in closed
    ]


def _definite_phrases(tokens: list[str]) -> list[list[str]]:
    """The definite noun phrases of one sentence's words (see :func:`attributed_phrases`)."""
    phrases: list[list[str]] = []
    current: list[str] | None = None  # None: outside a definite noun phrase
    conjunct = False  # whether the current phrase follows "and" or "or"
    for w in tokens:
        if current and (w in _DEFINITE or w in ("and", "or")):
            phrases.append(current)  # the phrase ends; a conjunct or another one starts
            current, conjunct = [], w not in _DEFINITE
        elif w in _DEFINITE:
            current, conjunct = [], False
        elif current is None or w in ("and", "or"):
            continue
        elif w in ATTRIBUTION_WORDS and w.endswith("ed"):
            # A participle of talking about reviews follows the phrase: "the crust and cleanup
            # singled out for praise", "the price mentioned most".
            if current:
                phrases.append(current)
            current = None
        elif w in FUNCTION_WORDS or w in NOT_CONTENT_WORDS:
            # A conjunct before "to" is a predicate, no phrase: "slow to lose its smell and
            # quick to develop a dent".
            if current and not (conjunct and w == "to"):
                phrases.append(current)
            current = None
        else:
            current.append(w)
    if current:
        phrases.append(current)
    return phrases


def attributed_phrases(text: str) -> list[list[str]]:
    """The definite noun phrases of ``text``'s sentences that talk about reviews (see the module
    docstring), each as its words.

    Example:
        >>> attributed_phrases("Buyers like it. Praise focuses on the build quality and lid.")
        [['build', 'quality'], ['lid']]
    """
    phrases: list[list[str]] = []
    for sentence in sentences(text):
        if any(w in ATTRIBUTION_WORDS for w in words(sentence)):
            # A phrase ends at a comma: what follows ("the Wi-Fi, stops responding or switches
            # by itself") is another clause more often than another conjunct of the phrase.
            for piece in _PHRASE_BREAK.split(sentence):
                phrases += _definite_phrases(words(piece))
    return phrases


def praised_against_itself(text: str) -> bool:
    """Whether a clause of ``text`` (a sentence, split at semicolons) says reviewers praise an
    aspect that it calls bad, or complain of one it calls good: the clause talks of praise and not
    of complaints (or the other way round), draws no contrast ("but", "while", ...), and a definite
    noun phrase in it holds a word VADER scores clearly the other way ("the weak sound quality ...
    singled out for praise", "the jar leak singled out for praise"; not "the top rack", nor "the
    ice crushing singled out for praise", whose head is a function's name, nor "Complaints cover
    a poor microphone; the battery and the colour are the main positives").

    Example:
        >>> praised_against_itself("Feedback is mostly negative, with the weak sound singled "
        ...                        "out for praise.")
        True
    """
    lexicon = _vader().lexicon
    for clause in (c for sentence in sentences(text) for c in sentence.split(";")):
        tokens = words(clause)
        praise = any(w in _PRAISE_WORDS for w in tokens)
        complaint = any(w in _COMPLAINT_WORDS for w in tokens)
        if praise == complaint or any(w in _CONTRAST_WORDS for w in tokens):
            continue
        side = 1.0 if praise else -1.0
        # A bad thing the product relieves or lacks is praise: "eased their lower back pain",
        # "the lack of caffeine".
        relieved = {
            w for k, r in enumerate(tokens) if r in _RELIEF_WORDS
            for w in tokens[k : k + 1 + _RELIEF_REACH]
        }
        if any(
            lexicon.get(w, 0.0) * side <= -_CLEAR_VALENCE and w not in relieved
            for phrase in _definite_phrases(tokens) for w in _judging_words(phrase)
        ):
            return True
    return False


def _judging_words(phrase: list[str]) -> list[str]:
    """The words of a noun phrase that may call its aspect good or bad: its modifiers, and its
    head unless that names what the product does ("ice crushing", "cleaning")."""
    return phrase if not phrase[-1].endswith("ing") else phrase[:-1]


# How far a word's VADER valence must be from neutral to call an aspect good or bad: not the
# mild words that name a place or a degree ("the top rack", VADER's "top" is 0.8).
_CLEAR_VALENCE = 1.0


# Words that turn the bad thing after them into good: what the product relieves or lacks.
_RELIEF_WORDS = frozenset(
    "ease eased eases relieve relieved relieves reduce reduced reduces prevent prevented "
    "prevents lack lacks lacking without fewer less".split()
)
_RELIEF_REACH = 4


def unsupported_phrases(text: str, support: str) -> list[str]:
    """The phrases of :func:`attributed_phrases` that ``support`` (the reviews and the product's
    fields) does not talk about: none of their content words nor their last word (the head noun)
    has its stem in it or shares a root with one of its words (:func:`shares_a_root`), and none
    of their words talks about an aspect of :data:`ASPECTS` that it talks about. Each as written,
    lower-cased."""
    support_words = {normalise_word(w) for w in words(support)}
    supported = {stem(w) for w in support_words}
    talked_about = aspects(support)
    found = []
    for phrase in attributed_phrases(text):
        said = content_words(phrase)
        # "the main complaints", "the most common praise": talk about the reviews, no aspect.
        if not said or ATTRIBUTION_WORDS & set(phrase):
            continue
        # The phrase's last word is its head, the aspect itself, even where VADER scores it:
        # "the snug fit" talks about the fit that a review says "they fit like slippers" of.
        said = [*said, phrase[-1]]
        if any(
            stem(w) in supported or any(shares_a_root(normalise_word(w), s) for s in support_words)
            for w in said
        ):
            continue
        # The phrase talks about an aspect the support talks about ("the noise level", "quiet").
        if not aspects(" ".join(phrase)) & talked_about:
            found.append(" ".join(phrase))
    return found


def _matching(text: str, starts: dict[str, tuple[str, ...]]) -> set[str]:
    # Words joined by single spaces after a leading one: " stem" occurs exactly where a word
    # starts with the stem (a stem of several words: where those words follow each other).
    joined = " " + " ".join(words(text))
    return {aspect for aspect, stems in starts.items() if any(s in joined for s in stems)}


def aspects(text: str) -> set[str]:
    """The aspects of :data:`ASPECTS` that ``text`` talks about, in any of their words (a
    review's evidence)."""
    return _matching(text, _WORD_STARTS)


def named_aspects(text: str) -> set[str]:
    """The aspects of :data:`ASPECTS` that ``text`` names by their own name's stems (a summary's
    claim).

    Example:
        >>> sorted(named_aspects("Shipping was quick; online orders arrive cold."))
        ['shipping']
    """
    return _matching(text, _NAME_STARTS)


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
    majority = majority_clauses(text)
    verdict = sentiment(*majority) if majority else 0.0  # what the ratings are read against
    agreement, mismatch = None, False
    if inputs.mean_rating is not None:
        polarity = max(-1.0, min(1.0, (float(inputs.mean_rating) - 3.0) / 2.0))
        agreement = round(1.0 - abs(score - polarity) / 2.0, 4)
        side = 1.0 if polarity > 0 else -1.0
        if abs(polarity) > rating_margin:
            mismatch = compound(" ".join(majority)) * side < -sentiment_margin
        if not mismatch and verdict * side < 0 and abs(polarity) > review_rating_margin:
            # How far the reviews' own text leans the ratings' way; not at all where it does not.
            reviews = max(0.0, sentiment(*inputs.reviews) * side)
            mismatch = reviews - verdict * side > sentiment_margin
    # A summary that praises what it calls bad contradicts itself, whatever the ratings.
    mismatch = mismatch or praised_against_itself(text)
    unsupported: list[str] = []
    if inputs.reviews:
        reviewed = aspects(" ".join(inputs.reviews))
        keys = " ".join(split_key(str(k)) for k in inputs.attributes)
        support = "\n".join([*inputs.reviews, inputs.product_text(), keys])
        unsupported = sorted(
            (named_aspects(text) - reviewed) | set(unsupported_phrases(text, support))
        )
    return Faithfulness(round(score, 4), agreement, mismatch, unsupported)
