"""Grounding of descriptions in the product's title, brand, category and attributes.

Three findings, each a list of short strings a reader can act on:

- ``mentioned``: the attributes (and ``brand``) whose value the text mentions; ``share`` is the
  part of them mentioned;
- ``contradicted``: a statement the input says otherwise about: a colour, material or origin
  (cuisine) other than the attribute's, a number of what a single input value measures but
  another value, or an input's number said of another attribute (see
  :mod:`enrich.quality.numeric`), a rating ("4 out of 5", "4 stars") other than the input's,
  another product's or brand's name from the catalog (see :func:`other_names`), a thing a yes/no attribute denies ("a built-in hub" where "hub
  required" is "no", see :func:`denied_things`), a part's value written on another part ("a
  carbon and foam pump" where the filter is carbon and foam, see :func:`misplaced_values`; "a
  120 cm gauge" where 120 cm is the hose length, see :mod:`enrich.quality.numeric`);
- ``unsupported``: a statement the input does not contain: a number, a colour, material or
  origin, a size label, or a name (a capitalised word group, e.g. a brand or product name) that
  appears in none of the inputs; and a part or feature the text says the product has through an
  inclusion verb ("comes with a built-in charger", "includes a carrying case", "features a
  padded strap", "is equipped with ...") that the input does not talk about, for any feature
  (see :func:`included_features`; a participle states no thing: "a brushed finish" no brush),
  and a product line it places the product in that the input does not name ("part of
  Kilnworth's Zigbee line", see :func:`line_claims`).

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
from dataclasses import dataclass, field, replace

from enrich.quality.domains import (
    MAX_NAME_WORDS, AttributeDomains, catalog_name, name_tokens, name_words, normalise_key,
    normalise_word,
)
from enrich.quality.faithfulness import NOT_CONTENT_WORDS, content_words, stem
from enrich.quality.form import FUNCTION_WORDS
from enrich.quality.inputs import ScoreInputs
from enrich.quality.numeric import KEY_STOPWORDS, MEASURE_WORDS, check_numbers
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
_RATING = re.compile(r"\b(\d)\s*+(?:out of|/)\s*+(\d++)|\b(\d)[- ]stars?\b", re.IGNORECASE)


# Verbs that say the product has what follows them: "includes a case", "features a hood". Not
# the participles that follow what they say of ("induction included", "as featured"), whose
# next words are another clause's.
_INCLUDING_VERBS = frozenset(
    "include includes including feature features featuring boast boasts boasting".split()
)
# What it is compatible with, the product the subject: "takes crampons", "accepts AA batteries".
_TAKING_VERBS = frozenset("takes accepts".split())
# Verbs that say so with "with": "comes with a charger", "is equipped with a hood", "works with
# Alexa".
_WITH_VERBS = frozenset(
    "come comes came coming ship ships shipped equipped supplied fitted outfitted paired "
    "packed work works compatible".split()
)
# Verbs of having that say so only before an indefinite article: "has a child lock" (not "has
# been", "has room for").
_HAVING_VERBS = frozenset("has have".split())
_INDEFINITE = frozenset("a an".split())
# Property words: a suffix (as the last part of a hyphenated word, or a word after another)
# mapped to the stem the fields must write it with ("water resistance" states "water-resistant"),
# and prefixes that negate or qualify a root ("non-stick", "anti-glare", "self-inflating"). Each
# makes a claim about the product in any domain; "free" only hyphenated ("BPA-free": "feel free"
# claims nothing), "safe" and "proof" also as a word after their root ("dishwasher safe"). How it
# was made is one too ("hand-made", "handcrafted", "homemade"), never as a word after another
# ("is made", "well made").
PROPERTY_SUFFIXES = {
    "proof": "proof", "resistant": "resist", "resistance": "resist", "repellent": "repel",
    "repellant": "repel", "free": "free", "safe": "safe", "washable": "wash",
    "made": "made", "crafted": "crafted",
}
# How a thing was made says where or by what ("hand-made") unless its root says how well:
# "well-made", "beautifully crafted" claim nothing checkable. Linear: anchored alternation.
_MAKING = frozenset({"made", "crafted"})
_MANNER = re.compile(r"^well$|ly$")
# Affixes a one-word claim may end in, after a root of three letters or more ("waterproof",
# "handmade").
_ONE_WORD_AFFIXES = ("proof", "made", "crafted")
PROPERTY_ADJECTIVES = frozenset("proof resistant repellent repellant safe washable".split())
PROPERTY_PREFIXES = frozenset("non anti self".split())
_DETERMINERS = frozenset("a an the its your my our their his her this that these those".split())
_COPULAS = frozenset("is are be being been stays remains".split())
_DEGREE_WORDS = frozenset("fully completely totally entirely also and".split())
_NEGATIONS = frozenset("not never no non isn't aren't doesn't don't nor without".split())
_NEGATION_REACH = 3  # words before a property that negate it: "is not fully waterproof"
_PLURAL_NOUN = re.compile(r"[^su]s$")
# Words of a yes/no key that say what is true of its noun, not the noun ("hub required",
# "dishwasher safe", "batteries included").
_PREDICATE_WORDS = frozenset(
    "required needed necessary included safe compatible resistant proof available supported "
    "friendly only allowed suitable ready".split()
)
_TRUE = frozenset("yes true y 1".split())
_FALSE = frozenset("no false n 0 none".split())
# Words that open a noun phrase: after "and" or "or" only these start another thing included
# ("a case and a charger"); a bare word there may be a verb ("a rain cover and weighs 1 kg").
_PHRASE_OPENERS = frozenset("a an the its their his her your our this these that those".split())
# Nouns of a product line, the words that name one at most, and the words before a line the
# product is placed in: "part of Kilnworth's Zigbee line", "joins the Pro series".
_LINE_NOUNS = frozenset("line lineup range series collection family".split())
_LINE_NAME_WORDS = 4
_LINE_OPENERS = frozenset("of from in joins".split())


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


def included_features(text: str, *, having: bool = True) -> list[list[str]]:
    """The things ``text`` says the product has through an inclusion verb, each as its words:
    the noun phrases after "includes", "features", "boasts" or "comes with", "is equipped
    with" ..., after a determiner and "included", "built-in", "integrated", "supplied" or
    "bundled" ("the included scraper"), and, with ``having``, after "takes" or "accepts" (not a
    duration: "takes 4 hours") and after "has" or "have" with an indefinite article ("has a child
    lock"); and those joined to them by "and" or "or" before an article or a determiner; and the
    things said to be included after them ("a case is included", see :func:`_included_before`).
    Not after a negated verb ("does not come with a charger"). A review summary speaks of
    experience with the verbs of having and taking ("takes practice", "has a nice atmosphere"):
    it is read without them.

    Example:
        >>> included_features("It comes with a built-in charger and a case, and weighs 1 kg.")
        [['built-in', 'charger'], ['case']]
        >>> included_features("It has a timer, and has been tested.")
        [['timer']]
        >>> included_features("A matching case is included.")
        [['matching', 'case']]
    """
    found: list[list[str]] = []
    for sentence in sentences(text):
        tokens = words(sentence)
        i = 0
        while i < len(tokens):
            start = i
            if tokens[i] in _INCLUDING_VERBS or (having and tokens[i] in _TAKING_VERBS):
                i += 1
            elif tokens[i] in _WITH_VERBS and tokens[i + 1 : i + 2] == ["with"]:
                i += 2
            elif having and tokens[i] in _HAVING_VERBS and tokens[i + 1 : i + 2] and (
                tokens[i + 1] in _INDEFINITE
            ):
                i += 1
            elif tokens[i] in _HAVING_MODIFIERS and i and tokens[i - 1] in _DETERMINERS:
                i += 1  # "the included scraper", "a built-in calculator"
            else:
                i += 1
                continue
            if _NEGATIONS & set(tokens[max(0, start - _NEGATION_REACH) : start]):
                continue
            if tokens[start] in _TAKING_VERBS and _duration(tokens[i : i + 4]):
                continue  # "a full charge takes 4 hours": how long, not a thing it takes
            current: list[str] = []
            while i < len(tokens):
                w = tokens[i]
                if (w in _PHRASE_OPENERS or w in _INCLUDING_VERBS) and not current:
                    i += 1  # "Features include a strap": the noun "features", then the verb
                elif w in ("and", "or") and current and tokens[i + 1 : i + 2] and (
                    tokens[i + 1] in _PHRASE_OPENERS or tokens[i + 1].isdigit()
                ):
                    found.append(current)
                    current = []
                    i += 1
                elif w in FUNCTION_WORDS or (w in NOT_CONTENT_WORDS and not current):
                    # A pronoun or the product's own noun inside a phrase is part of it ("a high
                    # customer rating"); one that opens it ("everything you need") names nothing.
                    break
                else:
                    current.append(w)
                    i += 1
            if current:
                found.append(current)
        found += _included_before(tokens)
    return found


# Units of time: after "takes" a number of them is a duration ("takes 4 hours", "takes about
# ten minutes", "takes an hour"), not a thing the product takes.
_TIME_UNITS = frozenset(
    "s sec secs second seconds min mins minute minutes h hr hrs hour hours day days week weeks "
    "month months year years".split()
)
_QUANTITY_WORDS = frozenset(
    "a an one two three four five six seven eight nine ten twelve fifteen twenty thirty few "
    "several couple".split()
)


def _duration(following: list[str]) -> bool:
    """Whether the first words after a verb hold a unit of time after a number or a word of
    quantity: "4 hours", "about ten minutes", "a few minutes"."""
    for k, word in enumerate(following):
        if word in _TIME_UNITS:
            before = following[k - 1] if k else ""
            return before.replace(".", "", 1).isdigit() or before in _QUANTITY_WORDS
    return False


# Modifiers that say the thing after them comes with the product, after a determiner: "the
# included scraper", "a built-in calculator", "its integrated light".
_HAVING_MODIFIERS = frozenset("included supplied bundled built-in integrated".split())
# Participles that say the thing before them comes with the product: "a case is included".
_INCLUDED = frozenset("included supplied".split())
_INCLUDED_LINKS = frozenset("is are comes come".split())


def _included_before(tokens: list[str]) -> list[list[str]]:
    """The things of one sentence said to be included after them: "a matching case is
    included", "batteries are supplied", "carry bag included". The phrase must open with a
    determiner or the sentence ("everything you need is included" names nothing); not after a
    negation ("batteries are not included")."""
    found = []
    for i, word in enumerate(tokens):
        if word not in _INCLUDED:
            continue
        end = i - 1 if i and tokens[i - 1] in _INCLUDED_LINKS else i
        if _NEGATIONS & set(tokens[max(0, end - _NEGATION_REACH) : i]):
            continue
        start = end
        while start > 0 and not (
            tokens[start - 1] in FUNCTION_WORDS or tokens[start - 1] in NOT_CONTENT_WORDS
        ):
            start -= 1
        if start < end and (start == 0 or tokens[start - 1] in _PHRASE_OPENERS):
            found.append(tokens[start:end])
    return found


def unsupported_features(
    text: str, inputs: ScoreInputs, also: str = "", *, having: bool = True
) -> list[str]:
    """The things of :func:`included_features` that the product's fields (and ``also``: a
    summary's reviews) do not talk about: none of their content words (see
    :func:`enrich.quality.faithfulness.content_words`) has its stem in the title, brand,
    category, an attribute's name or value, or ``also``."""
    support = _Support.of(words(_fields_text(inputs, also)))
    found = []
    for phrase in included_features(text, having=having):
        said = content_words(phrase)
        if said and not any(support.states(w) for w in said):
            found.append(" ".join(phrase))
    return found


