"""Ad rules: the checks a responsive search ad must pass before it is published.

A responsive search ad (task ``search_ad``) is a list of headlines, a list of descriptions and
two optional display paths; the ad platforms (Google Ads, Microsoft Advertising) show any three
headlines and two descriptions together, in any order. This module owns the rules such an ad
must keep, each with its reason code (family ``ad_rule`` in :mod:`enrich.quality.reasons`, never
acceptable), with the limits and the market's word lists from
:class:`enrich.config.AdRulesConfig`:

- ``ad_too_long``: a headline, description or path over its limit, in display characters (a
  wide character, as in Chinese or Japanese, counts two, as the platforms count it);
- ``ad_format``: too few or too many headlines or descriptions, an empty one, one that ends
  mid-phrase ("It pairs a"), ``path2`` without ``path1``, a path with a space or a slash (a path
  is one segment of the display URL);
- ``ad_duplicate``: two headlines (or two descriptions) that say the same words, near-duplicates
  included: the overlap of their content words, normalised, at or above ``max_overlap``;
- ``ad_capitals``: a word of two letters or more in capitals that is neither a known
  abbreviation nor written so in the product's own fields ("ASUS" for the brand ASUS);
- ``ad_punctuation``: repeated punctuation ("!!", "...", "?!"), an exclamation mark in a
  headline, more than one in the ad;
- ``ad_symbols``: digits or symbols in place of letters ("fr33", "b3st", "$ave"), emoji and
  decorative symbols (stars, ticks, arrows, bullets, "|", "*", "~", "^"); a trademark sign only
  where the product's fields have it;
- ``ad_spacing``: a space at either end, two spaces, a tab or a line break, a space before a
  mark, no space after a comma or full stop between words ("Light,strong", "Light.Strong");
- ``ad_contact``: phone numbers, e-mail addresses, URLs (found by
  :func:`enrich.quality.safety.personal_data`);
- ``ad_free``: "free" (or another word of ``free_words``) that the input does not say of the
  same thing: "free shipping" needs the input to say free shipping (or a shipping attribute of
  "free"); a "BPA-free" bottle licenses "BPA-free", not "free gift";
- ``template_leak``: the words of a writing instruction ("headlines", "two sentences", "one a
  line"), which echo the prompt, not the product: :data:`INSTRUCTION_WORDS`, unless the
  product's fields use them;
- ``ad_superlative``, ``ad_health_claim``, ``ad_environmental_claim``, ``ad_price``,
  ``ad_urgency``, ``ad_endorsement`` (testimonials: "customers love", "highly rated"): the
  phrases of the matching word list, and for prices also currency amounts,
  percentages, "% off", "save" before an amount and "was ... now"; each allowed where the
  product's own fields say the same (an "organic" attribute licenses "organic", a price of
  "£24.99" licenses "£24.99").

The factual checks of descriptions (a wrong name, a contradicted or unsupported attribute) are
:func:`enrich.quality.grounding.check_grounding`'s, run on the ad's text (see :func:`ad_text`):
``contradicted_fact`` and ``unsupported_fact``. Since the capitals of a title-case headline
tell no name from other words, another brand of the catalog named anywhere in the ad is
``contradicted_fact`` too (:func:`other_brands`, over a :class:`BrandIndex`).

Every asset is cut to twice its limit (at a word boundary) before any pattern reads it, and only
the first ``max_headlines`` headlines and ``max_descriptions`` descriptions are read, so no
output makes the checks slow; an asset that long is ``ad_too_long`` already.

Example:
    >>> ad = SearchAd(headlines=("Halvik Halo Headphones", "FREE Shipping!!", "Best Sound"),
    ...               descriptions=("Blue headphones with 40 h of battery.", "Order today."))
    >>> inputs = ScoreInputs(title="Halo headphones", brand="Halvik",
    ...                      attributes={"colour": "blue", "battery life": "40 h"})
    >>> sorted({reason for reason, _ in check_ad(ad, inputs, AdRulesConfig())})
    ['ad_capitals', 'ad_free', 'ad_punctuation', 'ad_superlative']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from enrich.config import AdRulesConfig
from enrich.quality import reasons as R
from enrich.quality.domains import AttributeDomains, normalise_word
from enrich.quality.form import DANGLING_WORDS, FUNCTION_WORDS
from enrich.quality.grounding import check_grounding
from enrich.quality.inputs import ScoreInputs
from enrich.quality.safety import mask_contacts, personal_data
from enrich.quality.text import (
    CUT_MARK,
    WORD,
    contains_phrase,
    cut_words,
    numbers,
    split_key,
    words,
)

Finding = tuple[str, str]

# How much of an asset the checks read, as a multiple of its limit.
SCAN_FACTOR = 2
# Linear-time patterns, as every pattern on untrusted text (see enrich/quality/text.py).
# What joins the parts of a word or phrase: "eco-friendly" and "eco friendly" read alike.
_JOINERS = re.compile(r"[-‐‑–—_/]")
_REPEATED_MARK = re.compile(r"[!?][!?]|([.,;:'\"*~_=+#/\\-])\1")
_BAD_SPACE = re.compile(r" {2}|[^\S ]")
_SPACE_BEFORE_MARK = re.compile(r" [,.!?;:](?!\w)")
# A comma, semicolon, "!" or "?" between two letters, or a full stop between a letter and a
# capital ("Light.Strong"; "e.g." and "U.S." are abbreviations).
_MISSING_SPACE = re.compile(r"(?<=[^\W\d_])(?:[,;!?](?=[^\W\d_])|\.(?=[A-Z][a-z]))")
# A currency sign or "@" that stands for a letter: "$ave", "cl@ss", "€asy".
_SYMBOL_FOR_LETTER = re.compile(r"[$€£¢@](?=[^\W\d_])")
_TEXTSPEAK = re.compile(r"(?<!\w)(?i:4ever|2day|2nite|4u|b4|l8r|gr8|w8|2morrow)(?!\w)")
_RANK = re.compile(r"#\s?+\d")
_MONEY = re.compile(
    r"[$£€¥₹]\s?+\d++(?:[.,]\d++)*+"
    r"|(?<![\d.,])\d++(?:[.,]\d++)*+\s?+(?:[$£€¥₹]|(?i:usd|eur|gbp|dollars?|euros?)\b)"
)
_PERCENT = re.compile(r"(?<![\d.,])\d++(?:[.,]\d++)?+\s?+(?:%|(?i:per\s?cent)\b)")
_OFF = re.compile(r"[\d%]\s?+(?i:off)\b")
_SAVE = re.compile(r"\b(?i:save)\s++(?:(?i:up)\s++(?i:to)\s++)?+[$£€¥₹\d]")
_ONLY_LEFT = re.compile(r"\b(?i:only)\s++\d{1,6}+\s++(?:[^\W\d_]{1,20}+\s++)?+(?i:left)\b")
# Digits that stand for letters: 0 o, 1 i/l, 3 e, 4 a, 5 s, 7 t, 8 b.
LEET_DIGITS = frozenset("0134578")
# Words of a writing instruction: in an asset they echo the prompt ("Short lines", "One per
# line", "Two sentences of data"), unless the product's own fields use them.
INSTRUCTION_WORDS = [
    "headline", "headlines", "sentence", "sentences", "one a line", "one per line",
    "short lines", "search ad", "ad copy", "words each", "facts below", "the facts",
]
# Symbols an ad may hold; other symbols (Unicode S*, format and private-use characters) are
# emoji or decoration. Trademark signs only where the product's fields have them.
ALLOWED_SYMBOLS = frozenset("$£€¥₹%&+-'’\"()/:,.!?°")
TRADEMARKS = frozenset("®™©")
DECORATIVE = frozenset("•·※¶§†‡|*~^")
# Words in -est that are no superlatives, after "the" or a possessive.
_EST_WORDS = frozenset(
    "interest request contest protest harvest suggest forest honest modest earnest digest "
    "conquest manifest tempest behest latest".split()
)


@dataclass(frozen=True)
class SearchAd:
    """A responsive search ad: its assets as the ad platforms take them.

    Attributes:
        headlines: the headlines, in order.
        descriptions: the descriptions, in order.
        path1: the first display path ("" when none).
        path2: the second display path ("" when none).
    """

    headlines: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()
    path1: str = ""
    path2: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping) -> SearchAd:
        """An ad from a mapping with ``headlines``, ``descriptions``, ``path1``, ``path2``
        (a row of the ads table, a line of the labelled set); missing ones are empty."""
        return cls(
            headlines=tuple(str(h) for h in data.get("headlines") or ()),
            descriptions=tuple(str(d) for d in data.get("descriptions") or ()),
            path1=str(data.get("path1") or ""),
            path2=str(data.get("path2") or ""),
        )


def display_width(text: str) -> int:
    """Characters of ``text`` as the ad platforms count them: a wide character counts two.

    Example:
        >>> display_width("Tea"), display_width("緑茶")
        (3, 4)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def ad_tokens(text: str) -> list[str]:
    """Lower-cased words of ``text`` with hyphens, slashes and underscores read as spaces and
    curly apostrophes as straight ones, the form every word list is matched in.

    Example:
        >>> ad_tokens("Eco-Friendly, Don’t Wait")
        ['eco', 'friendly', "don't", 'wait']
    """
    return words(_JOINERS.sub(" ", text.replace("’", "'")))


