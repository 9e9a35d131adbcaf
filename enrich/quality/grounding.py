"""Grounding of descriptions in the product's title, brand, category and attributes.

Three findings, each a list of short strings a reader can act on:

- ``mentioned``: the attributes (and ``brand``) whose value the text mentions; ``share`` is the
  part of them mentioned;
- ``contradicted``: a statement the input says otherwise about: a colour, material or origin
  (cuisine) other than the attribute's, a number of what a single input value measures but
  another value, or an input's number said of another attribute (see
  :mod:`enrich.quality.numeric`), a rating ("4 out of 5", "4 stars") other than the input's,
  another product's or brand's name from the catalog (see :func:`other_names`), a property or a
  thing a yes/no attribute denies ("a built-in hub" where "hub required" is "no", see
  :mod:`enrich.quality.properties`), a part's value written on another part ("a carbon and foam
  pump" where the filter is carbon and foam, see :func:`misplaced_values`; "a 120 cm gauge"
  where 120 cm is the hose length, see :mod:`enrich.quality.numeric`);
- ``unsupported``: a statement the input does not contain: a number, a colour, material or
  origin, a size label, a property word, or a name (a capitalised word group, e.g. a brand or
  product name) that appears in none of the inputs; and a feature, a suitability or a product
  line the input does not talk about (see :mod:`enrich.quality.claims`).

Only a single value is contradicted by another one. A list-valued attribute ("canvas, plastic")
names what the product has, not all it has: a value the list lacks is unsupported.

Numbers are checked by :mod:`enrich.quality.numeric`.

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

from enrich.quality.claims import (
    catalog_features, unsupported_features, unsupported_lines, unsupported_suitability,
)
from enrich.quality.domains import (
    BOOLEAN_VALUES, MAX_NAME_WORDS, AttributeDomains, catalog_name, name_tokens, name_words,
    POSSESSIVE, normalise, set_against,
)
from enrich.quality.faithfulness import evaluative, shares_a_root, stem
from enrich.quality.form import FUNCTION_WORDS
from enrich.quality.inputs import ScoreInputs
from enrich.quality.numeric import KEY_STOPWORDS, MEASURE_WORDS, check_numbers, is_number_word
from enrich.quality.properties import (
    PREDICATE_WORDS, check_properties, denied_things, imitation_mismatches,
)
from enrich.quality.text import (
    WORD, contains_phrase, numbers, quantities, sentences, singular, split_key, value_items, words,
)

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
# Adjectives of a material or colour, by the noun the fields may write: "a wooden frame" of "beech
# wood".
_MATERIAL_ADJECTIVES = {"wooden": "wood", "woollen": "wool", "woolen": "wool", "golden": "gold"}
SIZE_LABELS = frozenset("xxs xs xl xxl xxxl 2xl 3xl".split())
_CLASSES = {
    "colour": (COLOURS, ("colour", "color")),
    "material": (MATERIALS, ("material",)),
    "origin": (ORIGINS, ("origin", "country", "food", "cuisine", "made in")),
}
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
# "I", "I'd", "I've": the writer, not a name.
_WRITER = re.compile(r"I(?:['’][a-z]{1,2})?\Z")
_NAME_VERBS = frozenset(
    "is are was has have offers serves provides features sells makes brings delivers comes "
    "gives can will".split()
)
# Linear-time patterns, as every pattern on untrusted text (see enrich/quality/text.py).
# A capital right after a digit is a unit or a model's ("4K TV", "3D"), not the start of a name.
# Capitalised words in a run on one line (a name never spans a line break).
_CAP_RUN = re.compile(
    r"(?<!\d)[A-Z][\w'’&-]*+(?:[^\S\n]++(?:of[^\S\n]++|the[^\S\n]++|&[^\S\n]++)?+"
    r"[A-Z][\w'’&-]*+)*+"
)
# Words of a key that name a property any part may have: "material: steel" may be said of the
# handle; "filter: carbon" only of the filter.
_PROPERTY_KEY_WORDS = frozenset(
    "material materials fabric colour color colours colors finish pattern patterns style design "
    "shape texture look feel".split()
)
# A one-word value that reads as an adjective says how, not what, and fits any part ("an
# adjustable armrest" where the lumbar support is "adjustable"): only what a part is made of or
# holds can be misplaced. Linear: one anchored alternation.
_ADJECTIVE_END = re.compile(r"(?:able|ible|ed|less|ful|ive|ous|ing)$")
# Endings of words that are adjectives only, never the thing a list of values modifies.
_PREDICATE_END = re.compile(r"(?:able|ible|less|ful|ous)$")
# "4/5", "4 out of 5", "4-star"; not the decimals around a slash ("Bluetooth 5.1 / 2.4 GHz").
_RATING = re.compile(
    r"(?<![\d.,])\b(\d)\s*+(?:out of|/)\s*+(\d++)(?![.,]\d)|\b(\d)[- ]stars?\b", re.IGNORECASE
)




@dataclass(frozen=True)
class Grounding:
    """What a text says about the product, against the input."""

    mentioned: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    contradicted: list[str] = field(default_factory=list)
    share: float | None = None


def _ratings(text: str) -> set[str]:
    found = set()
    for m in _RATING.finditer(text):
        found.add(f"{m.group(1)}/{m.group(2)}" if m.group(1) else f"{m.group(3)}/5")
    return found


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
        if value.strip().lower() in BOOLEAN_VALUES:
            hit = contains_phrase(text_words, words(split_key(str(key))))
        elif numbers(value):
            hit = numbers(value) <= text_numbers
        else:
            hit = bool(value_words) and contains_phrase(text_words, words(value))
        if hit:
            found.append(str(key))
    return found


# What may stand before a sentence's first word: quotes, a bracket, a list's bullet.
_OPENING_MARKS = frozenset({"", '"', "'", "(", "-", "–", "—", "•", "*", "·"})


def _names(text: str, *, initial: bool = True) -> list[str]:
    """Capitalised word groups that read as names: sentence-initial ones of one word only before
    a verb, and without ``initial`` (a summary's sentences, which open on what buyers talk
    about: "Shipping was fast") only those of two words or more ("The Philips Sonicare is")."""
    names = []
    for sentence in sentences(text):
        for m in _CAP_RUN.finditer(sentence):
            group = m.group(0)
            tokens = group.split()
            line = sentence[: m.start()].rsplit("\n", 1)[-1].strip()
            if line in _OPENING_MARKS and sentence[m.end() :].startswith(":") and all(
                t[:1].isupper() for t in tokens
            ):
                continue  # a list's label: "- Breathable: 15,000 g/m²", "Connection: USB-C"
            opens = sentence[: m.start()].strip() in _OPENING_MARKS
            if opens:
                # A capital that only starts the sentence, before a lowercase connector, is no
                # name's: "Meet the Ridge Daypack", "Discover the Halo".
                if len(tokens) > 2 and tokens[1].islower():
                    tokens = tokens[2:]
                while tokens and tokens[0].lower() in _COMMON_CAPS:
                    tokens = tokens[1:]
                if not tokens or (not initial and len(tokens) == 1):
                    continue
                if len(tokens) == 1 and tokens == group.split():
                    following = sentence[m.end():].split()
                    if not following or following[0].lower().strip(",.") not in _NAME_VERBS:
                        continue
                    if _common_opening(tokens[0]):
                        continue  # "Comfort comes first", "Quilters will appreciate"
            # Words at the edges that are not part of a name ("Aromi Is", "Its decor").
            while tokens and tokens[-1].lower() in _COMMON_CAPS | _NAME_VERBS:
                tokens = tokens[:-1]
            while tokens and tokens[0].lower() in _COMMON_CAPS | _NAME_VERBS:
                tokens = tokens[1:]
            if tokens and not (len(tokens) == 1 and _WRITER.match(tokens[0])):
                names.append(" ".join(tokens))
    return names


# The plural of a word for people by what they do ("Quilters", "Cyclists", "Musicians").
_PEOPLE_PLURAL = re.compile(r"[a-z](?:ers|ists|ians)\Z")


def _common_opening(word: str) -> bool:
    """Whether a capitalised word that opens a sentence before a verb is a common word rather
    than a name: one VADER's lexicon scores ("Comfort", "Quality"), or people by what they do."""
    lower = word.lower()
    return evaluative(lower) or bool(_PEOPLE_PLURAL.search(lower))