# Words that say whom or what the product suits: "suitable for vegans", "suited to wet hobs".
_SUITING = frozenset("suitable suited".split())


def unsupported_suitability(text: str, inputs: ScoreInputs, also: str = "") -> list[str]:
    """Whom or what ``text`` says the product is suitable for, where the fields (and ``also``:
    a summary's reviews) state none of its content words: "suitable for vegans" of a cat food.
    Not after a negation ("not suitable for children" is no claim it suits them).

    Example:
        >>> unsupported_suitability("It is suitable for vegans.", ScoreInputs(title="Cat food"))
        ['vegans']
    """
    support = _Support.of(words(_fields_text(inputs, also)))
    found = []
    for sentence in sentences(text):
        tokens = words(sentence)
        for i, word in enumerate(tokens[:-1]):
            if word not in _SUITING or tokens[i + 1] not in ("for", "to"):
                continue
            if _NEGATIONS & set(tokens[max(0, i - _NEGATION_REACH) : i]):
                continue
            phrase = []
            for w in tokens[i + 2 :]:
                if w in FUNCTION_WORDS and phrase:
                    break
                if w not in FUNCTION_WORDS:
                    phrase.append(w)
            said = content_words(phrase)
            if said and not any(support.states(w) for w in said):
                found.append(" ".join(phrase))
    return found


