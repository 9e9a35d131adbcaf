"""Value domains of categorical attributes and the names of the catalog's products and brands,
learned from the catalog, and the contradictions a description states against the domains.

A catalog has attribute keys no code names (area, fit, power source, diet). The values each key
takes across the products table, normalised, are its domain. A key is categorical when its
domain has from two to ``max_values`` values; only short values without a digit count (numbers
and units keep their own check in :mod:`enrich.quality.grounding`), and yes/no flags do not.

A description contradicts a product's categorical attribute when it states another value of the
key's domain than the product's own: "a pub" for an ``eatType`` of "coffee shop". Not read as
stating another value:

- a value the product holds under any key, or that its title, brand or category holds, and a
  value inside words that state one of the product's own values ("adjustable" in "adjustable
  headrest", the product's headrest);
- a value that contains the product's own or is contained in it ("fast food" and "food");
- any value, when the text states the product's own value too ("a coffee-shop style
  restaurant" is a comparison);
- a value in the domains of several keys ("high": price range and customer rating) unless a
  word of the key's name is near ("a high price range") or the product's own noun follows it ("a
  satin paint", where a knife's finish may be satin too);
- a value followed by a word of another key's name, with none of its own key's near: it is said
  of that key ("an average price" says nothing of the customer rating), except the nouns of the
  whole product's form ("an on-ear fit" is the form factor's value where shoes have a fit);
- a value set against the product's: a negation, "unlike", "instead of", "rather than" or "the
  usual" in the three words before it ("stands out from the usual black").

A counted value ("three-season", "two-way") is contradicted by another count of the same words
("four-season", and "three-season" for "2-season"), whether or not the catalog holds it. A list
item that opens on its size names its thing ("350 ml milk jug" is a milk jug).

A list-valued attribute ("canvas, plastic") is not contradicted: a value of the domain that the
list lacks is unsupported.

Normalised are case, hyphens, underscores and slashes (spaces), plurals (each word singular) and
British and American spellings (colour, centre, grey, aluminium), on values and text alike. A
value of several words is also stated with one word inserted ("indoor use only" for "indoor
only").

The catalog's names are its products' titles and brands, normalised as values are (a leading
"the", "a" or "an" and a possessive "'s" dropped), at most ``max_names`` of them (brands first,
then titles, each in sorted order). Left out: a name of no letters or of fewer than three, one
longer than ``MAX_NAME_WORDS`` words (rarely written out whole), and one that is also a value of
a categorical domain (a brand "Classic" where a fit is "classic": a word, not a name).
:func:`enrich.quality.grounding.other_names` finds them in a text.

The domains and names are learned once per run from the products table by
:func:`learn_domains` (Spark) and travel to the workers in the run's context;
:meth:`AttributeDomains.learn` builds the same from plain pairs and names (tests, the gate
evaluation).

Example:
    >>> domains = AttributeDomains.learn(
    ...     [("eatType", "pub"), ("eatType", "coffee shop"), ("eatType", "restaurant")])
    >>> domains.check("The Eagle is a pub by the river.", ScoreInputs(
    ...     title="The Eagle", attributes={"eatType": "coffee shop"}))
    (['eat type: pub'], [])
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from enrich.quality.form import FUNCTION_WORDS
from enrich.quality.inputs import ScoreInputs
from enrich.quality.text import (
    NEGATION_REACH, NEGATIONS, WORD, sentences, split_key, unit, value_items, words,
)

if TYPE_CHECKING:  # Spark is needed only on the driver, to learn the domains
    from pyspark.sql import DataFrame

# Longest value, in words, that a categorical domain holds: longer ones are free text.
MAX_VALUE_WORDS = 4
# The number words of counted values: "three-season", "two-way", "single-wall".
_COUNT_WORDS = frozenset(
    "one two three four five six seven eight nine ten single double triple quad".split()
)
# An item that opens on a number and its unit: "350 ml milk jug".
_SIZED_ITEM = re.compile(r"(?<![\d.,])\d[\d.,]*+\s?+([^\W\d_]{1,12}+)\s++(\D++)\Z")
# Nouns of the whole product's form, which a value before them is said of.
_WHOLE_PRODUCT_WORDS = frozenset("fit feel look style design shape profile build".split())
# A count joined to its noun: "2-season", "4-step" (not a measure: "8 minutes").
_HYPHENATED_COUNT = re.compile(r"\d{1,2}-[^\W\d_]++(?:\s|\Z)")
_DIGIT_WORDS = {
    str(n): w for n, w in enumerate("one two three four five six seven eight nine ten".split(), 1)
}
# Longest product title or brand, in words, that the catalog's names hold.
MAX_NAME_WORDS = 8
_ARTICLES = frozenset({"the", "a", "an"})
# A possessive's "'s" at a word's end ("the Halo's").
POSSESSIVE = re.compile(r"['’]s\Z")
# Words around a value shared by several keys' domains within which a word of the key's name
# must stand ("high" counts for "price range" in "a high price range").
CONTEXT_WORDS = 4
# Most words after a value read as the noun phrase it modifies ("a steel town bike").
NOUN_PHRASE_WORDS = 3
# Values of a yes/no attribute: no categorical value; and those that say yes.
BOOLEAN_VALUES = frozenset({"yes", "no", "true", "false", "y", "n"})
TRUE_VALUES = frozenset({"yes", "true", "y"})
_KEY_STOPWORDS = frozenset("a an the of and or in on at to for with by is type".split())
_SEPARATORS = re.compile(r"[-_/]")
_PLURAL_IES = re.compile(r"(?<=\w\w)ies\Z")
_PLURAL_ES = re.compile(r"(?:(?<=ss)|(?<=ch)|(?<=sh)|(?<=x)|(?<=z))es\Z")
_PLURAL_S = re.compile(r"(?<=[^su'’])s\Z")
# British spellings: "colour" -> "color", "centre" -> "center", "fibre" -> "fiber".
_BRITISH_OUR = re.compile(r"(?<=\w\w)our\Z")
_BRITISH_RE = re.compile(r"(?<=\w)([tb])re\Z")
_WORD_VARIANTS = {"grey": "gray", "aluminium": "aluminum", "jewellery": "jewelry"}


def normalise_word(word: str) -> str:
    """One lower-cased word made singular and American-spelt: ``Colours`` -> ``color``."""
    word = word.lower()
    if len(word) > 3:
        word = _PLURAL_IES.sub("y", word)
        word = _PLURAL_ES.sub("", word)
        word = _PLURAL_S.sub("", word)
        word = _BRITISH_RE.sub(r"\1er", _BRITISH_OUR.sub("or", word))
    return _WORD_VARIANTS.get(word, word)


def normalise(text: str) -> list[str]:
    """The normalised words of ``text`` (see the module docstring)."""
    return [normalise_word(w) for w in words(_SEPARATORS.sub(" ", str(text)))]


def normalise_key(key: str) -> str:
    """An attribute key as normalised words: ``eatType`` and ``eat-types`` -> ``eat type``."""
    return " ".join(normalise(split_key(str(key))))


def name_tokens(text: str) -> list[tuple[str, str]]:
    """Each word of ``text`` as written and normalised as a name's word (hyphens, underscores
    and slashes split, a possessive dropped): ``Halo-Pros'`` -> ``[("Halo", "halo"), ("Pros",
    "pro")]``."""
    return [
        (w, normalise_word(POSSESSIVE.sub("", w.lower())))
        for w in WORD.findall(_SEPARATORS.sub(" ", str(text)))
    ]


def name_words(text: str) -> list[str]:
    """The normalised words of a name as written: ``The Halo's`` -> ``["the", "halo"]``."""
    return [normal for _, normal in name_tokens(text)]