def _part_words(key: str) -> set[str]:
    """The stems of the words of ``key`` that name a part of the product ("hose" of "hose
    length", "body" of "body shape", "filter"), none for a key of a measure or a property alone
    ("capacity", "material")."""
    said = set(words(split_key(key)))
    if "per" in said:
        return set()  # a rate ("strokes per minute") measures, it names no part
    said -= KEY_STOPWORDS | MEASURE_WORDS | PREDICATE_WORDS
    return {stem(w) for w in said - _PROPERTY_KEY_WORDS}


def misplaced_values(text: str, inputs: ScoreInputs) -> list[str]:
    """Values of a part's attribute that ``text`` writes on another part: a value (or an item of
    a list value) right before a word that names another key's part, when the value is no value
    of that key or of a property key. "A carbon and foam pump" where the filter is "carbon and
    foam" and a "pump noise" key names the pump; "a stainless steel lid" where the handle is
    stainless steel and the lid glass. A value of a measure or property key ("material") may be
    said of any part, and a value after a preposition of relation says what the product serves,
    not a part it has: "for freshwater and marine tanks", where the water type is "freshwater
    and marine" and a "tank size" key names the tank.

    A list of a key's values written as the modifier of a thing that no field names is misplaced
    too: "an electric, induction and ceramic fryer", where those are the compatible hobs and no
    field names a fryer. The list must open its phrase (after "a", "the", "with", ...) and the
    thing must end it. A single value before an unnamed word is not read as such: "a coffee shop
    eatery" and "a glass body" say the same thing in other words more often than not.

    Example:
        >>> misplaced_values("It pairs a carbon and foam pump with a USB cable.", ScoreInputs(
        ...     attributes={"filter": "carbon and foam", "pump noise": "under 30 dB"}))
        ['filter: carbon and foam pump']
    """
    parts = {k: _part_words(str(k)) for k in inputs.attributes}
    holders: dict[str, set[str]] = {}  # a value's words -> the keys that hold it
    for key, value in inputs.attributes.items():
        for item in {str(value), *value_items(str(value))}:
            holders.setdefault(" ".join(words(item)), set()).add(key)
    spans = [(m.start(), m.end(), m.group(0).lower()) for m in WORD.finditer(text)]
    tokens = [w for _, _, w in spans]
    stems = [stem(w) for w in tokens]
    named = {stem(w) for w in words(inputs.all_text())}
    found: dict[int, str] = {}  # the part word's index -> the finding, the longest value first
    for key, own in parts.items():
        value = str(inputs.attributes[key])
        if not own or value.strip().lower() in BOOLEAN_VALUES or quantities(value):
            continue
        if "type" in words(split_key(str(key))):
            continue  # a kind, not a part's make: "an E Ink Carta screen" of a display type
        items = sorted({value, *value_items(value)}, key=len, reverse=True)
        item_words = {w for item in items for w in words(item)}
        for item in items:
            said = words(item)
            n = len(said)
            if n == 1 and (_ADJECTIVE_END.search(said[0]) or (
                said[0].endswith("ic") and said[0] not in MATERIALS  # "sonic", not "ceramic"
            )):
                continue
            for i in range(len(tokens) - n):
                head = i + n
                if not said or tokens[i:head] != said or stems[head] in own or any(
                    shares_a_root(stems[head], w) for w in own
                ):
                    continue  # its own key's part, in any form: "downward sensors" of sensing
                if text[spans[head - 1][1] : spans[head][0]].strip(" -"):
                    continue  # punctuation between: "a coffee shop, family friendly"
                if " ".join(tokens[i : head + 1]) in holders:
                    continue  # "a full bolster": the words are a value too, the bolster's
                others = {k for k, part in parts.items() if stems[head] in part}
                holding = holders.get(" ".join(said), set())
                if others and _list_opener(tokens, i, item_words) in _RELATION_WORDS:
                    continue  # "for freshwater and marine tanks": what it serves, not has
                if others and not others & holding and all(parts[k] for k in holding):
                    found.setdefault(head, f"{key}: {' '.join(tokens[i : head + 1])}")
                elif (
                    not others
                    and stems[head] not in named
                    and tokens[head].isalpha()
                    and tokens[head] not in FUNCTION_WORDS | _PROPERTY_KEY_WORDS
                    and not _PREDICATE_END.search(tokens[head])  # "find the table and cover useful"
                    and not holding - {key}
                    and _modifying_list(text, spans, tokens, i, head, item_words)
                ):
                    found.setdefault(head, f"{key}: {' '.join(tokens[i : head + 1])}")
    return [found[i] for i in sorted(found)]