def _fields_text(inputs: ScoreInputs, also: str = "") -> str:
    """The product's fields, its attribute names and ``also`` (a summary's reviews), as one
    text: what a claim of the text must find its words in."""
    return "\n".join(
        [inputs.product_text(), " ".join(split_key(str(k)) for k in inputs.attributes), also]
    )


def _participle(word: str) -> bool:
    """Whether a word is a verb's participle or gerund: its stem drops an "-ed" or "-ing"
    ("brushed", "lined", "padding")."""
    return word.endswith(("ed", "ing")) and stem(word) != word


@dataclass(frozen=True)
class _Support:
    """The stems of a source's words, those of participles apart: "a brushed finish" states no
    brush, and "lined" no product line. A participle or gerund of the text is stated by either
    ("padding" by "padded")."""

    stems: frozenset[str]
    participle_stems: frozenset[str]

    @classmethod
    def of(cls, source_words: list[str]) -> _Support:
        return cls(
            frozenset(stem(w) for w in source_words if not _participle(w)),
            frozenset(stem(w) for w in source_words if _participle(w)),
        )

    def states(self, word: str) -> bool:
        """Whether the source states ``word`` in some form."""
        s = stem(word)
        return s in self.stems or (_participle(word) and s in self.participle_stems)


def unsupported_lines(text: str, inputs: ScoreInputs, source_words: set[str]) -> list[str]:
    """The product lines of :func:`line_claims` that the input does not name. A line is named
    where the fields state each of its words, the line noun ("series: Pro") included; or where
    they state its name, and no word of that name is an attribute's value. A model name in the
    title names its line ("part of Vortexa's Tempest line" for the "Vortexa Tempest Go"); a value
    names what the product has, not a line: "part of Kilnworth's Zigbee line" for the "Kilnworth
    Zigbee Smart Button" whose connectivity is Zigbee.

    Args:
        text: a generated description.
        inputs: the product's fields.
        source_words: the words of the fields and of the attribute names.
    """
    support = _Support.of(list(source_words))
    values = {stem(w) for v in inputs.attributes.values() for w in words(str(v))}
    found = []
    for line in line_claims(text):
        name = line[:-1]
        named = all(support.states(w) for w in name) and (
            support.states(line[-1]) or not any(stem(w) in values for w in name)
        )
        if not named:
            found.append(" ".join(line))
    return found