def _parts(word: str) -> list[str]:
    """The parts of a word joined by hyphens or apostrophes: "USB-C" -> ["USB", "C"]."""
    return _JOINERS.sub(" ", word).replace("'", " ").replace("’", " ").split()


@lru_cache(maxsize=1024)  # the same few hundred phrases of the config, for every ad
def _phrase(phrase: str) -> tuple[str, ...]:
    return tuple(ad_tokens(phrase))


def contains_loosely(
    haystack: list[str], phrase: tuple[str, ...] | list[str], *, gap: int = 1
) -> bool:
    """Whether the words of ``phrase`` occur in ``haystack`` in order, with at most ``gap`` other
    words between two of them: "selling out fast" says "selling fast", "boosts your immunity"
    says "boosts immunity".

    Example:
        >>> contains_loosely(["relieves", "knee", "pain"], ("relieves", "pain"))
        True
    """
    if not phrase:
        return False
    for start, word in enumerate(haystack):
        if word != phrase[0]:
            continue
        at, matched = start, 1
        while matched < len(phrase):
            window = range(at + 1, min(at + 2 + gap, len(haystack)))
            at = next((i for i in window if haystack[i] == phrase[matched]), -1)
            if at < 0:
                break
            matched += 1
        if matched == len(phrase):
            return True
    return False


