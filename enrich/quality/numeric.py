"""The number check of grounding: each number of a text against the input's numbers.

A number of the text is supported only by an input number of the same value and sign ("-5°C" is
not "5°C") and a compatible unit (:func:`~enrich.quality.text.unit` normalises the spellings; a
number without a unit is compatible with any, one with a unit not with an input number without
one: "650 g" for a fill power of "650"). The same quantity in another metric unit or on the clock
is the same ("1500 ml" for 1.5 l, see :attr:`~enrich.quality.text.Quantity.in_base_unit`), and
an attribute value "29 in" is in inches. Where the words right after or before it name a numeric
attribute key of the product ("14 cm heel", "R-value of 3.8"), the input number must be that
key's (or the title's): 14 cm that is the shaft height, said of the heel, is contradicted. After
the number, a key without a number names the part it is of ("a 600 ml jar" for a capacity of
600 ml) unless the number's own key names another part: "a 120 cm gauge", where 120 cm is the
"hose length", is contradicted. A number in a name or an ordinal ("Echo 4th gen", "Corrie Down
0") is no quantity: it supports none and is supported wherever the input writes it. The ends of
a range ("3-4 people") are supported when one of them is, unless the other is the same end of a
range of the fields ("65 to 110 cm" of "65-130 cm"). Another number of what a single input value
measures is contradicted; one a list of values lacks is unsupported. A number of another kind
than the word before it asks for is contradicted, even where the input has it: "weighs 600 ml",
"a price of 900 W" (:func:`asked_for`).

Numbers in words are read as their digits (:func:`spelled_numbers`: "eighty kilograms", "an
eight-millimetre drop", "one hundred and eight keys"), and a count of its own noun is said of the
key that counts that noun ("five modes" of "modes: 2"). Looking back, a number with a unit is
never said of a key whose numbers measure another kind ("two burners give 3.0 kW each"), nor past
"and" or "with"; right before such a key it contradicts it ("a 19 kg seat height"). A rate of the
fields times an amount of what it is per is theirs too ("35 m²" of "14 m² per litre" and
"2.5 L"). For a summary, a number its reviews state of the same thing is supported.

Example:
    >>> check_numbers("A 120 cm gauge on a 50 cm hose.", ScoreInputs(
    ...     attributes={"hose length": "120 cm", "gauge": "analogue"}), skip=set())
    [(True, 'number: 120 cm'), (True, 'number: 50 cm')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from enrich.quality.domains import normalise, normalise_key
from enrich.quality.form import FUNCTION_WORDS
from enrich.quality.inputs import ScoreInputs
from enrich.quality.text import (
    WORD, Quantity, numbers, quantities, singular, split_key, unit, value_items, words,
)

# Words next to a number that name the thing it is of ("14 cm heel", "R-value of 3.8"): at most
# this many on each side, and at most this many words passed over before it ("lasts up to").
_BOUND_WORDS = 2
_BOUND_REACH = 4
KEY_STOPWORDS = FUNCTION_WORDS | {"type"}
# Words of a key that name a measure, not a part: "capacity" names no part, "hose length" the
# hose. A number whose keys name only measures may be said of any part ("a 600 ml jar").
MEASURE_WORDS = frozenset(
    "capacity volume size length width height depth diameter thickness weight power wattage "
    "voltage output speed pressure temperature time life duration range load count number "
    "rating resistance max maximum min minimum total overall dimension dimensions area "
    "amount quantity level frequency resolution".split()
)

# Words that ask for one kind of quantity when they come right before a number ("weighs 2 kg",
# "a length of 8 m"): a number of another kind there is contradicted ("weighs 600 ml").
_ASKS_FOR = {
    **dict.fromkeys("weigh weighs weighed weighing weight".split(), "mass"),
    **dict.fromkeys("length width height depth diameter".split(), "length"),
    **dict.fromkeys("price priced cost costs costing".split(), "money"),
    **dict.fromkeys("lasts lasting runtime".split(), "time"),
    "volume": "volume", "wattage": "power",
}
_CLAUSE_MARK = re.compile(r"[,;.!?()]")
# Words passed over between such a word and its number: "weighs just under 2 kg".
_ASK_FILLERS = frozenset(
    "of is at in about around just only up to under over nearly roughly approximately a an "
    "the".split()
)


def asked_for(text: str, q: Quantity) -> str | None:
    """The kind of quantity the word right before the number ``q`` asks for (see
    :data:`_ASKS_FOR`), or None.

    Example:
        >>> from enrich.quality.text import quantities
        >>> [asked_for(t, quantities(t)[0]) for t in ("It weighs 600 ml.", "A 2 kg weight.")]
        ['mass', None]
    """
    before = text[max(0, q.start - 60) : q.start]
    before = words(_CLAUSE_MARK.split(before)[-1])  # "a 4 mm weight, a 173 cm mat": not asked
    for word in reversed(before[-5:]):
        if word not in _ASK_FILLERS and not word[:1].isdigit():  # a range's first end: "44-54"
            return _ASKS_FOR.get(word)
    return None


@dataclass(frozen=True)
class _Number:
    """A number of the input: its quantity, the normalised key it is a value of (None: the
    title, brand or category) and whether that holds one value."""

    quantity: Quantity
    key: str | None
    single: bool


# Numbers people write in words, and their digits: counts ("six heat settings") and measures
# ("eighty kilograms", "an eight-millimetre drop", "twenty-five minutes"). Not "one": "one coat",
# "one-hand fold" say no quantity.
COUNT_WORDS = {
    w: str(n) for n, w in enumerate(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split(), start=2)
}
_TENS = {w: n for n, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_UNITS_WORDS = {w: n for n, w in enumerate(
    "one two three four five six seven eight nine".split(), start=1)}
# The words of larger numbers in words, which this reading leaves alone ("two thousand").
_LARGE = frozenset("thousand million".split())
_AFTER_LARGE = re.compile(r"(?i:thousand|million)(?: and)? \Z")
_BELOW_HUNDRED = (
    r"(?P<{p}tens>" + "|".join(_TENS) + r")(?:[- ](?P<{p}unit>" + "|".join(_UNITS_WORDS)
    + r"))?|(?P<{p}small>" + "|".join(COUNT_WORDS) + r"{one})"
)
# A number in words before a word ("six heat settings", "one hundred and eight keys"), or joined
# by a hyphen to a unit ("eight-millimetre"); linear: anchored alternations.
_SPELLED = re.compile(
    r"\b(?i:(?P<hundreds>a|" + "|".join(_UNITS_WORDS) + r")[ -]hundred(?:[ -]and)?(?:[ -](?:"
    + _BELOW_HUNDRED.format(p="h", one="|one") + r"))?|"
    + _BELOW_HUNDRED.format(p="", one="")
    + r")\b(?=(?P<joint>[ -])(?P<next>[^\W\d_]+))"
)


def is_number_word(word: str) -> bool:
    """Whether a lower-cased word is a number in words ("four", "twenty", "hundred")."""
    return word in COUNT_WORDS or word in _TENS or word in _UNITS_WORDS or word == "hundred"


def _below_hundred(m: re.Match, prefix: str) -> int:
    """The value of the tens, units or small number a match of :data:`_SPELLED` holds."""
    small = m.group(prefix + "small")
    if small:
        return _UNITS_WORDS.get(small.lower()) or int(COUNT_WORDS[small.lower()])
    if m.group(prefix + "tens"):
        unit_word = (m.group(prefix + "unit") or "").lower()
        return _TENS[m.group(prefix + "tens").lower()] * 10 + _UNITS_WORDS.get(unit_word, 0)
    return 0


def spelled_numbers(text: str) -> tuple[str, dict[int, str]]:
    """``text`` with its numbers in words as digits, in place (right-aligned in the words' room,
    so every other position holds), and the words each stood for, by the digits' position.

    Example:
        >>> spelled_numbers("Five modes, an eight-millimetre drop, twenty-five minutes.")[0]
        '   5 modes, an     8-millimetre drop,          25 minutes.'
        >>> spelled_numbers("All one hundred and eight keys.")[0]
        'All                   108 keys.'
    """
    said: dict[int, str] = {}

    def as_digits(m: re.Match) -> str:
        if m.group("joint") == "-" and unit(m.group("next")) is None:
            return m.group(0)  # "three-season", "two-way": a counted value, not a measure
        before = text[max(0, m.start() - 16) : m.start()]
        if m.group("next").lower() in _LARGE or _AFTER_LARGE.search(before):
            return m.group(0)  # a part of "two thousand and fifty": not read
        if m.group("hundreds"):
            hundreds = _UNITS_WORDS.get(m.group("hundreds").lower(), 1)  # "a hundred"
            digits = str(hundreds * 100 + _below_hundred(m, "h"))
        else:
            digits = str(_below_hundred(m, ""))
        said[m.end() - len(digits)] = m.group(0)
        return digits.rjust(len(m.group(0)))

    return _SPELLED.sub(as_digits, text), said


# An attribute as check_numbers reads it: (raw key, value, the value's quantities), parsed once.
_Field = tuple[str, str, list[Quantity]]


def _fields(inputs: ScoreInputs) -> list[_Field]:
    """The product's attributes with their values' quantities, each value parsed once."""
    return [(str(k), str(v), quantities(str(v))) for k, v in inputs.attributes.items()]


def _measured(value: str, found_in: list[Quantity] | None = None) -> list[Quantity]:
    """The quantities of a field's value (``found_in``, when already read), less the numbers
    that end a word of letters: a grade's or model's name ("AUS-8" steel, "VG-10", "Omega-3"),
    not a measure of the product."""
    found = []
    for q in quantities(value) if found_in is None else found_in:
        before = value[: q.start].removesuffix("-")
        if not before[-1:].isalpha():
            found.append(q)
    return found


def _input_numbers(inputs: ScoreInputs, fields: list[_Field]) -> list[_Number]:
    parts = [
        (None, None, str(p), None) for p in (inputs.title, inputs.brand, inputs.category) if p
    ]
    parts += [(normalise_key(k), k, v, qs) for k, v, qs in fields]
    found = []
    for key, raw_key, value, qs in parts:
        single = key is None or len(value_items(value)) == 1
        # A key may end on the unit of its bare numbers: "weight (kg)": "2.5" (not "min temp",
        # nor a rate: "pages per minute": "40" counts pages).
        key_words = words(split_key(raw_key)) if raw_key else []
        rate = len(key_words) > 1 and key_words[-2] == "per"
        key_unit = unit(key_words[-1]) if key_words and not rate else None
        for q in _measured(value, qs):
            if key_unit and q.unit is None and not q.name:
                q = replace(q, unit=key_unit[0], measures=key_unit[1])
            elif key and q.after == "in" and not value[q.end :].strip(" )"):
                q = replace(q, unit="in", measures="length")  # a value "29 in" is in inches
            found.append(_Number(q, key, single))
    return found


# Words that join one phrase to the next: a number after them is not the key's before them.
_PHRASE_JOINS = frozenset("and or plus but with while".split())
# What a rate is per, after its number and unit: "14 m² per litre", "10 m²/L".
_PER = re.compile(r"\s{0,3}(?:per|/)\s{0,3}([^\W\d_]{1,20})")


def _rate_totals(fields: list[_Field], facts: list[_Number]) -> list[_Number]:
    """The numbers the fields imply: a rate times an amount, in its unit, of what it is per
    ("14 m² per litre" and "2.5 L": 35 m²), each of the rate's key.

    Example:
        >>> paint = ScoreInputs(attributes={"coverage": "14 m² per litre", "volume": "2.5 L"})
        >>> fields = _fields(paint)
        >>> [f.quantity.value for f in _rate_totals(fields, _input_numbers(paint, fields))]
        ['35']
    """
    totals = []
    for key, value, qs in fields:
        for q in _measured(value, qs):
            per = (m := _PER.match(value, q.end)) and unit(m.group(1))
            if not per:
                continue
            for f in facts:
                if f.quantity.unit == per[0] and not f.quantity.name:
                    total = f"{float(q.value) * float(f.quantity.value):g}"
                    totals.append(_Number(replace(q, value=total), normalise_key(key), False))
    return totals


def _bound_keys(
    text: str, q: Quantity, spans: list[tuple[int, int, str]], at: int,
    key_words: dict[str, set[str]], count_keys: dict[str, str | None],
    looked_back: set[str] | None = None,
) -> set[str]:
    """The keys of ``key_words`` that the words right after the number ``q`` name ("14 cm
    heel"), else those right before it ("battery life of 2 years"): the keys with most words
    among them; none when no key is named. A count of its own noun ("4 heat settings") binds
    only the keys of ``count_keys`` its noun names, where the key's value counts the same noun
    or none ("5 recline positions" for "3-position"; not "2 speeds" for "2000 rpm"). Looking
    back, only the keys of ``looked_back`` (all when None) bind it, and not past "and", "or",
    "with" ... ("three fan speeds and a 15 W draw"). ``at`` is the index in ``spans`` of the
    first word that ends after ``q``."""

    def named(said: list[str], keys: set[str] | None = None) -> set[str]:
        found = set(normalise(" ".join(said)))
        scores = {
            k: len(w & found) for k, w in key_words.items() if keys is None or k in keys
        }
        best = max(scores.values(), default=0)
        return {k for k, n in scores.items() if n == best} if best else set()

    after, end = [], q.end
    for start, stop, word in spans[at : at + _BOUND_WORDS]:
        if start < q.end:  # a word the number is part of: "10-pin"
            start, word = q.end, text[q.end : stop].lstrip("-'’").lower()
        gap = text[end:start]
        if (
            gap.strip() not in ("", "-") or "\n" in gap  # "a 10-pin weight"; not the next line
            or word in KEY_STOPWORDS or any(c.isdigit() for c in word)
        ):
            break
        after.append(word)
        end = stop
    if keys := named(after):
        return keys
    if q.unit is None and q.after and q.after.isalpha() and q.after.lower() not in KEY_STOPWORDS:
        # A count of its own noun ("4 heat settings and 2 speeds"): not the key before, but the
        # count its noun names ("five modes" of "modes": "2").
        nouns = {singular(q.after.lower())} | {singular(w) for _, _, w in spans[at : at + 1]}
        return {
            k for k in named([q.after.lower()])
            if k in count_keys and count_keys[k] in nouns | {None}
        }
    before, start = [], q.start
    first = at - 1
    while first >= 0 and spans[first][1] > q.start:
        first -= 1  # the words of the number itself ("5", "mm")
    for i in range(first, max(-1, first - _BOUND_REACH), -1):
        begin, stop, word = spans[i]
        if text[stop:start].strip() or any(c.isdigit() for c in word):
            break
        start = begin
        if word in _PHRASE_JOINS:
            break  # another phrase's: "three fan speeds and a 15 W draw"
        if word in KEY_STOPWORDS:
            if before:  # the words of one phrase: "a 3 cm heel and 14 cm" is not said of the heel
                break
            continue
        before.append(word)
        if len(before) == _BOUND_WORDS:
            break
    return named(before, looked_back)


def _said_of(text: str, q: Quantity, keys: set[str], key_words: dict[str, set[str]]) -> bool:
    """Whether ``text`` states the number ``q`` as the value of one of ``keys``: its word, then
    "of", "is" or ":", just before the number ("a width of 16 cm"). Not a key's word after the
    number: "a 600 ml jar" says the capacity of the jar, not that the jar's value is 600 ml."""
    named = set().union(*(key_words[k] for k in keys))
    before = text[: q.start].rstrip()
    tokens = words(before)
    if before.endswith(":"):
        tokens.append(":")
    return len(tokens) > 1 and tokens[-1] in ("of", "is", ":") and tokens[-2] in named


def _lettered(word: str) -> bool:
    """Whether ``word`` holds both a letter and a digit."""
    return any(c.isalpha() for c in word) and any(c.isdigit() for c in word)


def check_numbers(
    text: str, inputs: ScoreInputs, skip: set[str], also: str = ""
) -> list[tuple[bool, str]]:
    """(contradicted, ``number: <as stated>``) for each number of ``text`` its input does not
    support (see :func:`check_grounding`); numbers in ``skip`` (a rating's) are not read. A
    number ``also`` states (a summary's reviews) is supported: the same value in the same unit,
    or of the same noun ("3-layer" by "3 layers", not by "3 hours"), or either without one."""
    fields = _fields(inputs)
    facts = _input_numbers(inputs, fields)
    said_also = quantities(spelled_numbers(also)[0]) if also else []
    all_numbers = {f.quantity.value for f in facts} | numbers(inputs.product_text())
    # The keys, by their words: what a number in the text may be said of. Keys without a number
    # too: "a width of 16 cm" for a "wide" boot says the shaft height's 16 cm of the width.
    key_words = {
        f.key: set(f.key.split()) - KEY_STOPWORDS for f in facts if f.key and not f.quantity.name
    } | {
        normalise_key(k): set(normalise_key(k).split()) - KEY_STOPWORDS
        for k, v, qs in fields if not _measured(v, qs)
    }
    key_words = {k: w for k, w in key_words.items() if w}
    single_keys = {f.key for f in facts if f.key and f.single and not f.quantity.name}
    # What each key's numbers measure (None: a bare count): looking back, a number with a unit is
    # never said of a key whose numbers measure something else ("two burners give 3.0 kW each").
    key_measures: dict[str, set[str | None]] = {}
    for f in facts:
        if f.key and not f.quantity.name:
            key_measures.setdefault(f.key, set()).add(f.quantity.measures)
    # Keys whose one value is a count, bare or of its own noun ("modes": "2", "recline":
    # "3-position"), with that noun: a count in the text whose noun names one ("five modes",
    # "five recline positions") is a count of it.
    count_keys = {
        f.key: singular((f.quantity.after or "").lower()) or None for f in facts
        if f.key in single_keys and f.quantity.unit is None and f.quantity.measures is None
    }
    # What a single value measures ("3 cm": length) or counts ("4 people"): another number of it
    # contradicts the input; a number missing from a list ("30 cm, 40 cm") does not.
    single_measures = {
        f.quantity.measures or singular(f.quantity.after or "")
        for f in facts if f.single and not f.quantity.name
    } - {""}
    # A number in words ("six heat settings", "eighty kilograms") is read as its digits, in
    # place; only a contradiction of it is reported, since people write "three attachments" of a
    # list the fields do not count.
    text, spelled = spelled_numbers(text)
    facts = facts + _rate_totals(fields, facts)  # they support a number; they bind no key
    spans = [(m.start(), m.end(), m.group(0).lower()) for m in WORD.finditer(text)]
    found = quantities(text)
    # Words that join letters and digits as the fields write them ("Omega-3", "V8"): a name's
    # number, however the text capitalises it ("omega-3 fish oil").
    lettered = {w.lower() for w in WORD.findall(inputs.product_text()) if _lettered(w)}
    verdicts: list[tuple[bool, str] | None] = []
    at = within = 0  # both advance with the numbers, which come in text order: linear
    for q in found:
        while at < len(spans) and spans[at][1] <= q.end:
            at += 1
        while within < len(spans) and spans[within][1] <= q.start:
            within += 1  # the word the number starts in
        if within < len(spans) and spans[within][0] <= q.start and (
            spans[within][2] in lettered
        ):
            verdicts.append(None)
            continue
        verdicts.append(_verdict(text, q, facts, all_numbers, skip, spans, at, key_words,
                                 single_keys, single_measures, count_keys, key_measures))
    forced = _other_range_ends(found, fields)
    for i in forced:
        verdicts[i] = (True, f"number: {found[i].stated}")
    for i, q in enumerate(found):
        if verdicts[i] and any(_same_quantity(q, r) for r in said_also):
            verdicts[i] = None
    return [
        (v[0], f"number: {spelled[q.start]} {q.after or ''}".strip()) if q.start in spelled else v
        for i, (q, v) in enumerate(zip(found, verdicts))
        if v and (i in forced or not (q.range_of is not None and verdicts[q.range_of] is None))
        and (v[0] or q.start not in spelled)
    ]


def _same_quantity(q: Quantity, other: Quantity) -> bool:
    """Whether two numbers state the same quantity: the same value, and the same unit or noun
    after it where both have one ("3-layer" and "3 layers"; not "3 hours")."""
    if q.value != other.value:
        return False
    if q.unit and other.unit:
        return q.unit == other.unit
    nouns = [singular((x.after or "").lower()) for x in (q, other)]
    nouns = [n for n in nouns if n and n not in KEY_STOPWORDS]
    return len(nouns) < 2 or nouns[0] == nouns[1]


def _other_range_ends(found: list[Quantity], fields: list[_Field]) -> set[int]:
    """The indices in ``found`` of a range's end where its other end is the same end of a range of
    the fields and this one differs: "65 to 110 cm" for a height range of "65-130 cm" (110 cm may
    be another attribute's; a range holds both its ends)."""
    ranges = set()
    for _, _, qs in fields:
        ranges |= {
            (q.value, qs[q.range_of].value, qs[q.range_of].unit)
            for k, q in enumerate(qs) if q.range_of is not None and q.range_of > k
        }
    other = set()
    for i, low in enumerate(found):
        j = low.range_of
        if j is None or j < i:
            continue
        high = found[j]
        same_unit = [(a, b) for a, b, u in ranges if u == high.unit]
        if (low.value, high.value) in same_unit:
            continue
        for a, b in same_unit:
            if low.value == a:
                other.add(j)
            elif high.value == b:
                other.add(i)
    return other


def _verdict(
    text: str, q: Quantity, facts: list[_Number], all_numbers: set[str], skip: set[str],
    spans: list[tuple[int, int, str]], at: int, key_words: dict[str, set[str]],
    single_keys: set[str], single_measures: set[str], count_keys: dict[str, str | None],
    key_measures: dict[str, set[str | None]],
) -> tuple[bool, str] | None:
    """None when the input supports the number ``q``; else (contradicted, the finding)."""
    # Looking back, only the keys it may be of: none of another measure's or a bare count's ("two
    # burners give 3.0 kW each"); right after it, any ("a 19 kg seat height" is wrong).
    looked_back = {
        k for k in key_words if q.measures in key_measures.get(k, {q.measures})
    } if q.measures else None
    item = f"number: {q.stated}"
    if q.value in skip:
        return None
    if q.name:  # "Echo 4", "4th gen": a name's number, supported where the input writes it
        return None if q.value in all_numbers else (False, item)
    asked = asked_for(text, q)
    if asked and q.measures and asked != q.measures and not (
        asked == "money" and (q.after or "").lower() in ("pound", "pounds")  # "priced at 20 pounds"
    ):  # "weighs 600 ml", "a price of 900 W"
        return True, item
    bound = _bound_keys(text, q, spans, at, key_words, count_keys, looked_back)
    base = q.in_base_unit
    candidates = [
        f for f in facts
        if not f.quantity.name and (
            (f.quantity.value == q.value and (q.unit is None or f.quantity.unit == q.unit))
            or (base is not None and f.quantity.in_base_unit == base)  # "1500 ml" for "1.5 l"
        )
    ]
    if bound and not bound & single_keys and not _said_of(text, q, bound, key_words):
        # A key without a number binds it only as in "a width of 16 cm", or as the part the
        # number is of where the number's own key names another part: "a 120 cm gauge" where
        # 120 cm is the hose length; "a 600 ml jar" for a capacity of 600 ml is the jar's.
        part = spans[at][2] if at < len(spans) and spans[at][0] >= q.end else None
        named = set().union(*(key_words[k] for k in bound))
        if candidates and part in named and all(
            f.key and (own := set(f.key.split()) - KEY_STOPWORDS - MEASURE_WORDS)
            and not own & named
            for f in candidates
        ):
            return True, item
        bound = set()
    if candidates:
        if not bound or any(f.key is None or f.key in bound for f in candidates):
            return None
        if q.unit is None and q.after and any(
            singular(f.quantity.after or "") == singular(q.after.lower()) for f in candidates
        ):
            return None  # the same count of the same noun: "80,000 pages" of "80,000 pages/month"
        return True, item  # the input's number is another attribute's ("14 cm heel")
    if _within_bound(text, q, facts, bound):
        return None
    measure = q.measures or singular(q.after or "")
    return bool(measure in single_measures or bound & single_keys), item


# A bound or an approximation right before a number ("just under 5 g", "well over 40 hours",
# "about 12 minutes"), by the side of it the input's number must lie.
_APPROXIMATION = re.compile(
    r"\b(?P<word>under|below|less than|lighter than|smaller than|shorter than|no more than|"
    r"at most|over|above|more than|at least|upwards of|about|around|roughly|approximately|"
    r"nearly|almost|close to)\s++\Z",
    re.IGNORECASE,
)
_BELOW = frozenset(
    "under|below|less than|lighter than|smaller than|shorter than|no more than|at most".split("|")
)
_ABOVE = frozenset("over|above|more than|at least|upwards of".split("|"))
# How far an approximation may be from the input's number: "about 4 kg" of 3.9 kg.
_APPROXIMATE_SHARE = 0.1


def _within_bound(
    text: str, q: Quantity, facts: list[_Number], bound: set[str]
) -> bool:
    """Whether ``q`` is a bound or an approximation ("under five grams", "about 12 minutes") that
    an input number of the same measure (of the keys ``bound``, when the text names any) meets:
    below it, above it or within a tenth of it."""
    base = q.in_base_unit
    m = _APPROXIMATION.search(text, max(0, q.start - 24), q.start)
    if base is None or not m or m.end() != q.start:
        return False
    word = " ".join(m.group("word").lower().split())
    for f in facts:
        own = f.quantity.in_base_unit
        if f.quantity.name or own is None or own[0] != base[0] or (bound and f.key not in bound):
            continue
        if word in _BELOW:
            met = own[1] < base[1]
        elif word in _ABOVE:
            met = own[1] > base[1]
        else:
            met = abs(own[1] - base[1]) <= _APPROXIMATE_SHARE * abs(base[1])
        if met:
            return True
    return False