def catalog_name(text: str) -> str | None:
    """A product title or brand as the catalog's names hold it (see the module docstring), or
    None for one that names nothing checkable: ``The Ridge-Daypacks`` -> ``ridge daypack``."""
    normal = name_words(text)
    while normal and normal[0] in _ARTICLES:
        normal = normal[1:]
    letters = sum(c.isalpha() for w in normal for c in w)
    if letters < 3 or len(normal) > MAX_NAME_WORDS:
        return None
    return " ".join(normal)


def feature_key(key: str, value: object) -> str | None:
    """The normalised key of an attribute held as "yes" ("Folding handle": "Yes" -> ``folding
    handle``), a feature some product has; None for any other value."""
    if value is None or str(value).strip().lower() not in TRUE_VALUES:
        return None
    return normalise_key(str(key)) or None


def categorical_items(key: str, value: str) -> Iterator[tuple[str, str]]:
    """(normalised key, normalised value) for each item of ``value`` that may belong to a
    categorical domain: short, without a digit, not a yes/no flag. An item that opens on its
    size names the thing after it ("350 ml milk jug": ``milk jug``)."""
    normal_key = normalise_key(key)
    for item in value_items(value):
        if m := _SIZED_ITEM.match(item):
            if unit(m.group(1)):
                item = m.group(2)
        if any(c.isdigit() for c in item):
            continue
        normal = normalise(item)
        if normal and len(normal) <= MAX_VALUE_WORDS and " ".join(normal) not in BOOLEAN_VALUES:
            yield normal_key, " ".join(normal)