def _bounded(text: str, limit: int) -> str:
    """``text`` cut to ``SCAN_FACTOR * limit`` characters at a word boundary, without a mark."""
    bound = SCAN_FACTOR * limit
    return text if len(text) <= bound else cut_words(text, bound).removesuffix(CUT_MARK)


@dataclass(frozen=True)
class _Facts:
    """What the product's own fields say, read once per ad."""

    tokens: list[str]
    vocabulary: frozenset[str]
    written: frozenset[str]  # words and their parts as the fields write them
    text: str
    attributes: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # (key words, value words)

    @classmethod
    def of(cls, inputs: ScoreInputs, also: str = "") -> _Facts:
        """The facts of ``inputs``, and of ``also`` (a summary's reviews) as free text."""
        text = "\n".join(
            [inputs.product_text(), *(split_key(str(k)) for k in inputs.attributes), also]
        )
        written = set()
        for word in WORD.findall(text):
            written.add(word)
            written.update(_parts(word))
        attributes = tuple(
            (tuple(ad_tokens(split_key(str(k)))), tuple(ad_tokens(str(v))))
            for k, v in inputs.attributes.items()
        )
        tokens = ad_tokens(text)
        return cls(tokens, frozenset(tokens), frozenset(written), text, attributes)

    def says(self, phrase: tuple[str, ...] | list[str]) -> bool:
        """Whether the fields say ``phrase``, loosely (see :func:`contains_loosely`)."""
        return contains_loosely(self.tokens, phrase)

    def says_of(self, phrase: tuple[str, ...], word: str) -> bool:
        """Whether the fields say ``phrase`` near ``word`` (within two content words; "free
        shipping" and "ships free"), or under a key with ``word`` ("shipping": "free")."""
        n, wanted = len(phrase), list(phrase)
        for i in range(len(self.tokens) - n + 1):
            if self.tokens[i : i + n] == wanted and any(
                same_stem(word, w) for w in _near(self.tokens, i, n)
            ):
                return True
        return any(
            any(same_stem(word, k) for k in key) and contains_phrase(list(value), wanted)
            for key, value in self.attributes
        )