def line_claims(text: str) -> list[list[str]]:
    """The product lines ``text`` places the product in, each as its words as written: a line
    noun (:data:`_LINE_NOUNS`) after one to :data:`_LINE_NAME_WORDS` capitalised words that name
    it, and after "of", "from", "in" or "joins" with or without a determiner ("part of
    Kilnworth's Zigbee line", "from the Heritage collection"). Not a noun followed by "of" ("a
    range of colours") nor one no capitalised word names ("the mid-price range").

    Example:
        >>> line_claims("The Button is part of Kilnworth's Zigbee line, in a range of colours.")
        [["Kilnworth's", 'Zigbee', 'line']]
    """
    found = []
    for sentence in sentences(text):
        written = WORD.findall(sentence)
        lower = [w.lower() for w in written]
        for i, noun in enumerate(lower):
            if noun not in _LINE_NOUNS or lower[i + 1 : i + 2] == ["of"]:
                continue
            j = i
            while (
                j > 0 and i - j < _LINE_NAME_WORDS and lower[j - 1] not in FUNCTION_WORDS
                and (written[j - 1][0].isupper() or written[j - 1][0].isdigit())
            ):
                j -= 1
            if j == i:
                continue
            before = j - 1 if j > 0 and lower[j - 1] in _DETERMINERS else j
            if before > 0 and lower[before - 1] in _LINE_OPENERS:
                found.append(written[j : i + 1])
    return found


@dataclass(frozen=True)
class PropertyClaim:
    """A property word of a text: as written, the word or words it is of (its root), and the
    stem of its affix ("water-resistant": root ``("water",)``, affix ``"resist"``)."""

    written: str
    root: tuple[str, ...]
    affix: str
    negated: bool = False  # "not dishwasher safe"


def property_claims(text: str) -> list[PropertyClaim]:
    """The property words of ``text`` (see :data:`PROPERTY_SUFFIXES`): a word with a property
    suffix or prefix ("waterproof", "water-repellent", "BPA-free", "non-stick", "self-inflating"),
    and a word before a property adjective ("machine washable", "dishwasher safe") where no
    determiner or pronoun comes before that word ("keeps your phone safe" claims nothing).

    Example:
        >>> [c.written for c in property_claims("A non-stick, dishwasher safe pan; fully waterproof.")]
        ['non-stick', 'dishwasher safe', 'waterproof']
    """
    found: list[PropertyClaim] = []
    for sentence in sentences(text):
        tokens = words(sentence)
        for i, claim in _sentence_claims(tokens):
            if any(w in _NEGATIONS for w in tokens[max(0, i - _NEGATION_REACH) : i]):
                claim = replace(claim, negated=True)
            found.append(claim)
    return found