@dataclass(frozen=True)
class AttributeDomains:
    """The values of each categorical key, normalised, and the catalog's names.

    Attributes:
        values: normalised key -> its normalised values.
        keys_of: normalised value -> the keys whose domain holds it.
        names: the catalog's product titles and brands, as :func:`catalog_name` makes them.
        features: the normalised keys some product holds as "yes" ("folding handle"): what a
            product of the catalog may have, to claim only where its own fields do.
    """

    values: Mapping[str, frozenset[str]] = field(default_factory=dict)
    keys_of: Mapping[str, frozenset[str]] = field(default_factory=dict)
    names: frozenset[str] = frozenset()
    features: frozenset[str] = frozenset()

    @classmethod
    def from_items(
        cls, items: Iterable[tuple[str, str]], *, names: Iterable[str] = (), max_values: int = 50,
        features: Iterable[str] = (),
    ) -> AttributeDomains:
        """The domains from (normalised key, normalised value) items; a key keeps its domain
        when it has from two to ``max_values`` distinct values. ``names`` (made by
        :func:`catalog_name`) are kept less those that are values of a domain; ``features`` are
        normalised keys held as "yes" (:func:`feature_key`)."""
        found: dict[str, set[str]] = defaultdict(set)
        for key, value in items:
            found[key].add(value)
        values = {k: frozenset(v) for k, v in found.items() if 2 <= len(v) <= max_values}
        keys_of: dict[str, set[str]] = defaultdict(set)
        for key, domain in values.items():
            for value in domain:
                keys_of[value].add(key)
        kept = frozenset(n for n in names if n not in keys_of)
        return cls(values, {v: frozenset(k) for v, k in keys_of.items()}, kept, frozenset(features))

    @classmethod
    def learn(
        cls,
        pairs: Iterable[tuple[str, str]],
        *,
        brands: Iterable[str | None] = (),
        titles: Iterable[str | None] = (),
        max_values: int = 50,
        max_names: int = 20000,
    ) -> AttributeDomains:
        """The domains of raw (key, value) attribute pairs and the names of raw ``brands`` and
        ``titles``, as :func:`learn_domains` learns them from a products table."""
        pairs = list(pairs)
        features = sorted({f for key, value in pairs if (f := feature_key(key, value))})
        items = (item for key, value in pairs for item in categorical_items(key, value))
        ranked = {(1, n) for t in titles if t and (n := catalog_name(t))}
        ranked = {(0, n) for b in brands if b and (n := catalog_name(b))} | ranked
        names: dict[str, None] = {}  # a name that is a brand and a title counts once, as a brand
        for _, name in sorted(ranked):
            if len(names) == max_names:
                break
            names.setdefault(name)
        return cls.from_items(
            items, names=names, max_values=max_values, features=features[:max_names]
        )

    def __len__(self) -> int:
        """The number of categorical keys."""
        return len(self.values)

    def __bool__(self) -> bool:
        return bool(self.values or self.names or self.features)

    def check(self, text: str, inputs: ScoreInputs) -> tuple[list[str], list[str]]:
        """What ``text`` states against the product's categorical attributes.

        Args:
            text: a generated description.
            inputs: the product's title, brand, category and attributes.

        Returns:
            (contradicted, unsupported), each as ``key: value`` strings (the key normalised, the
            value as the text writes it, lower-cased): another value of a one-value attribute's
            domain, and a value of a list-valued attribute's domain that the list lacks.
        """
        if not self.values or not inputs.attributes:
            return [], []
        said: list[str] = []  # as written, for the findings
        ends = set()  # where a sentence ends: what follows is not said of the value before
        for sentence in sentences(_SEPARATORS.sub(" ", text)):
            said += words(sentence)
            ends.add(len(said))
        text_words = [normalise_word(w) for w in said]
        positions = _value_spans(text_words, ends)
        own = set()
        for key, value in inputs.attributes.items():
            own |= {v for _, v in categorical_items(key, value)}
        # Words of the text that state one of the product's own values, under any key.
        taken = {
            k
            for value in own
            for i, j in positions.get(tuple(value.split()), [])
            for k in range(i, j)
        }
        own_text = " " + " ".join(normalise(" ".join(
            str(p) for p in (inputs.title, inputs.brand, inputs.category) if p
        ))) + " "
        key_names = {k: set(k.split()) - _KEY_STOPWORDS - FUNCTION_WORDS for k in self.values}
        own_words = set(own_text.split()) - FUNCTION_WORDS
        # Each field apart, so that no phrase runs from one field into the next.
        fields = [inputs.title, inputs.brand, inputs.category]
        fields += [part for k, v in inputs.attributes.items() for part in (split_key(str(k)), v)]
        fields_text = " " + " | ".join(" ".join(normalise(str(f))) for f in fields if f) + " "
        # The words of the product's keys, numeric ones too: "a moderate 8 mm drop" says the drop
        # is moderate, whatever key is near.
        product_key_words = {
            w for k in inputs.attributes for w in normalise_key(str(k)).split()
        } - _KEY_STOPWORDS - FUNCTION_WORDS
        contradicted: list[str] = []
        unsupported: list[str] = []
        for key, value in inputs.attributes.items():
            normal_key = normalise_key(key)
            domain = self.values.get(normal_key)
            if not domain:
                continue
            # The values the domain holds ("roof" of "roof, BaK-4"); none: nothing to compare
            # ("less than £20").
            items = [v for _, v in categorical_items(key, value) if v in domain]
            if not items:
                continue
            if len(items) == 1 and tuple(items[0].split()) in positions:
                continue  # the text states the product's own value; another one is a comparison
            key_words = key_names[normal_key]
            other_keys = set().union(*(w for k, w in key_names.items() if k != normal_key))
            # Words of the whole product's form ("an on-ear fit") name no other key's part.
            other_keys -= key_words | _WHOLE_PRODUCT_WORDS
            measured = product_key_words - key_words
            for other in sorted(domain - set(items)):
                if other in own or f" {other} " in own_text:
                    continue
                other_words = tuple(other.split())
                if any(set(other_words) <= set(i.split()) or set(i.split()) <= set(other_words)
                       for i in items):
                    continue  # "fast food" and "food", "dark blue" and "blue": not another value
                shared = len(self.keys_of.get(other, ())) > 1
                found = [
                    (i, j) for i, j in positions.get(other_words, [])
                    if not taken & set(range(i, j))
                    # "dual voltage" where the fields name it; "compact stroller folds" where
                    # "compact stroller" is the product's name: the fields' words, no value.
                    and f" {' '.join(text_words[i : j + 1])} " not in fields_text
                    and not any(
                        f" {text_words[k]} {text_words[k + 1]} " in own_text
                        for k in range(i, j - 1)
                    )
                    and not set_against(text_words, i)
                    and self._states(
                        text_words, i, j - i, key_words, other_keys, shared, ends, own_words,
                        measured,
                    )
                ]
                if found:
                    target = contradicted if len(items) == 1 else unsupported
                    written = " ".join(said[found[0][0] : found[0][1]])
                    target.append(f"{normal_key}: {written}")
        contradicted += [
            c for c in _counted_variants(text_words, said, inputs) if c not in contradicted
        ]
        return contradicted, unsupported

    @staticmethod
    def _states(
        text_words: list[str], at: int, length: int, key_words: set[str], other_keys: set[str],
        shared: bool, ends: set[int], own_words: set[str], measured: set[str],
    ) -> bool:
        """Whether the value at ``text_words[at:at + length]`` is said of the key whose name's
        words are ``key_words`` (see the module docstring); ``own_words`` are the words of the
        product's title, brand and category, ``measured`` those of its other keys: a value
        before a number and one of them is said of that ("a moderate 8 mm drop")."""
        phrase = []  # the words after the value, up to a function word or the sentence's end
        for k in range(at + length, min(at + length + NOUN_PHRASE_WORDS, len(text_words))):
            if k in ends or text_words[k] in FUNCTION_WORDS:
                break
            phrase.append(text_words[k])
        if phrase and phrase[0][0].isdigit() and measured & set(phrase[1:]):
            return False
        window = set(text_words[max(0, at - CONTEXT_WORDS) : at + length + CONTEXT_WORDS])
        if key_words & window:
            return True
        if own_words & set(phrase):
            return True  # "a soft satin paint", "a steel town bike": said of the product
        # The word the value is said of, past a number and its unit ("an average 4 star rating").
        following = next((w for w in phrase if not w[0].isdigit() and not unit(w)), None)
        return not shared and following not in other_keys