def _assets(ad: SearchAd, rules: AdRulesConfig) -> list[tuple[str, str, int]]:
    """(label, text, limit) of every asset the checks read."""
    out = [
        (f"headline {i}", h, rules.max_headline_chars)
        for i, h in enumerate(ad.headlines[: rules.max_headlines], 1)
    ]
    out += [
        (f"description {i}", d, rules.max_description_chars)
        for i, d in enumerate(ad.descriptions[: rules.max_descriptions], 1)
    ]
    out += [
        (f"path {i}", p, rules.max_path_chars) for i, p in ((1, ad.path1), (2, ad.path2)) if p
    ]
    return out


def format_findings(ad: SearchAd, rules: AdRulesConfig) -> list[Finding]:
    """``ad_format`` and ``ad_too_long``: counts, empty assets, paths, lengths."""
    found: list[Finding] = []
    for kind, items, low, high in (
        ("headlines", ad.headlines, rules.min_headlines, rules.max_headlines),
        ("descriptions", ad.descriptions, rules.min_descriptions, rules.max_descriptions),
    ):
        if not low <= len(items) <= high:
            found.append((R.AD_FORMAT, f"{len(items)} {kind}, not {low} to {high}"))
    if ad.path2 and not ad.path1:
        found.append((R.AD_FORMAT, "path 2 without path 1"))
    for label, text, limit in _assets(ad, rules):
        found += _limit_findings(label, text, limit)
    return found


def _limit_findings(label: str, text: str, limit: int) -> list[Finding]:
    """An empty asset, one over its limit, a path with a space or a slash."""
    if not text.strip():
        return [(R.AD_FORMAT, f"{label} is empty")]
    found = []
    width = display_width(text)
    if width > limit:
        found.append((R.AD_TOO_LONG, f"{label}: {width} characters, over {limit}"))
    if label.startswith("path") and any(c.isspace() or c == "/" for c in text):
        found.append((R.AD_FORMAT, f"{label} has a space or slash"))
    return found


def _unfinished(tokens: list[str]) -> list[str]:
    """An asset that ends on a word that always wants what follows ("It pairs a"): cut short."""
    return [f"ends mid-phrase ('{tokens[-1]}')"] if tokens and tokens[-1] in DANGLING_WORDS else []


def content_words(text: str) -> frozenset[str]:
    """The normalised content words of an asset (no function words), for near-duplicates."""
    return frozenset(normalise_word(w) for w in ad_tokens(text) if w not in FUNCTION_WORDS)


def overlap(a: str, b: str) -> float:
    """The Jaccard overlap of two assets' :func:`content_words` (1.0: the same words).

    Example:
        >>> overlap("Blue Halo Headphones", "Halo Headphones in Blue")
        1.0
    """
    x, y = content_words(a), content_words(b)
    if not x and not y:
        return 1.0 if a.strip().lower() == b.strip().lower() else 0.0
    return len(x & y) / len(x | y)


def duplicate_findings(ad: SearchAd, rules: AdRulesConfig) -> list[Finding]:
    """``ad_duplicate``: headlines (or descriptions) at or above ``max_overlap`` of each other."""
    found: list[Finding] = []
    for kind, items, limit in (
        ("headlines", ad.headlines[: rules.max_headlines], rules.max_headline_chars),
        ("descriptions", ad.descriptions[: rules.max_descriptions], rules.max_description_chars),
    ):
        bounded = [_bounded(t, limit) for t in items]
        for i in range(len(bounded)):
            for j in range(i + 1, len(bounded)):
                share = overlap(bounded[i], bounded[j])
                if share >= rules.max_overlap:
                    pair = f"{kind} {i + 1} and {j + 1}"
                    found.append((R.AD_DUPLICATE, f"{pair}: {share:.2f} overlap"))
    return found


def _capitals(text: str, facts: _Facts, allowed: frozenset[str]) -> list[str]:
    """Words of ``text`` in capitals that are no known abbreviation and not so in the input."""
    found = []
    for word in WORD.findall(text):
        if word in facts.written or word in allowed:
            continue
        for part in _parts(word):
            letters = "".join(c for c in part if c.isalpha())
            if len(letters) < 2 or not letters.isupper():
                continue
            if part not in allowed and letters not in allowed and part not in facts.written:
                found.append(word)
                break
    return found