def _one_word_affix(token: str) -> str | None:
    """The affix of a one-word property claim ("waterproof", "handmade"), if it is one."""
    affix = next(
        (a for a in _ONE_WORD_AFFIXES if token.endswith(a) and len(token) > len(a) + 2), None
    )
    if affix in _MAKING and _MANNER.search(token[: -len(affix)]):
        return None  # "wellmade"
    return affix


def _sentence_claims(tokens: list[str]) -> list[tuple[int, PropertyClaim]]:
    """:func:`property_claims` of one sentence's words, each with the index of its first word."""
    found: list[tuple[int, PropertyClaim]] = []
    for i, token in enumerate(tokens):
        parts = token.split("-")
        if len(parts) > 1 and parts[0] in PROPERTY_PREFIXES and all(parts[1:]) and not (
            _PLURAL_NOUN.search(parts[-1])  # "non-professionals": people, not a property
        ):
            found.append((i, PropertyClaim(token, tuple(parts[1:]), parts[0])))
        elif len(parts) > 1 and parts[-1] in PROPERTY_SUFFIXES and all(parts[:-1]) and not (
            parts[-1] in _MAKING and _MANNER.search(parts[-2])  # "well-made" says how well
        ):
            claim = PropertyClaim(token, tuple(parts[:-1]), PROPERTY_SUFFIXES[parts[-1]])
            found.append((i, claim))
        elif len(parts) == 1 and (affix := _one_word_affix(token)):
            found.append((i, PropertyClaim(token, (token[: -len(affix)],), affix)))
        elif token in PROPERTY_ADJECTIVES and i > 0:
            before = tokens[i - 1]
            determined = i > 1 and tokens[i - 2] in _DETERMINERS
            affix = PROPERTY_SUFFIXES[token]
            if before not in FUNCTION_WORDS and before not in NOT_CONTENT_WORDS and not (
                determined or before.isdigit()
            ):
                found.append((i - 1, PropertyClaim(f"{before} {token}", (before,), affix)))
            elif before in _COPULAS or before in _DEGREE_WORDS:
                found.append((i, PropertyClaim(token, (), affix)))
    return found


def check_properties(
    text: str, inputs: ScoreInputs, also: str = ""
) -> tuple[list[str], list[str]]:
    """The property words of ``text`` (:func:`property_claims`) that the product's fields (and
    ``also``: a summary's reviews) do not state, and those an attribute of the product denies.

    A property is stated where the fields write its root and affix together, in any spelling
    ("water resistant" for "water-resistant", "machine wash" for "machine washable"), or name its
    root in an attribute's key with a true value ("dishwasher: yes" for "dishwasher safe"); a
    prefixed one ("non-slip", "self-inflating") where they write its root. It is denied where an
    attribute whose key writes it has a false value ("waterproof: no").

    Returns:
        ``(unsupported, contradicted)``, each as ``property: <as written>``.
    """
    keyed = [
        (_joined(split_key(str(k))), str(v).strip().lower()) for k, v in inputs.attributes.items()
    ]
    fields = _fields_text(inputs, also)
    source = _joined(fields)
    source_stems = {stem(w) for w in words(fields.replace("-", " "))}
    unsupported: list[str] = []
    contradicted: list[str] = []
    for claim in property_claims(text):
        root = "".join(claim.root)
        if claim.affix in PROPERTY_PREFIXES:
            stated = bool(root) and all(stem(w) in source_stems for w in claim.root)
        else:
            stated = root + claim.affix in source or (
                bool(root) and any(root in key and value in _TRUE for key, value in keyed)
            )
        denied = any(
            key and root + claim.affix in key and value in _FALSE for key, value in keyed
        )
        item = f"property: {'not ' * claim.negated}{claim.written}"
        if denied != claim.negated and (stated or denied):
            contradicted.append(item)  # the fields say the opposite
        elif not stated and not denied and item not in unsupported:
            unsupported.append(item)
    return unsupported, contradicted


