"""Grounding of descriptions in the product's title, brand, category and attributes.

Three findings, each a list of short strings a reader can act on:

- ``mentioned``: the attributes (and ``brand``) whose value the text mentions; ``share`` is the
  part of them mentioned;
- ``contradicted``: a statement the input says otherwise about: a colour, material or origin
  (cuisine) other than the attribute's, a number with the same unit as an input number but
  another value, a rating ("4 out of 5", "4 stars") other than the input's, another product's
  or brand's name from the catalog (see :func:`other_names`);
- ``unsupported``: a statement the input does not contain: a number, a colour, material or
  origin, a size label, or a name (a capitalised word group, e.g. a brand or product name) that
  appears in none of the inputs; and a part or feature the text says the product has through an
  inclusion verb ("comes with a built-in charger", "includes a carrying case", "features a
  padded strap", "is equipped with ...") that the input does not talk about, for any feature
  (see :func:`included_features`).

Only a single value is contradicted by another one. A list-valued attribute ("canvas, plastic")
names what the product has, not all it has: a value the list lacks is unsupported.

Given the catalog's :class:`~enrich.quality.domains.AttributeDomains`, another value of any
categorical attribute is contradicted too, for keys no list here names ("a pub" for an
``eatType`` of "coffee shop"; see :mod:`enrich.quality.domains`).

Example:
    >>> g = check_grounding("The red Halvik Halo lasts 50 h.", ScoreInputs(
    ...     title="Halo headphones", brand="Halvik", attributes={"color": "blue", "battery": "40 h"}))
    >>> g.contradicted
    ['colour: red', 'number: 50 h']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from enrich.quality.domains import (
    MAX_NAME_WORDS, AttributeDomains, catalog_name, name_tokens, name_words,
)
from enrich.quality.faithfulness import NOT_CONTENT_WORDS, content_words, stem
from enrich.quality.form import FUNCTION_WORDS
from enrich.quality.inputs import ScoreInputs
from enrich.quality.text import contains_phrase, numbers, sentences, split_key, value_items, words

COLOURS = frozenset(
    "black white red blue green yellow orange purple pink brown grey gray beige navy silver "
    "gold teal turquoise maroon burgundy ivory cream khaki olive charcoal violet lavender "
    "magenta cyan tan".split()
)
MATERIALS = frozenset(
    "cotton wool leather suede polyester nylon silk linen denim steel aluminium aluminum "
    "plastic wood wooden bamboo glass ceramic porcelain rubber silicone titanium brass copper "
    "oak walnut pine canvas velvet cashmere acrylic carbon marble granite".split()
)
# Origin and cuisine adjectives: "Italian leather", "Japanese steel", "serves French food".
ORIGINS = frozenset(
    "italian french english british chinese indian japanese german spanish american mexican "
    "thai greek korean vietnamese turkish swiss swedish danish dutch irish scottish canadian "
    "australian brazilian russian portuguese belgian austrian polish".split()
)
SIZE_LABELS = frozenset("xxs xs xl xxl xxxl 2xl 3xl".split())
_CLASSES = {
    "colour": (COLOURS, ("colour", "color")),
    "material": (MATERIALS, ("material",)),
    "origin": (ORIGINS, ("origin", "country", "food", "cuisine", "made in")),
}
_BOOLEAN = {"yes", "no", "true", "false"}
_STOPWORDS = frozenset(
    "a an the of and or in on at to for with by from is are it its this that".split()
)
# Capitalised words that start sentences without naming anything.
_COMMON_CAPS = frozenset(
    "the a an this that these those it its there here they we you he she i our your their "
    "what which who when where while with for near in at on by as if located also both each "
    "every all some many most one two three this great good nice perfect excellent ideal "
    "however but and or so yet overall customers visitors guests diners families kids".split()
)
_NAME_VERBS = frozenset(
    "is are was has have offers serves provides features sells makes brings delivers comes "
    "gives can will".split()
)
# Linear-time patterns, as every pattern on untrusted text (see enrich/quality/text.py).
# A capital right after a digit is a unit or a model's ("4K TV", "3D"), not the start of a name.
_CAP_RUN = re.compile(
    r"(?<!\d)[A-Z][\w'’&-]*+(?:\s++(?:of\s++|the\s++|&\s++)?+[A-Z][\w'’&-]*+)*+"
)
_NUMBER_UNIT = re.compile(r"(?<![\w.])(\d++(?:[.,]\d++)?+)\s*+([a-zA-Z%°\"£$€]{0,8})")
_RATING = re.compile(r"\b(\d)\s*+(?:out of|/)\s*+(\d++)|\b(\d)[- ]stars?\b", re.IGNORECASE)
_PLURAL_END = re.compile(r"(?:'s|’s|es|s)$")


# Verbs that say the product has what follows them: "includes a case", "features a hood". Not
# the participles that follow what they say of ("induction included", "as featured"), whose
# next words are another clause's.
_INCLUDING_VERBS = frozenset(
    "include includes including feature features featuring boast boasts boasting".split()
)
# Verbs that say so with "with": "comes with a charger", "is equipped with a hood".
_WITH_VERBS = frozenset(
    "come comes came coming ship ships shipped equipped supplied fitted outfitted paired "
    "packed".split()
)
# Words that open a noun phrase: after "and" or "or" only these start another thing included
# ("a case and a charger"); a bare word there may be a verb ("a rain cover and weighs 1 kg").
_PHRASE_OPENERS = frozenset("a an the its their his her your our this these that those".split())


@dataclass(frozen=True)
class Grounding:
    """What a text says about the product, against the input."""

    mentioned: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    contradicted: list[str] = field(default_factory=list)
    share: float | None = None


def _stem(word: str) -> str:
    # Plurals and possessives name the same thing: "Ratings", "Aromi's".
    return _PLURAL_END.sub("", word) if len(word) > 3 else word


def _ratings(text: str) -> set[str]:
    found = set()
    for m in _RATING.finditer(text):
        found.add(f"{m.group(1)}/{m.group(2)}" if m.group(1) else f"{m.group(3)}/5")
    return found


def _number_units(text: str) -> list[tuple[str, str]]:
    out = []
    for m in _NUMBER_UNIT.finditer(text):
        (number,) = numbers(m.group(1)) or {m.group(1)}
        out.append((number, m.group(2).lower()))
    return out


def mentioned_attributes(text_words: list[str], inputs: ScoreInputs) -> list[str]:
    """Names of the attributes (and ``brand``) whose value the text mentions."""
    found = []
    items = list(inputs.attributes.items())
    if inputs.brand:
        items.append(("brand", inputs.brand))
    text_numbers = numbers(" ".join(text_words))
    for key, value in items:
        value = str(value)
        value_words = [w for w in words(value) if w not in _STOPWORDS]
        if value.strip().lower() in _BOOLEAN:
            hit = contains_phrase(text_words, words(split_key(str(key))))
        elif numbers(value):
            hit = numbers(value) <= text_numbers
        else:
            hit = bool(value_words) and contains_phrase(text_words, words(value))
        if hit:
            found.append(str(key))
    return found


def _names(text: str) -> list[str]:
    """Capitalised word groups that read as names (sentence-initial ones only before a verb)."""
    names = []
    for sentence in sentences(text):
        for m in _CAP_RUN.finditer(sentence):
            group = m.group(0)
            tokens = group.split()
            if m.start() == 0 or sentence[: m.start()].strip() in {'"', "'", "("}:
                # A capital that only starts the sentence, before a lowercase connector, is no
                # name's: "Meet the Ridge Daypack", "Discover the Halo".
                if len(tokens) > 2 and tokens[1].islower():
                    tokens = tokens[2:]
                while tokens and tokens[0].lower() in _COMMON_CAPS:
                    tokens = tokens[1:]
                if not tokens:
                    continue
                if len(tokens) == 1 and tokens == group.split():
                    following = sentence[m.end():].split()
                    if not following or following[0].lower().strip(",.") not in _NAME_VERBS:
                        continue
            # Words at the edges that are not part of a name ("Aromi Is", "Its decor").
            while tokens and tokens[-1].lower() in _COMMON_CAPS | _NAME_VERBS:
                tokens = tokens[:-1]
            while tokens and tokens[0].lower() in _COMMON_CAPS | _NAME_VERBS:
                tokens = tokens[1:]
            if tokens and not (len(tokens) == 1 and tokens[0] == "I"):
                names.append(" ".join(tokens))
    return names


def included_features(text: str) -> list[list[str]]:
    """The things ``text`` says the product has through an inclusion verb, each as its words:
    the noun phrases after "includes", "features", "boasts" or "comes with", "is equipped
    with" ..., and those joined to them by "and" or "or" before an article or a determiner.

    Example:
        >>> included_features("It comes with a built-in charger and a case, and weighs 1 kg.")
        [['built-in', 'charger'], ['case']]
    """
    found: list[list[str]] = []
    for sentence in sentences(text):
        tokens = words(sentence)
        i = 0
        while i < len(tokens):
            if tokens[i] in _INCLUDING_VERBS:
                i += 1
            elif tokens[i] in _WITH_VERBS and tokens[i + 1 : i + 2] == ["with"]:
                i += 2
            else:
                i += 1
                continue
            current: list[str] = []
            while i < len(tokens):
                w = tokens[i]
                if w in _PHRASE_OPENERS and not current:
                    i += 1
                elif w in ("and", "or") and current and tokens[i + 1 : i + 2] and (
                    tokens[i + 1] in _PHRASE_OPENERS or tokens[i + 1].isdigit()
                ):
                    found.append(current)
                    current = []
                    i += 1
                elif w in FUNCTION_WORDS or w in NOT_CONTENT_WORDS:
                    break
                else:
                    current.append(w)
                    i += 1
            if current:
                found.append(current)
    return found


def unsupported_features(text: str, inputs: ScoreInputs) -> list[str]:
    """The things of :func:`included_features` that the product's fields do not talk about:
    none of their content words (see :func:`enrich.quality.faithfulness.content_words`) has its
    stem in the title, brand, category or an attribute's name or value."""
    source = inputs.product_text() + "\n" + " ".join(split_key(str(k)) for k in inputs.attributes)
    supported = {stem(w) for w in words(source)}
    found = []
    for phrase in included_features(text):
        said = content_words(phrase)
        if said and not any(stem(w) in supported for w in said):
            found.append(" ".join(phrase))
    return found


