"""Text helpers every check shares: words, sentences, numbers, normalised phrases, and the cut
that bounds untrusted text before anything else reads it.

The patterns of :mod:`enrich.quality` read untrusted text (reviews, catalog fields, generated
text), so each runs in linear time on any input: possessive quantifiers (``++``, ``*+``) never
give back what they took, a repeat that is tried from many positions is bounded (``{1,64}``), and
a lookbehind keeps a match from being retried inside a run it already scanned.
``tests/unit/test_linear_time.py`` times every pattern of the package on adversarial input.
"""

from __future__ import annotations

import re
from functools import lru_cache

WORD = re.compile(r"\w++(?:['’-]\w++)*+", re.UNICODE)
NUMBER = re.compile(r"(?<![\w.])\d++(?:[.,]\d++)?+")
SENTENCE = re.compile(r"[^.!?]++[.!?]*+")
_CAMEL_HUMP = re.compile(r"(?<=[a-z])(?=[A-Z])")
# What separates the values of a list-valued attribute: "canvas, plastic", "red/blue", "S | M",
# "wool and silk"; not the comma or slash inside a number ("1,5 l", "1/2 inch").
_LIST_SEPARATOR = re.compile(r"(?<!\d)[,/]|[,/](?!\d)|[;|&]|\b(?:and|or)\b", re.IGNORECASE)
# What a cut text ends with, so that no reader takes the head for the whole.
CUT_MARK = " ..."


def words(text: str) -> list[str]:
    """Lower-cased words of ``text``."""
    return [w.lower() for w in WORD.findall(text)]


def sentences(text: str) -> list[str]:
    """Sentences of ``text``, stripped, empty ones dropped."""
    return [s.strip() for s in SENTENCE.findall(text) if s.strip()]


def numbers(text: str) -> set[str]:
    """Numbers in ``text`` normalised (``1,5`` and ``1.50`` both read ``1.5``; ``40`` stays ``40``)."""
    found = set()
    for match in NUMBER.findall(text):
        value = match.replace(",", ".")
        try:
            number = float(value)
        except ValueError:
            continue
        found.add(f"{number:g}")
    return found


@lru_cache(maxsize=4096)  # a catalog has few attribute keys, asked about for every row
def split_key(key: str) -> str:
    """An attribute key as words: ``priceRange`` and ``price_range`` -> ``price range``."""
    spaced = _CAMEL_HUMP.sub(" ", key)
    return " ".join(spaced.replace("_", " ").replace("-", " ").lower().split())


def value_items(value: str) -> list[str]:
    """The values of an attribute value that lists several, stripped; one item for a plain value.

    Example:
        >>> value_items("Canvas, plastic and steel")
        ['Canvas', 'plastic', 'steel']
    """
    return [item.strip() for item in _LIST_SEPARATOR.split(str(value)) if item.strip()]


def contains_phrase(haystack: list[str], phrase: list[str]) -> bool:
    """Whether the word list ``phrase`` occurs contiguously in ``haystack``."""
    if not phrase:
        return False
    n = len(phrase)
    return any(haystack[i : i + n] == phrase for i in range(len(haystack) - n + 1))


def cut_words(text: str, limit: int) -> str:
    """``text`` cut to its words within ``limit`` characters, marked with :data:`CUT_MARK`.

    A text that fits comes back unchanged. Otherwise the head keeps only whole words (a cut never
    leaves half a word or half a number that reads as another one), loses trailing ``,;:``, and
    ends with the mark; only a first word longer than ``limit`` is cut inside, and the mark says
    so. Whitespace is kept as it is, so this is safe before redaction or sentence splitting. The
    work is proportional to ``limit``, not to the length of ``text``.

    Example:
        >>> cut_words("alpha beta gamma delta", 13)
        'alpha beta ...'
    """
    if len(text) <= limit:
        return text
    head = text[:limit]
    if not text[limit].isspace():  # the last word runs on past the limit: leave it out
        start = len(head)
        while start > 0 and not head[start - 1].isspace():
            start -= 1
        head = head[:start] if head[:start].strip() else head
    return head.rstrip().rstrip(",;:").rstrip() + CUT_MARK