def _leet(word: str) -> bool:
    """Whether ``word`` has digits in place of letters: between two letters ("b3st", "H0T"), or
    ending a word of four characters or more that is not in capitals ("Fr33"; "PS5" is a
    model's name)."""
    for i in range(1, len(word) - 1):
        if word[i] in LEET_DIGITS and word[i - 1].isalpha() and word[i + 1].isalpha():
            return True
    stem = word.rstrip("0123456789")
    tail = word[len(stem):]
    return (
        bool(tail) and len(word) >= 4 and set(tail) <= LEET_DIGITS
        and stem[-2:].isalpha() and not stem.isupper()
    )


def _symbols(masked: str, facts: _Facts) -> list[str]:
    """Emoji, decorative symbols and symbols or digits in place of letters in ``masked`` (an
    asset with its contact details masked: an e-mail's "@" is ad_contact's)."""
    found = []
    for c in dict.fromkeys(masked):
        category = unicodedata.category(c)
        if c in TRADEMARKS:
            if c not in facts.text:
                found.append(f"symbol {c!r}")
        elif c in DECORATIVE or (
            c not in ALLOWED_SYMBOLS and (category[0] == "S" or category in ("Cf", "Co", "Cs"))
        ):
            found.append(f"symbol {c!r}")
    found += [f"symbol for a letter: {m.group(0)}" for m in _SYMBOL_FOR_LETTER.finditer(masked)]
    found += [f"text speak: {m.group(0)}" for m in _TEXTSPEAK.finditer(masked)]
    for word in WORD.findall(masked):
        if _leet(word) and word.lower() not in facts.vocabulary and word not in facts.written:
            found.append(f"digits for letters: {word}")
    return found


def _spacing(text: str, masked: str) -> list[str]:
    """Spaces missing or extra in ``text`` (``masked``: the same with its contact details
    masked, since "shop.example" is ad_contact's)."""
    found = []
    if text != text.strip():
        found.append("space at an end")
    if _BAD_SPACE.search(text):
        found.append("double space, tab or line break")
    if _SPACE_BEFORE_MARK.search(text):
        found.append("space before a mark")
    if _MISSING_SPACE.search(masked):
        found.append("no space after a mark")
    return found


def same_stem(a: str, b: str) -> bool:
    """Whether two words share a stem: a common beginning of four letters or more that is at
    least three quarters of the shorter word ("ship" and "shipping", "delivery" and
    "delivered"; not "shirt" and "shipping"), or are the same word."""
    if a == b:
        return True
    shared = 0
    for x, y in zip(a, b):
        if x != y:
            break
        shared += 1
    return shared >= max(4, 0.75 * min(len(a), len(b)))


def _near(tokens: list[str], i: int, n: int) -> list[str]:
    """The content words within two words of ``tokens[i : i + n]``."""
    around = tokens[max(0, i - 2) : i] + tokens[i + n : i + n + 2]
    return [w for w in around if w not in FUNCTION_WORDS]


def _free(tokens: list[str], facts: _Facts, free_words: list[str]) -> list[str]:
    """Offers of something for nothing that the input does not make of the same thing."""
    found = []
    for phrase in map(_phrase, free_words):
        n = len(phrase)
        if not n or not contains_phrase(tokens, list(phrase)):
            continue
        for i in range(len(tokens) - n + 1):
            if tuple(tokens[i : i + n]) != phrase:
                continue
            near = _near(tokens, i, n)
            licensed = facts.says(phrase) and (
                not near or any(facts.says_of(phrase, w) for w in near)
            )
            if not licensed:
                found.append(" ".join(tokens[max(0, i - 1) : i + n + 1]))
    return found


def _listed(tokens: list[str], facts: _Facts, phrases: list[str]) -> list[str]:
    """The phrases of a word list in ``tokens`` (loosely, see :func:`contains_loosely`) that the
    input does not say; a phrase inside a longer one found ("eco" in "eco friendly") is not
    named again."""
    found = [
        p for p in dict.fromkeys(map(_phrase, phrases))
        if p and contains_loosely(tokens, p) and not facts.says(p)
    ]
    return [
        " ".join(p) for p in found
        if not any(len(q) > len(p) and contains_phrase(list(q), list(p)) for q in found)
    ]