def denied_things(text: str, inputs: ScoreInputs) -> list[str]:
    """The things ``text`` says the product has or uses that an attribute with a false value
    denies: the key's nouns ("hub" of "hub required: no") stated with no negation within
    ``_NEGATION_REACH`` words ("Google's built-in hub"; not "no hub needed", "works without a
    hub", "a hub is not required"). Each as ``<key>: <noun as written>``."""
    found = []
    sentence_words = [[normalise_word(w) for w in words(s)] for s in sentences(text)]
    for key, value in inputs.attributes.items():
        if str(value).strip().lower() not in _FALSE:
            continue
        nouns = {normalise_word(w) for w in words(split_key(str(key)))} - _PREDICATE_WORDS
        nouns -= FUNCTION_WORDS
        for tokens in sentence_words:
            hits = [
                i for i, w in enumerate(tokens) if w in nouns and not _NEGATIONS & set(
                    tokens[max(0, i - _NEGATION_REACH) : i + _NEGATION_REACH + 1]
                )
            ]
            if hits:
                found.append(f"{normalise_key(str(key))}: {tokens[hits[0]]}")
                break
    return found


def _part_words(key: str) -> set[str]:
    """The stems of the words of ``key`` that name a part of the product ("hose" of "hose
    length", "body" of "body shape", "filter"), none for a key of a measure or a property alone
    ("capacity", "material")."""
    said = set(words(split_key(key))) - KEY_STOPWORDS - MEASURE_WORDS - _PREDICATE_WORDS
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
        if not own or value.strip().lower() in _BOOLEAN or quantities(value):
            continue
        items = sorted({value, *value_items(value)}, key=len, reverse=True)
        item_words = {w for item in items for w in words(item)}
        for item in items:
            said = words(item)
            n = len(said)
            if n == 1 and _ADJECTIVE_END.search(said[0]):
                continue
            for i in range(len(tokens) - n):
                head = i + n
                if not said or tokens[i:head] != said or stems[head] in own:
                    continue
                if text[spans[head - 1][1] : spans[head][0]].strip(" -"):
                    continue  # punctuation between: "a coffee shop, family friendly"
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


def _joined(text: str) -> str:
    """``text``'s words run together, hyphens dropped: spellings of one compound compare equal."""
    return "".join(words(text)).replace("-", "").replace("'", "")


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
    for contradicts, item in check_numbers(text, inputs, rating_numbers):
        note(contradicted if contradicts else unsupported, item)

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
    # Features and properties before names: "takes AA batteries" is one claim, not a name too.
    for feature in unsupported_features(text, inputs):
        note(unsupported, f"feature: {feature}")
        claimed |= set(feature.split())
    for whom in unsupported_suitability(text, inputs):
        note(unsupported, f"suitable for: {whom}")
        claimed |= set(whom.split())
    for line in unsupported_lines(text, inputs, source_words):
        note(unsupported, f"line: {line}")
        claimed |= set(words(line))
    not_stated, denied = check_properties(text, inputs)
    for target, found in ((contradicted, denied), (unsupported, not_stated)):
        for item in found:
            note(target, item)
            claimed |= set(words(item.split(": ", 1)[1]))
    for item in misplaced_values(text, inputs):
        note(contradicted, item)
    for item in denied_things(text, inputs):
        if item.split(": ", 1)[1] not in claimed:  # "dishwasher safe" reported as a property
            note(contradicted, item)
    lowered_source = " ".join(words(source))
    source_stems = {singular(w) for w in source_words}
    # The source's words as one may write them run together: "Wi-Fi" as "WiFi".
    compact = {w.replace("-", "") for w in source_words}
    brand_words = words(inputs.brand or "")
    for name in _names(text):
        name_words = words(name)
        # Within a source word a name is the same one ("Japan" of "Japanese"), except the start
        # of a longer brand word: "Built by Nest" for the brand "Nestwell" names another brand.
        cut_brand = any(
            b.startswith(name_words[-1]) and len(b) - len(name_words[-1]) >= 3 for b in brand_words
        )
        stated = all(
            singular(w) in source_stems or w.replace("-", "") in compact for w in name_words
        )
        if stated or (" ".join(name_words) in lowered_source and not cut_brand):
            continue
        if all(w in claimed for w in name_words):  # already reported as a colour, size, origin
            continue
        note(unsupported, f"name: {name}")
    share = round(len(mentioned) / total, 4) if total else None
    return Grounding(mentioned, unsupported, contradicted, share)