# Words after which a value stands as the modifier of the thing that follows it ("a nylon pick").
_MODIFIER_OPENERS = frozenset("a an the its their this with".split())
# Prepositions that relate the product to the thing after them, which it serves or suits but
# does not have: "for freshwater tanks", "clears waste from marine tanks", "on induction hobs".
_RELATION_WORDS = frozenset(
    "for from in into on onto to inside across around between under over near".split()
)
# Most words of a list of values read before the value that ends it (linear on any text).
_LIST_REACH = 12


def _list_start(tokens: list[str], start: int, item_words: set[str]) -> int:
    """Where the list of a key's values (words of ``item_words`` joined by "and" or "or") that
    ends with the value at word ``start`` begins (``start`` for a value alone)."""
    reach = max(0, start - _LIST_REACH)
    while start > reach and (tokens[start - 1] in item_words or tokens[start - 1] in ("and", "or")):
        start -= 1
    return start


def _list_opener(tokens: list[str], start: int, item_words: set[str]) -> str | None:
    """The word before that list; None at the text's start."""
    first = _list_start(tokens, start, item_words)
    return tokens[first - 1] if first else None


def _modifying_list(
    text: str, spans: list, tokens: list[str], start: int, head: int, item_words: set[str]
) -> bool:
    """Whether the value at word ``start`` ends a list of two or more of its key's values (words
    of ``item_words`` joined by commas, "and" or "or") that modifies word ``head``: a determiner
    or "with" before the list, and punctuation, a function word or the end after the head."""
    last, start = start, _list_start(tokens, start, item_words)
    joins = sum(w in ("and", "or") for w in tokens[start:last])
    commas = text[spans[start][0] : spans[head - 1][0]].count(",")
    if not joins + commas or start == 0 or tokens[start - 1] not in _MODIFIER_OPENERS:
        return False
    if head + 1 == len(tokens):
        return True
    punctuated = bool(text[spans[head][1] : spans[head + 1][0]].strip())
    return punctuated or tokens[head + 1] in FUNCTION_WORDS


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