def unsupported_claims(
    text: str, inputs: ScoreInputs, rules: AdRulesConfig, also: str = ""
) -> list[str]:
    """The health, medical and environmental claims of ``text`` (the phrases of
    ``rules.health_claims`` and ``rules.environmental_claims``) that the product's fields, or
    ``also`` (a summary's reviews), do not make, each as ``claim: <phrase>``. Such a claim in a
    description or a summary is as unlawful as in an ad: "hypoallergenic", "certified organic".

    Example:
        >>> unsupported_claims("A certified organic, hypoallergenic cream.",
        ...                    ScoreInputs(title="Night Cream"), AdRulesConfig())
        ['claim: hypoallergenic', 'claim: organic']
    """
    facts = _Facts.of(inputs, also)
    tokens = ad_tokens(text)
    listed = _listed(tokens, facts, [*rules.health_claims, *rules.environmental_claims])
    return [f"claim: {phrase}" for phrase in listed]


def _superlatives(text: str, tokens: list[str], facts: _Facts) -> list[str]:
    """'#1' and a word in -est after 'the' or a possessive, that the input does not say."""
    found = [m.group(0) for m in _RANK.finditer(text) if m.group(0) not in facts.text]
    for before, word in zip(tokens, tokens[1:]):
        if (
            len(word) >= 6 and word.endswith("est") and word not in _EST_WORDS
            and (before == "the" or before.endswith("'s")) and not facts.says([word])
        ):
            found.append(f"{before} {word}")
    return found


def _amounts(pattern: re.Pattern, text: str) -> set[str]:
    return {n for m in pattern.finditer(text) for n in numbers(m.group(0))}


def _prices(text: str, tokens: list[str], facts: _Facts) -> list[str]:
    """Currency amounts, percentages, '% off', 'save' before an amount and 'was ... now' that
    the input does not state."""
    found = [
        f"amount {n}" for n in sorted(_amounts(_MONEY, text) - _amounts(_MONEY, facts.text))
    ]
    found += [
        f"{n}%" for n in sorted(_amounts(_PERCENT, text) - _amounts(_PERCENT, facts.text))
    ]
    for name, pattern in (("off", _OFF), ("save", _SAVE)):
        if pattern.search(text) and not pattern.search(facts.text):
            found.append(name)
    if "was" in tokens and "now" in tokens[tokens.index("was") :] and not facts.says(["was"]):
        found.append("was ... now")
    return found


def ad_text(ad: SearchAd, inputs: ScoreInputs, rules: AdRulesConfig) -> str:
    """The ad's headlines and descriptions as one text of sentences, for the factual checks.

    A headline in title case (every word of three letters or more starts with a capital, but
    function words and units after a number: "Light Trail Daypack", "55 inch 4K Screen") says
    nothing by its capitals, so its capitalised words are lower-cased unless the product's
    fields write them so; a headline in sentence case keeps its capitals, and grounding reads
    them as names. Each asset ends as a sentence, so no name runs from one into the next. Names
    in title-case headlines are checked against the catalog's brands instead
    (:func:`other_brands`).

    Example:
        >>> ad_text(SearchAd(("Light Halo Headphones", "Sony sound"), ("In blue.",)),
        ...         ScoreInputs(title="Halo headphones"), AdRulesConfig())
        'light Halo headphones. Sony sound. In blue.'
    """
    written = _Facts.of(inputs).written
    parts = []
    for text in ad.headlines[: rules.max_headlines]:
        text = _bounded(text.strip(), rules.max_headline_chars)
        tokens = WORD.findall(text)
        long_words = [  # a unit after a number keeps its case in title case too ("55 inch")
            w for before, w in zip(["", *tokens], tokens)
            if len(w) > 2 and w[0].isalpha() and w.lower() not in FUNCTION_WORDS
            and not any(c.isdigit() for c in before)
        ]
        if long_words and all(w[0].isupper() for w in long_words):
            text = WORD.sub(
                lambda m: m.group(0) if m.group(0) in written or not m.group(0)[1:].islower()
                else m.group(0).lower(),
                text,
            )
        parts.append(text)
    parts += [_bounded(d.strip(), rules.max_description_chars)
              for d in ad.descriptions[: rules.max_descriptions]]
    return " ".join(p if p[-1:] in ".!?" else f"{p}." for p in parts if p)