def other_names(text: str, inputs: ScoreInputs, domains: AttributeDomains | None) -> list[str]:
    """The names of other products and brands of the catalog that ``text`` states.

    A catalog name (see :mod:`enrich.quality.domains`) counts where the text writes it as a
    name: its first word capitalised (or a number) and every other word capitalised unless it is
    a function word ("Taste of Cambridge"). A one-word name that starts a sentence may be any
    capitalised word ("Classic looks ..."): it counts only before a verb ("Cotto serves ...") or
    where the text names the product by neither its title nor its brand (the other name stands
    where the product's own belongs: "Cotto, in the city centre, ..."), and never when it is a
    word that often starts a sentence ("Overall", "Perfect"). It is the product's own,
    not another's, when all its words are among those of the product's title, brand, category,
    attributes and reviews (a brand "Ridge" for the "Ridge Daypack"). The longest name at a
    place wins.

    Args:
        text: a generated description or summary.
        inputs: the product's fields (and the reviews a summary was written from).
        domains: the catalog's domains and names (None: no names to check).

    Returns:
        ``name: <as written>`` for each other name, in text order.

    Example:
        >>> names = AttributeDomains.learn([], titles=["Halo", "Ridge Daypack"], brands=["Ridge"])
        >>> other_names("The Ridge Daypack is light.", ScoreInputs(title="Halo"), names)
        ['name: Ridge Daypack']
    """
    if not domains or not domains.names:
        return []
    own = set(name_words(inputs.all_text()))
    text_words = name_words(text)
    own_named = any(
        contains_phrase(text_words, name.split())
        for name in (catalog_name(p) for p in (inputs.title, inputs.brand) if p)
        if name
    )
    found: list[str] = []
    for sentence in sentences(text):
        tokens = name_tokens(sentence)
        written = [w for w, _ in tokens]
        normal = [n for _, n in tokens]
        i = 0
        while i < len(written):
            for n in range(min(MAX_NAME_WORDS, len(written) - i), 0, -1):
                if " ".join(normal[i : i + n]) in domains.names:
                    break
            else:
                i += 1
                continue
            span = written[i : i + n]
            as_name = (span[0][0].isupper() or span[0][0].isdigit()) and all(
                w[0].isupper() or w[0].isdigit() or w.lower() in FUNCTION_WORDS for w in span
            )
            if as_name and i == 0 and n == 1:
                following = written[1:2]
                as_name = span[0].lower() not in _COMMON_CAPS and (
                    not own_named or (bool(following) and following[0].lower() in _NAME_VERBS)
                )
            if as_name and not set(normal[i : i + n]) <= own:
                found.append(f"name: {' '.join(span)}")
            i += n
    return found


