"""What a text says the product has, suits or belongs to, checked against the product's fields.

- features: the things after an inclusion verb ("comes with a built-in charger", "includes a
  carrying case", "features a padded strap", "is equipped with ...", "the included scraper"),
  for any feature; a participle states no thing ("a brushed finish" no brush);
- suitability: whom or what it is "suitable for";
- product lines: a line it is placed in ("part of Kilnworth's Zigbee line");
- the catalog's features: what other products hold as "yes" ("folding handle"), said of one
  that does not ("fold the handle away").

Each is unsupported where the fields (and, for a summary, its reviews) state none of its content
words in any form. :mod:`enrich.quality.grounding` reports them on descriptions and ads,
:mod:`enrich.quality.gate` on summaries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from enrich.quality.domains import normalise_key
from enrich.quality.faithfulness import NOT_CONTENT_WORDS, content_words, shares_a_root, stem
from enrich.quality.form import FUNCTION_WORDS
from enrich.quality.inputs import ScoreInputs
from enrich.quality.text import DETERMINERS, NEGATION_REACH, NEGATIONS, WORD, sentences, words

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
# What "takes" is followed by when it carries or seats, not when it has: "takes the day's gear",
# "takes children up to 15 kg".
_CARRIED = frozenset(
    "the children kids adults people riders babies toddlers passengers guests".split()
)
_INDEFINITE = frozenset("a an".split())
# Nouns of a product line, the words that name one at most, and the words before a line the
# product is placed in: "part of Kilnworth's Zigbee line", "joins the Pro series".
_LINE_NOUNS = frozenset("line lineup range series collection family".split())
_LINE_NAME_WORDS = 4
_LINE_OPENERS = frozenset("of from in joins".split())


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
            elif tokens[i] in _HAVING_MODIFIERS and i and tokens[i - 1] in DETERMINERS:
                i += 1  # "the included scraper", "a built-in calculator"
            else:
                i += 1
                continue
            if NEGATIONS & set(tokens[max(0, start - NEGATION_REACH) : start]):
                continue
            if tokens[start] in _TAKING_VERBS and (
                _duration(tokens[i : i + 4]) or (i < len(tokens) and tokens[i] in _CARRIED)
            ):
                # "a full charge takes 4 hours": how long; "takes children up to 15 kg", "takes
                # the day's gear": whom or what it carries, not a thing it takes.
                continue
            current: list[str] = []
            while i < len(tokens):
                w = tokens[i]
                if (w in DETERMINERS or w in _INCLUDING_VERBS) and not current:
                    i += 1  # "Features include a strap": the noun "features", then the verb
                # After "and" or "or" only a determiner starts another thing ("a case and a
                # charger"); a bare word there may be a verb ("a rain cover and weighs 1 kg").
                elif w in ("and", "or") and current and tokens[i + 1 : i + 2] and (
                    tokens[i + 1] in DETERMINERS or tokens[i + 1].isdigit()
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
        if NEGATIONS & set(tokens[max(0, end - NEGATION_REACH) : i]):
            continue
        start = end
        while start > 0 and not (
            tokens[start - 1] in FUNCTION_WORDS or tokens[start - 1] in NOT_CONTENT_WORDS
        ):
            start -= 1
        if start < end and (start == 0 or tokens[start - 1] in DETERMINERS):
            found.append(tokens[start:end])
    return found


def unsupported_features(
    text: str, inputs: ScoreInputs, also: str = "", *, having: bool = True
) -> list[str]:
    """The things of :func:`included_features` that the product's fields (and ``also``: a
    summary's reviews) do not talk about: none of their content words (see
    :func:`enrich.quality.faithfulness.content_words`) has its stem in the title, brand,
    category, an attribute's name or value, or ``also``. A thing measured by a number the
    fields state is theirs ("comes with a 1.5 L jar" of a capacity of 1.5 L; the number is
    checked by :mod:`enrich.quality.numeric`)."""
    source = words(inputs.fields_text(also))
    support, source_words = _Support.of(source), set(source)
    found = []
    for phrase in included_features(text, having=having):
        said = content_words(phrase)
        digits = {w for w in phrase if w.isdigit()}
        if digits and digits <= source_words:
            continue
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
    support = _Support.of(words(inputs.fields_text(also)))
    found = []
    for sentence in sentences(text):
        tokens = words(sentence)
        for i, word in enumerate(tokens[:-1]):
            if word not in _SUITING or tokens[i + 1] not in ("for", "to"):
                continue
            if NEGATIONS & set(tokens[max(0, i - NEGATION_REACH) : i]):
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
            before = j - 1 if j > 0 and lower[j - 1] in DETERMINERS else j
            if before > 0 and lower[before - 1] in _LINE_OPENERS:
                found.append(written[j : i + 1])
    return found


# Words between a catalog feature's words, at most, for them to say it together: "fold the
# handle away" says a "folding handle".
_FEATURE_GAP = 2


@lru_cache(maxsize=65536)
def _feature_stems(key: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in key.split() if w not in FUNCTION_WORDS)


def catalog_features(text: str, inputs: ScoreInputs, features: Iterable[str]) -> list[str]:
    """The catalog's features (normalised keys some product holds as "yes",
    :attr:`enrich.quality.domains.AttributeDomains.features`) that ``text`` gives a product
    whose fields do not: each of the key's words in some form (:func:`stem`, or a longer form of
    it: "automatic" of "auto", see :func:`shares_a_root`) in one sentence, at most
    ``_FEATURE_GAP`` words apart, with no negation within ``NEGATION_REACH`` words before them
    ("fold the handle away" of a "folding handle"; not "no folding handle"). A product with the
    key itself, or whose fields state every word of it in some form ("foldable" for "folding"),
    is not given it by the text.

    Example:
        >>> catalog_features("An automatic shut-off; fold the handle away.", ScoreInputs(
        ...     attributes={"wattage": "2200 W"}), ["folding handle", "auto shut off", "cool shot"])
        ['auto shut off', 'folding handle']
    """
    own = {normalise_key(str(k)) for k in inputs.attributes}
    support = _Support.of(words(inputs.fields_text()))
    field_stems = support.stems | support.participle_stems
    sentence_stems = [[stem(w) for w in words(s)] for s in sentences(text)]
    # A word and a longer form of it share their first four letters (see shares_a_root).
    said_starts = {t[:4] for tokens in sentence_stems for t in tokens}
    found = []
    for key in features:
        stems = _feature_stems(key)  # cached: the quick test first, over every feature
        if not stems or key in own or not all(s[:4] in said_starts for s in stems):
            continue
        said = [w for w in key.split() if w not in FUNCTION_WORDS]
        if all(
            support.states(w) or any(shares_a_root(s, f) for f in field_stems)
            for w, s in zip(said, stems)
        ):
            continue  # "folding" where the fields say "foldable"
        if any(_said_together(tokens, stems) for tokens in sentence_stems):
            found.append(key)
    return sorted(found)


def _said_together(tokens: list[str], stems: tuple[str, ...]) -> bool:
    """Whether each of ``stems`` (or a longer form of it: "automatic" of "auto", not "hand" of
    "handle") is in ``tokens``, all within a span of their count and ``_FEATURE_GAP`` words
    between each, with no negation just before."""
    width = len(stems) + _FEATURE_GAP * (len(stems) - 1)
    hits = [
        [i for i, t in enumerate(tokens) if t == s or (len(t) > len(s) and shares_a_root(t, s))]
        for s in stems
    ]
    if not all(hits):
        return False
    for start in sorted(set().union(*hits)):
        if all(any(start <= i < start + width for i in at) for at in hits) and not NEGATIONS & set(
            tokens[max(0, start - NEGATION_REACH) : start]
        ):
            return True
    return False