@dataclass(frozen=True)
class BrandIndex:
    """The catalog's brands by their first word, lower-cased: built once per run (or worker),
    so that checking an ad looks up only the brands whose first word the ad has.

    Attributes:
        by_first_word: first word -> (the brand's words, the brand as written).
    """

    by_first_word: Mapping[str, tuple[tuple[tuple[str, ...], str], ...]]

    @classmethod
    def of(cls, brands: Iterable[str]) -> BrandIndex:
        """The index of ``brands`` (blank ones and repeats left out)."""
        found: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for brand in dict.fromkeys(str(b) for b in brands):
            phrase = tuple(w.lower() for w in WORD.findall(brand))
            if phrase:
                found.setdefault(phrase[0], []).append((phrase, brand))
        return cls({k: tuple(v) for k, v in found.items()})


def other_brands(
    ad: SearchAd,
    inputs: ScoreInputs,
    brands: BrandIndex | Iterable[str],
    rules: AdRulesConfig,
) -> list[str]:
    """The catalog's ``brands`` other than the product's own that the ad names, written as a
    name (first letter a capital), which a title-case headline's capitals cannot tell apart
    from other words. A brand that the product's own fields name ("case for Apple iPhone") is
    the product's.

    Example:
        >>> other_brands(SearchAd(("Sony Sound For Less",)), ScoreInputs(brand="Halvik"),
        ...              ["Sony", "Halvik", "Bose"], AdRulesConfig())
        ['Sony']
    """
    index = brands if isinstance(brands, BrandIndex) else BrandIndex.of(brands)
    facts: _Facts | None = None
    found: list[str] = []
    for _, text, limit in _assets(ad, rules):
        written = WORD.findall(_bounded(text, limit))
        lowered = [w.lower() for w in written]
        for i, word in enumerate(lowered):
            if not written[i][0].isupper():
                continue
            for phrase, brand in index.by_first_word.get(word, ()):
                if brand in found or tuple(lowered[i : i + len(phrase)]) != phrase:
                    continue
                facts = facts or _Facts.of(inputs)
                if not facts.says(ad_tokens(brand)):
                    found.append(brand)
    return found


def factual_findings(
    ad: SearchAd, inputs: ScoreInputs, rules: AdRulesConfig,
    *, domains: AttributeDomains | None = None, brands: BrandIndex | Iterable[str] = (),
) -> list[Finding]:
    """``contradicted_fact`` and ``unsupported_fact``: grounding's findings on :func:`ad_text`,
    and another brand of the catalog named (:func:`other_brands`)."""
    if not inputs.has_product_facts:
        return []
    g = check_grounding(ad_text(ad, inputs, rules), inputs, domains=domains)
    contradicted = list(g.contradicted)
    contradicted += [
        f"brand: {b}" for b in other_brands(ad, inputs, brands, rules)
        if not any(b.lower() in c.lower() for c in contradicted + g.unsupported)
    ]
    return [(R.CONTRADICTED_FACT, c) for c in contradicted] + [
        (R.UNSUPPORTED_FACT, u) for u in g.unsupported
    ]


def _asset_findings(
    label: str, text: str, inputs: ScoreInputs, facts: _Facts, rules: AdRulesConfig
) -> list[Finding]:
    """The rules one asset (already cut to its bound) keeps or breaks, each detail prefixed
    with the asset's label."""
    tokens = ad_tokens(text)
    masked = mask_contacts(text)
    punctuation = [m.group(0) for m in _REPEATED_MARK.finditer(text)]
    if label.startswith("headline") and "!" in text:
        punctuation.append("'!' in a headline")
    by_reason = {
        R.AD_FORMAT: [] if label.startswith("path") else _unfinished(tokens),
        R.AD_CAPITALS: _capitals(text, facts, frozenset(rules.abbreviations)),
        R.AD_PUNCTUATION: punctuation,
        R.AD_SYMBOLS: _symbols(masked, facts),
        R.AD_SPACING: [] if label.startswith("path") else _spacing(text, masked),
        R.AD_CONTACT: personal_data(text, inputs),
        R.AD_FREE: _free(tokens, facts, rules.free_words),
        R.AD_SUPERLATIVE: _listed(tokens, facts, rules.superlatives)
        + _superlatives(text, tokens, facts),
        R.AD_HEALTH_CLAIM: _listed(tokens, facts, rules.health_claims),
        R.AD_ENVIRONMENTAL_CLAIM: _listed(tokens, facts, rules.environmental_claims),
        R.AD_PRICE: _listed(tokens, facts, rules.price_words) + _prices(text, tokens, facts),
        R.AD_URGENCY: _listed(tokens, facts, rules.urgency_phrases)
        + [m.group(0) for m in _ONLY_LEFT.finditer(text)],
        R.AD_ENDORSEMENT: _listed(tokens, facts, rules.endorsements),
        R.TEMPLATE_LEAK: _listed(tokens, facts, INSTRUCTION_WORDS),
    }
    return [(reason, f"{label}: {item}") for reason, items in by_reason.items() for item in items]


