"""Text helpers every check shares: words, sentences, numbers and quantities (a number with its
unit, normalised), normalised phrases, and the cut that bounds untrusted text before anything
else reads it.

The patterns of :mod:`enrich.quality` read untrusted text (reviews, catalog fields, generated
text), so each runs in linear time on any input: possessive quantifiers (``++``, ``*+``) never
give back what they took, a repeat that is tried from many positions is bounded (``{1,64}``), and
a lookbehind keeps a match from being retried inside a run it already scanned.
``tests/unit/test_linear_time.py`` times every pattern of the package on adversarial input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

WORD = re.compile(r"\w++(?:['’-]\w++)*+", re.UNICODE)
# A number's digits: thousands grouped by commas ("1,000", "12,500.5"), or a decimal point or
# comma ("1.5", "1,5").
_GROUPED_DIGITS = r"\d{1,3}+(?:,\d{3}+(?!\d))++(?:\.\d++)?+"
_DIGITS = rf"(?:{_GROUPED_DIGITS}|\d++(?:[.,]\d++)?+)"
_GROUPED = re.compile(_GROUPED_DIGITS)
NUMBER = re.compile(r"(?<![\w.])" + _DIGITS)
# A sentence runs to its final marks; a point between digits is a decimal's ("16.5 cm").
SENTENCE = re.compile(r"(?:[^.!?]|(?<=\d)\.(?=\d))++[.!?]*+")
_CAMEL_HUMP = re.compile(r"(?<=[a-z])(?=[A-Z])")
# What separates the values of a list-valued attribute: "canvas, plastic", "red/blue", "S | M",
# "wool and silk"; not the comma or slash inside a number ("1,5 l", "1/2 inch").
_LIST_SEPARATOR = re.compile(r"(?<!\d)[,/]|[,/](?!\d)|[;|&]|\b(?:and|or)\b", re.IGNORECASE)
# A number with what states its quantity: a currency before it, a sign ("-5°C"; the hyphen of a
# range "3-4" is none: it follows a digit), and the unit or word right after it ("14 cm", "4th",
# "30 x", "2-year"). The lookbehind keeps a match from starting inside a word or number.
QUANTITY = re.compile(
    r"(?<![\w.])([£$€]\s*+)?+([-−](?=\d))?+(" + _DIGITS + ")"
    r"(?:(?:-(?=[^\W\d_])|\s*+)(°\s*+[CcFf](?![^\W\d_])|°|%|\"|″|×|[^\W\d_]++))?+"
)
# Unit spellings -> (unit, what it measures). One-letter units count only as written: "A" is
# amperes, "a" the article; "m" metres, "M" a million.
_UNITS_AS_WRITTEN = {
    "A": ("a", "current"), "V": ("v", "voltage"), "W": ("w", "power"), "L": ("l", "volume"),
    "l": ("l", "volume"), "m": ("m", "length"), "g": ("g", "mass"), "h": ("h", "time"),
    "s": ("s", "time"), '"': ("in", "length"), "″": ("in", "length"), "%": ("%", "share"),
    "°": ("°", "angle"),  # a bare degree sign: an angle ("a 15° edge"); "°C" is a temperature
}
_UNITS = {
    **{w: ("mm", "length") for w in "mm millimetre millimeter".split()},
    **{w: ("cm", "length") for w in "cm centimetre centimeter".split()},
    **{w: ("m", "length") for w in "metre meter".split()},
    **{w: ("km", "length") for w in "km kilometre kilometer".split()},
    **{w: ("in", "length") for w in "inch inche".split()},
    **{w: ("ft", "length") for w in "ft foot feet".split()},
    **{w: ("ml", "volume") for w in "ml millilitre milliliter".split()},
    **{w: ("l", "volume") for w in "litre liter ltr".split()},
    **{w: ("mg", "mass") for w in "mg milligram".split()},
    **{w: ("g", "mass") for w in "gram gramme gr".split()},
    **{w: ("kg", "mass") for w in "kg kilo kilogram".split()},
    **{w: ("oz", "mass") for w in "oz ounce".split()},
    **{w: ("lb", "mass") for w in "lb pound".split()},
    **{w: ("a", "current") for w in "amp ampere".split()},
    **{w: ("mah", "charge") for w in "mah".split()},
    **{w: ("v", "voltage") for w in "volt".split()},
    **{w: ("w", "power") for w in "watt".split()},
    **{w: ("kw", "power") for w in "kw kilowatt".split()},
    **{w: ("wh", "energy") for w in "wh".split()},
    **{w: ("kwh", "energy") for w in "kwh".split()},
    **{w: ("hz", "frequency") for w in "hz hertz".split()},
    **{w: ("khz", "frequency") for w in "khz".split()},
    **{w: ("mhz", "frequency") for w in "mhz".split()},
    **{w: ("ghz", "frequency") for w in "ghz".split()},
    **{w: ("db", "loudness") for w in "db decibel".split()},
    **{w: ("mb", "data") for w in "mb megabyte".split()},
    **{w: ("gb", "data") for w in "gb gigabyte".split()},
    **{w: ("tb", "data") for w in "tb terabyte".split()},
    **{w: ("mp", "resolution") for w in "mp megapixel".split()},
    **{w: ("s", "time") for w in "sec second".split()},
    **{w: ("min", "time") for w in "min minute".split()},
    **{w: ("h", "time") for w in "hr hour".split()},
    **{w: ("day", "time") for w in "day".split()},
    **{w: ("week", "time") for w in "wk week".split()},
    **{w: ("month", "time") for w in "mo month".split()},
    **{w: ("year", "time") for w in "yr year".split()},
    **{w: ("%", "share") for w in "percent".split()},
    **{w: ("°c", "temperature") for w in "°c celsius".split()},
    **{w: ("°f", "temperature") for w in "°f fahrenheit".split()},
    **{w: ("gbp", "money") for w in "£ gbp".split()},
    **{w: ("usd", "money") for w in "$ usd dollar".split()},
    **{w: ("eur", "money") for w in "€ eur euro".split()},
}
# Units one converts to another of the same measure by a power of ten: unit -> (base, factor).
# "1.5 l" and "1500 ml", "1 kW" and "1000 W" state the same quantity.
_SCALES = {
    "mm": ("m", 1e-3), "cm": ("m", 1e-2), "m": ("m", 1.0), "km": ("m", 1e3),
    "mg": ("g", 1e-3), "g": ("g", 1.0), "kg": ("g", 1e3),
    "ml": ("l", 1e-3), "l": ("l", 1.0),
    "w": ("w", 1.0), "kw": ("w", 1e3), "wh": ("wh", 1.0), "kwh": ("wh", 1e3),
    "hz": ("hz", 1.0), "khz": ("hz", 1e3), "mhz": ("hz", 1e6), "ghz": ("hz", 1e9),
    "mb": ("b", 1e6), "gb": ("b", 1e9), "tb": ("b", 1e12),
    "s": ("s", 1.0), "min": ("s", 60.0), "h": ("s", 3600.0),
}
_CURRENCIES = frozenset("£$€")
_ORDINAL_ENDS = frozenset({"st", "nd", "rd", "th"})
_TIMES = frozenset({"x", "×"})
_RANGE_MARKS = frozenset({"-", "–"})
_PLURAL_UNIT = re.compile(r"(?<=\w\w)(?:e?s)\Z")
_PLURAL_END = re.compile(r"(?:'s|’s|es|s)$")
# What a cut text ends with, so that no reader takes the head for the whole.
CUT_MARK = " ..."
# Words that open a noun phrase as its determiner, and those that negate what follows them within
# NEGATION_REACH words ("is not fully waterproof", "does not come with a charger").
DETERMINERS = frozenset("a an the its your my our their his her this that these those".split())
NEGATIONS = frozenset("not never no non isn't aren't doesn't don't nor without".split())
NEGATION_REACH = 3


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
        number = parse_number(match)
        if number is not None:
            found.add(f"{number:g}")
    return found


def singular(word: str) -> str:
    """``word`` without a plural or possessive ending: "Ratings", "Aromi's" name what "rating"
    and "Aromi" do (words of three letters or fewer as they are)."""
    return _PLURAL_END.sub("", word) if len(word) > 3 else word


def parse_number(digits: str) -> float | None:
    """The value of a number as :data:`NUMBER` matches it: commas that group thousands are
    dropped ("1,000" is 1000), another comma is a decimal one ("1,5" is 1.5).

    Example:
        >>> parse_number("1,000"), parse_number("1,5"), parse_number("12,500.5")
        (1000.0, 1.5, 12500.5)
    """
    grouped = _GROUPED.fullmatch(digits)
    try:
        return float(digits.replace(",", "" if grouped else "."))
    except ValueError:
        return None


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


def unit(written: str) -> tuple[str, str] | None:
    """The unit a word after a number names, and what it measures, or None for a word that names
    none: ``litres`` and ``L`` -> ``("l", "volume")``, ``Celsius`` -> ``("°c", "temperature")``.

    Example:
        >>> unit("Centimetres"), unit("A"), unit("a")
        (('cm', 'length'), ('a', 'current'), None)
    """
    written = written.replace(" ", "")
    if written in _UNITS_AS_WRITTEN:
        return _UNITS_AS_WRITTEN[written]
    lower = written.lower()
    if len(lower) < 2:
        return None
    return _UNITS.get(lower) or _UNITS.get(_PLURAL_UNIT.sub("", lower)) or _UNITS.get(lower[:-1])


@dataclass(frozen=True)
class Quantity:
    """A number of a text with its unit, as :func:`quantities` reads it.

    Attributes:
        value: the number normalised, signed (``-5``, ``1.5``).
        unit: the unit (see :func:`unit`), or None.
        measures: what the unit measures (``length``), or None.
        after: the unit or word right after the number as written, lower-cased (``cm``,
            ``speakers``), or None.
        name: whether the number is part of a name or an ordinal ("Echo 4", "4th gen"): no
            quantity.
        start: where the number (its currency or sign) starts in the text.
        end: where its unit or word ends.
        range_of: index of the other end of a range ("3-4 people") in the list, or None.
    """

    value: str
    unit: str | None
    measures: str | None
    after: str | None
    name: bool
    start: int
    end: int
    range_of: int | None = None

    @property
    def in_base_unit(self) -> tuple[str, float] | None:
        """The quantity in its measure's base unit (``("m", 0.14)`` for 14 cm), for units that
        convert by a power of ten or the clock; None for others and for numbers without one."""
        scale = _SCALES.get(self.unit or "")
        if scale is None:
            return None
        return scale[0], round(float(self.value) * scale[1], 9)

    @property
    def stated(self) -> str:
        """The number and its unit or word: ``14 cm``, ``-5 °c``, ``12 speakers``, ``£20``."""
        if self.after in _CURRENCIES:
            return f"{self.after}{self.value}"
        return f"{self.value} {self.after or ''}".strip()


def quantities(text: str) -> list[Quantity]:
    """The numbers of ``text`` with their units, in text order.

    A number right after a capitalised word that does not start a sentence and without a unit
    is part of a name ("Echo 4", "Corrie Down 0"), as is an ordinal ("4th"). In dimensions
    ("30 x 20 cm") and ranges ("3-4 people") every number has the unit of the last, and a range's
    ends know each other. A currency sign before a number is its unit.

    Example:
        >>> [(q.value, q.unit) for q in quantities("A 30 x 20 cm bag, -5°C, for £20")]
        [('30', 'cm'), ('20', 'cm'), ('-5', '°c'), ('20', 'gbp')]
    """
    found: list[Quantity] = []
    for m in QUANTITY.finditer(text):
        currency, sign, digits, after = m.groups()
        number = parse_number(digits)
        if number is None:
            continue
        value = f"{'-' if sign else ''}{number:g}"
        named = _UNITS.get(currency.strip()) if currency else unit(after) if after else None
        ordinal = bool(after) and after in _ORDINAL_ENDS and m.start(4) == m.end(3)
        name = ordinal or (named is None and _after_name_word(text, m.start()))
        found.append(Quantity(
            value, named[0] if named else None, named[1] if named else None,
            (currency.strip() if currency else after.lower() if after else None), name,
            m.start(), m.end(),
        ))
    # Dimensions and ranges: "30 x 20 cm", "3-4 people" -> both in cm, both people.
    for i in range(len(found) - 2, -1, -1):
        q, nxt = found[i], found[i + 1]
        gap = text[q.end : nxt.start].strip()
        if q.after in _TIMES and not gap:
            found[i] = Quantity(q.value, nxt.unit, nxt.measures, nxt.after, q.name, q.start, q.end)
        elif (gap in _RANGE_MARKS and (q.after is None or q.measures == "money")) or (
            q.after == "to" and not gap
        ):
            if q.measures == "money":  # "£20-25": the currency is the range's
                nxt = Quantity(nxt.value, q.unit, q.measures, q.after, nxt.name, nxt.start,
                               nxt.end)
            else:
                q = Quantity(q.value, nxt.unit, nxt.measures, nxt.after, q.name, q.start, q.end)
            found[i] = Quantity(q.value, q.unit, q.measures, q.after, q.name, q.start, q.end, i + 1)
            found[i + 1] = Quantity(nxt.value, nxt.unit, nxt.measures, nxt.after, nxt.name,
                                    nxt.start, nxt.end, i)
    return found


def _after_name_word(text: str, at: int) -> bool:
    """Whether the number at ``at`` follows a capitalised word that does not start a sentence."""
    end = at
    while end > 0 and text[end - 1] == " ":
        end -= 1
    start = end
    while start > max(0, end - 64) and (text[start - 1].isalnum() or text[start - 1] in "-'’"):
        start -= 1  # bounded: a name's word, not a run of a million letters
    if start == end or not text[start].isupper():
        return False
    before = text[max(0, start - 64) : start].rstrip()
    return bool(before) and before[-1] not in ".!?:\n"