# Words that set a value against the product's rather than state it: "unlike the usual black",
# "instead of steel", "not black".
_CONTRAST = NEGATIONS | frozenset("unlike instead rather than usual typical versus vs".split())


def set_against(text_words: list[str], at: int) -> bool:
    """Whether a word of :data:`_CONTRAST` comes in the few words before ``text_words[at]``."""
    return any(w in _CONTRAST for w in text_words[max(0, at - NEGATION_REACH) : at])


def _counted_variants(text_words: list[str], said: list[str], inputs: ScoreInputs) -> list[str]:
    """Another count in a one-value attribute's counted value ("four-season" for a
    "three-season" bag, "one-way" for a "two-way" zip, "three-season" for "2-season"), whether or
    not the catalog holds it: the value's words after a number word, in the text after another
    number word. A value that counts in digits ("2-season", "4-step") is compared by the noun
    it counts."""
    found = []
    for key, value in inputs.attributes.items():
        items = [v.split() for _, v in categorical_items(key, value)]
        if not items and _HYPHENATED_COUNT.match(str(value).strip()):
            counted = normalise(value)
            if counted[0] in _DIGIT_WORDS:
                items = [[_DIGIT_WORDS[counted[0]], counted[1]]]
        if len(items) != 1 or len(items[0]) < 2 or items[0][0] not in _COUNT_WORDS:
            continue
        count, rest = items[0][0], items[0][1:]
        for i in range(1, len(text_words) - len(rest) + 1):
            before = text_words[i - 1]
            if text_words[i : i + len(rest)] == rest and before in _COUNT_WORDS and before != count:
                found.append(f"{normalise_key(key)}: {' '.join(said[i - 1 : i + len(rest)])}")
                break
    return found