def check_grounding(
    text: str, inputs: ScoreInputs, *, domains: AttributeDomains | None = None
) -> Grounding:
    """Compare what ``text`` states with the product's inputs (see the module docstring).

    Args:
        text: a generated description.
        inputs: the product's title, brand, category and attributes.
        domains: the catalog's categorical attribute domains and names (None: only the
            built-in kinds).

    Returns:
        The mentioned attributes, the unsupported and contradicted statements, and the share of
        attributes mentioned (None when the input has none).
    """
    source = inputs.product_text()
    source_words = set(words(source)) | set(words(split_key(" ".join(inputs.attributes))))
    text_words = words(text)
    mentioned = mentioned_attributes(text_words, inputs)
    total = len(inputs.attributes) + (1 if inputs.brand else 0)
    unsupported: list[str] = []
    contradicted: list[str] = []

    def note(target: list[str], item: str) -> None:
        if item not in unsupported and item not in contradicted:
            target.append(item)

    for cls, (vocab, key_words) in _CLASSES.items():
        declared = [
            value_items(v) for k, v in inputs.attributes.items()
            if any(w in split_key(str(k)) for w in key_words)
            or any(item.lower() in vocab for item in value_items(v))
        ]
        # Another value contradicts only attributes that each hold one value.
        single = bool(declared) and all(len(items) == 1 for items in declared)
        for word in text_words:
            if word in vocab and word not in source_words:
                note(contradicted if single else unsupported, f"{cls}: {word}")
    for word in text_words:
        if word in SIZE_LABELS and word not in source_words:
            note(unsupported, f"size: {word.upper()}")

    source_ratings, text_ratings = _ratings(source), _ratings(text)
    rating_numbers = set()
    for rating in text_ratings - source_ratings:
        note(contradicted if source_ratings else unsupported, f"rating: {rating}")
    for rating in text_ratings:
        rating_numbers |= set(rating.split("/"))
    source_numbers = numbers(source)
    # Units that a single value carries (the title, or a one-value attribute): another number
    # with such a unit contradicts it; a number missing from a list ("30 cm, 40 cm") does not.
    single_source = "\n".join(
        [str(p) for p in (inputs.title, inputs.brand, inputs.category) if p]
        + [str(v) for v in inputs.attributes.values() if len(value_items(v)) == 1]
    )
    # A unit is compared by its stem: "5 years" contradicts "2 year".
    source_units = {_stem(unit) for _, unit in _number_units(single_source) if unit}
    for number, unit in _number_units(text):
        if number in source_numbers or number in rating_numbers:
            continue
        item = f"number: {number} {unit}".strip()
        note(contradicted if unit and _stem(unit) in source_units else unsupported, item)

    claimed = {item.split(": ", 1)[1].lower() for item in unsupported + contradicted}
    if domains:
        # A value a built-in kind already reported ("origin: french") is not reported twice.
        wrong, missing = domains.check(text, inputs)
        for target, found in ((contradicted, wrong), (unsupported, missing)):
            for item in found:
                value = item.split(": ", 1)[1]
                if not set(value.split()) <= claimed:
                    note(target, item)
                    claimed |= set(value.split())
    for item in other_names(text, inputs, domains):
        note(contradicted, item)
        claimed |= set(words(item.split(": ", 1)[1]))
    lowered_source = " ".join(words(source))
    source_stems = {_stem(w) for w in source_words}
    for name in _names(text):
        name_words = words(name)
        if all(_stem(w) in source_stems for w in name_words) or " ".join(name_words) in lowered_source:
            continue
        if all(w in claimed for w in name_words):  # already reported as a colour, size, origin
            continue
        note(unsupported, f"name: {name}")
    for feature in unsupported_features(text, inputs):
        note(unsupported, f"feature: {feature}")
    share = round(len(mentioned) / total, 4) if total else None
    return Grounding(mentioned, unsupported, contradicted, share)