_VOWELS = frozenset("aeiouy")
_DEMONYM_ENDINGS = ("ese", "ian", "an", "n", "ish", "i")


def _demonym_root(word: str) -> str | None:
    """The place a people's or place's adjective is formed from, as its first letters
    ("lankan": "lanka", "italian": "ital", the root of "italy"); None for another word."""
    for ending in _DEMONYM_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return None


def check_grounding(
    text: str, inputs: ScoreInputs, *, domains: AttributeDomains | None = None,
    reviews: str = "",
) -> Grounding:
    """Compare what ``text`` states with the product's inputs (see the module docstring).

    Args:
        text: a generated description, ad or review summary.
        inputs: the product's title, brand, category and attributes.
        domains: the catalog's categorical attribute domains and names (None: only the
            built-in kinds).
        reviews: a summary's reviews, as one text. A summary may state what its reviews state
            (a value, a number, a name, a feature), and speaks of experience with the verbs of
            having and taking ("has a nice feel"), which then claim no feature.

    Returns:
        The mentioned attributes, the unsupported and contradicted statements, and the share of
        attributes mentioned (None when the input has none).
    """
    source = "\n".join(p for p in (inputs.product_text(), reviews) if p)
    source_words = set(words(source)) | set(words(split_key(" ".join(inputs.attributes))))
    # A hyphenated word's parts are the source's words too ("black-and-white", "PU-coated").
    source_words |= {p for w in source_words if "-" in w for p in w.split("-") if p}
    review_words = set(words(reviews))
    review_text = " ".join(words(reviews))
    review_stems = {stem(w) for w in review_words}
    text_words = words(text)
    mentioned = mentioned_attributes(text_words, inputs)
    total = len(inputs.attributes) + (1 if inputs.brand else 0)
    unsupported: list[str] = []
    contradicted: list[str] = []

    def note(target: list[str], item: str) -> None:
        if item not in unsupported and item not in contradicted:
            target.append(item)

    source_forms = {_MATERIAL_ADJECTIVES.get(w, w) for w in source_words}
    for cls, (vocab, key_words) in _CLASSES.items():
        declared = [
            value_items(v) for k, v in inputs.attributes.items()
            if any(w in split_key(str(k)) for w in key_words)
            or any(item.lower() in vocab for item in value_items(v))
        ]
        # Another value contradicts only attributes that each hold one value.
        single = bool(declared) and all(len(items) == 1 for items in declared)
        for at, word in enumerate(text_words):
            if (
                word in vocab and word not in source_words and not set_against(text_words, at)
                and _MATERIAL_ADJECTIVES.get(word, word) not in source_forms
                and (single or not reviews)
            ):
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
    for contradicts, item in check_numbers(text, inputs, rating_numbers, also=reviews):
        note(contradicted if contradicts else unsupported, item)

    claimed = {item.split(": ", 1)[1].lower() for item in unsupported + contradicted}
    if domains:
        # A value a built-in kind already reported ("origin: french") is not reported twice.
        wrong, missing = domains.check(text, inputs)
        reviewed = normalise(reviews)
        for target, found in ((contradicted, wrong), (unsupported, missing)):
            for item in found:
                value = item.split(": ", 1)[1]
                # Not what a review says in its words ("on ear" of "on long flights, ear cups").
                said = normalise(value)
                if not (set(value.split()) <= claimed or contains_phrase(reviewed, said)):
                    note(target, item)
                    claimed |= set(value.split())
    for item in other_names(text, inputs, domains):
        note(contradicted, item)
        claimed |= set(words(item.split(": ", 1)[1]))
    # Features and properties before names: "takes AA batteries" is one claim, not a name too.
    for feature in unsupported_features(text, inputs, also=reviews, having=not reviews):
        note(unsupported, f"feature: {feature}")
        claimed |= set(feature.split())
    for whom in unsupported_suitability(text, inputs, also=reviews):
        note(unsupported, f"suitable for: {whom}")
        claimed |= set(whom.split())
    for line in unsupported_lines(text, inputs, source_words):
        note(unsupported, f"line: {line}")
        claimed |= set(words(line))
    not_stated, denied = check_properties(text, inputs, also=reviews)
    for target, found in ((contradicted, denied), (unsupported, not_stated)):
        for item in found:
            note(target, item)
            claimed |= set(words(item.split(": ", 1)[1]))
    for item in misplaced_values(text, inputs):
        if not {stem(w) for w in words(item.split(": ", 1)[1])} <= review_stems:  # reviews' words
            note(contradicted, item)
    for item in imitation_mismatches(text, inputs):
        if item.split(": ", 1)[1] not in review_text:  # a review's own words
            note(contradicted, item)
    # A summary says what buyers wish it had ("no folding handle, sadly"): descriptions only.
    catalog = domains.features if domains and not reviews else ()
    for feature in catalog_features(text, inputs, catalog):
        if not set(feature.split()) <= claimed:
            note(unsupported, f"feature: {feature}")
    # A summary may name what the product lacks as buyers miss it ("the lack of a headrest").
    for item in denied_things(text, inputs, summary=bool(reviews)):
        if item.split(": ", 1)[1] not in claimed:  # "dishwasher safe" reported as a property
            note(contradicted, item)
    lowered_source = " ".join(words(source))
    source_stems = {singular(w) for w in source_words}
    # The source's words as one may write them run together: "Wi-Fi" as "WiFi".
    source_sequence = words(source)
    compact = {w.replace("-", "") for w in source_words} | {  # "USB only" as "USB-only"
        a + b for a, b in zip(source_sequence, source_sequence[1:])
    }
    brand_words = words(inputs.brand or "")
    source_word_stems = {stem(w) for w in source_words}  # a hyphenated word's parts' too
    # A place's adjective names the place ("Sri Lankan" of "Sri Lanka", "Japanese" of "Japan").
    place_roots = source_words | {w[:-1] for w in source_words if w[-1:] in _VOWELS}
    # A summary's sentence opens on what buyers talk about ("Shipping was fast", "Staff are
    # kind"), capitalised as any word there; a name inside a sentence is one ("this DJI drone"),
    # but only a product with a name of its own has another's in its place: a summary of a
    # restaurant or a book without a title names dishes and places.
    named_product = bool(inputs.title or inputs.brand) or not reviews
    for name in _names(text, initial=not reviews) if named_product else ():
        name_words = [POSSESSIVE.sub("", w) for w in words(name)]  # "the Aurora 95 W's warmth"
        # Within a source word a name is the same one ("Japan" of "Japanese"), except the start
        # of a longer brand word: "Built by Nest" for the brand "Nestwell" names another brand.
        cut_brand = any(
            b.startswith(name_words[-1]) and len(b) - len(name_words[-1]) >= 3 for b in brand_words
        )
        stated = all(
            w in FUNCTION_WORDS or is_number_word(w)  # "Wh of LiFePO4", "Four AC outlets"
            or singular(w) in source_stems or w.replace("-", "") in compact
            or _demonym_root(w) in place_roots
            or ("-" in w and all(stem(p) in source_word_stems for p in w.split("-") if p))
            for w in name_words
        )
        if stated or (" ".join(name_words) in lowered_source and not cut_brand):
            continue
        if all(w in claimed for w in name_words) or all(w in claimed for w in words(name)):
            # already reported as a colour, size, origin or a line ("Blendara's Torrapak line")
            continue
        note(unsupported, f"name: {name}")
    share = round(len(mentioned) / total, 4) if total else None
    return Grounding(mentioned, unsupported, contradicted, share)