def _value_spans(
    text_words: list[str], ends: set[int]
) -> dict[tuple[str, ...], list[tuple[int, int]]]:
    """Where each run of up to ``MAX_VALUE_WORDS`` normalised words could state a value: each
    run as (start, end) of ``text_words``, and each run of two or more words also with one word
    inserted between two of its words within a sentence ("indoor use only" states "indoor
    only"), unless that word is "and" or "or" (two values, not one)."""
    spans: dict[tuple[str, ...], list[tuple[int, int]]] = defaultdict(list)
    sentence_of, sentence = [], 0  # each word's sentence number
    for i in range(len(text_words)):
        sentence += i in ends
        sentence_of.append(sentence)
    for n in range(1, MAX_VALUE_WORDS + 1):
        for i in range(len(text_words) - n + 1):
            spans[tuple(text_words[i : i + n])].append((i, i + n))
            if n < 2 or i + n >= len(text_words) or sentence_of[i] != sentence_of[i + n]:
                continue
            for gap in range(i + 1, i + n):
                if text_words[gap] not in ("and", "or"):
                    run = text_words[i:gap] + text_words[gap + 1 : i + n + 1]
                    spans[tuple(run)].append((i, i + n + 1))
    return spans


def learn_domains(products: DataFrame, *, max_values: int, max_names: int) -> AttributeDomains:
    """The categorical domains of the products table's ``attributes`` and the names of its
    ``title`` and ``brand`` columns, learned in Spark.

    Each worker normalises the pairs and names of its partitions; what comes back to the driver
    is only the keys with two to ``max_values`` distinct values and those values, at most
    ``max_names`` names and as many feature keys (held as "yes"): bounded for a catalog of any
    size. A column the table lacks contributes nothing.

    Args:
        products: the products table (its ``attributes`` map column, ``title`` and ``brand``).
        max_values: most distinct values of a categorical key.
        max_names: most names kept (brands first, then titles, each in sorted order).

    Returns:
        The domains and names, to ship to the workers in the run's context.
    """
    import pandas as pd
    from pyspark.sql import functions as F

    from enrich import schemas as S

    def normalised(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        # The categorical items, and each feature key with no value.
        for pdf in batches:
            rows = {
                item
                for key, value in zip(pdf["key"], pdf["value"])
                for item in categorical_items(key, value)
            }
            features = {
                f for key, value in zip(pdf["key"], pdf["value"]) if (f := feature_key(key, value))
            }
            yield pd.DataFrame(
                [*sorted(rows), *((f, None) for f in sorted(features))], columns=["key", "value"]
            )

    def named(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for pdf in batches:
            rows = {
                (int(rank), name)
                for rank, text in zip(pdf["rank"], pdf["text"])
                if (name := catalog_name(text))
            }
            yield pd.DataFrame(sorted(rows), columns=["rank", "name"])

    kept = []
    if S.ATTRIBUTES in products.columns:
        pairs = products.select(F.explode(S.ATTRIBUTES).alias("key", "value")).where(
            F.col("value").isNotNull()
        )
        found = pairs.mapInPandas(normalised, "key string, value string").distinct()
        items = found.where(F.col("value").isNotNull())
        keys = items.groupBy("key").count().where(F.col("count").between(2, max_values))
        features = found.where(F.col("value").isNull()).orderBy("key").limit(max_names)
        # bounded: keys x max_values, and max_names features
        kept = items.join(F.broadcast(keys.select("key")), "key").unionByName(features).collect()
    columns = [(rank, c) for rank, c in enumerate((S.BRAND, S.TITLE)) if c in products.columns]
    names = []
    if columns and max_names > 0:
        texts = None
        for rank, column in columns:
            part = products.select(F.lit(rank).alias("rank"), F.col(column).alias("text"))
            texts = part if texts is None else texts.unionByName(part)
        ranked = texts.where(F.col("text").isNotNull()).mapInPandas(named, "rank int, name string")
        first = ranked.groupBy("name").agg(F.min("rank").alias("rank"))
        names = first.orderBy("rank", "name").limit(max_names).collect()  # bounded: max_names
    return AttributeDomains.from_items(
        ((r["key"], r["value"]) for r in kept if r["value"] is not None),
        names=(r["name"] for r in names),
        max_values=max_values,
        features=(r["key"] for r in kept if r["value"] is None),
    )