def check_ad(
    ad: SearchAd | Mapping,
    inputs: ScoreInputs,
    rules: AdRulesConfig,
    *,
    domains: AttributeDomains | None = None,
    brands: BrandIndex | Iterable[str] = (),
) -> list[Finding]:
    """Every ad rule and factual check on one search ad (see the module docstring).

    Args:
        ad: the ad, or a mapping with ``headlines``, ``descriptions``, ``path1``, ``path2``.
        inputs: the product's title, brand, category and attributes.
        rules: the limits and word lists of the market (``quality.ad_rules``).
        domains: the catalog's categorical attribute domains, for grounding (None: only the
            built-in kinds of fact).
        brands: the catalog's brands (a :class:`BrandIndex` built once, or any iterable):
            another one named in the ad is ``contradicted_fact``.

    Returns:
        ``(reason code, detail)`` for each finding, e.g. ``("ad_too_long", "headline 2: 34
        characters, over 30")``; empty for an ad that keeps every rule.
    """
    if not isinstance(ad, SearchAd):
        ad = SearchAd.from_mapping(ad)
    facts = _Facts.of(inputs)
    found = format_findings(ad, rules) + duplicate_findings(ad, rules)
    exclamations = 0
    for label, raw, limit in _assets(ad, rules):
        text = _bounded(raw, limit)
        if text.strip():
            found += _asset_findings(label, text, inputs, facts, rules)
            exclamations += text.count("!")
    if exclamations > 1:
        found.append((R.AD_PUNCTUATION, f"{exclamations} exclamation marks in the ad"))
    return found + factual_findings(ad, inputs, rules, domains=domains, brands=brands)


def reason_codes(findings: list[Finding]) -> list[str]:
    """The distinct reason codes of ``findings``, in the order first found."""
    return list(dict.fromkeys(reason for reason, _ in findings))


ASSET_KINDS = ("headline", "description", "path")


def asset_findings(
    kind: str,
    text: str,
    inputs: ScoreInputs,
    rules: AdRulesConfig,
    *,
    domains: AttributeDomains | None = None,
    brands: BrandIndex | Iterable[str] = (),
) -> list[Finding]:
    """The rules one asset breaks on its own: its limit, the rules of its words and marks, and
    the factual checks; what only a whole ad can break (counts, near-duplicates, more than one
    "!" in the ad) is :func:`check_ad`'s. An asset with no finding here may still be left out of
    an ad for those.

    Args:
        kind: ``headline``, ``description`` or ``path``.
        text: the asset.
        inputs: the product's fields.
        rules: the market's limits and word lists.
        domains: the catalog's attribute domains (see :func:`check_ad`).
        brands: the catalog's brands (see :func:`check_ad`).

    Raises:
        ValueError: an unknown ``kind``.

    Example:
        >>> asset_findings("headline", "Halo Headphones In Blue Today Only", ScoreInputs(
        ...     title="Halo headphones", attributes={"colour": "blue"}), AdRulesConfig())
        [('ad_too_long', 'headline 1: 34 characters, over 30'), ('ad_urgency', 'headline 1: today only')]
    """
    if kind not in ASSET_KINDS:
        raise ValueError(f"asset kind {kind!r} is none of {', '.join(ASSET_KINDS)}")
    if kind == "headline":
        ad = SearchAd(headlines=(text,))
    elif kind == "description":
        ad = SearchAd(descriptions=(text,))
    else:
        ad = SearchAd(path1=text)
    limit = {"headline": rules.max_headline_chars, "description": rules.max_description_chars,
             "path": rules.max_path_chars}[kind]
    label = f"{kind} 1"
    found = _limit_findings(label, text, limit)
    if not text.strip():
        return found
    found += _asset_findings(label, _bounded(text, limit), inputs, _Facts.of(inputs), rules)
    if kind != "path":
        found += factual_findings(ad, inputs, rules, domains=domains, brands=brands)
    return found
