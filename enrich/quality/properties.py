"""Property words of a text ("waterproof", "dishwasher safe", "non-stick", "handmade"), the
things a yes/no attribute denies, and whether a material is the real one or an imitation
("genuine leather" of "faux leather"), checked against the product's fields: stated, not stated
(unsupported) or denied (contradicted), in any domain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from enrich.quality.domains import TRUE_VALUES, normalise_key, normalise_word
from enrich.quality.faithfulness import NOT_CONTENT_WORDS, stem
from enrich.quality.form import FUNCTION_WORDS
from enrich.quality.inputs import ScoreInputs
from enrich.quality.text import (
    DETERMINERS, NEGATION_REACH, NEGATIONS, sentences, split_key, words,
)

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
    "made": "made", "crafted": "crafted", "lined": "lin",
}
# Words before a thing that say there is none of it ("no fogging", "without BPA").
_NONE_WORDS = frozenset("no without zero".split())
# Affixes stated by their root and their stem anywhere in the fields: "fleece-lined" by "lining:
# fleece".
_LOOSE_AFFIXES = frozenset({"lin"})
# How a thing was made says where or by what ("hand-made") unless its root says how well:
# "well-made", "beautifully crafted" claim nothing checkable. Linear: anchored alternation.
_MAKING = frozenset({"made", "crafted"})
_MANNER = re.compile(r"^well$|ly$")
# Affixes a one-word claim may end in, after a root of three letters or more ("waterproof",
# "handmade").
_ONE_WORD_AFFIXES = ("proof", "made", "crafted")
PROPERTY_ADJECTIVES = frozenset("proof resistant repellent repellant safe washable".split())
PROPERTY_PREFIXES = frozenset("non anti self".split())
_COPULAS = frozenset("is are be being been stays remains".split())
_DEGREE_WORDS = frozenset("fully completely totally entirely also and".split())
_PLURAL_NOUN = re.compile(r"[^su]s$")
# Words of a yes/no key that say what is true of its noun, not the noun ("hub required",
# "dishwasher safe", "batteries included").
PREDICATE_WORDS = frozenset(
    "required needed necessary included safe compatible resistant proof available supported "
    "friendly only allowed suitable ready".split()
)
_FALSE = frozenset("no false n 0 none".split())


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
            if _negated(tokens[max(0, i - NEGATION_REACH) : i]):
                claim = replace(claim, negated=True)
            found.append(claim)
    return found


def _negated(before: list[str]) -> bool:
    """Whether the words before a property word negate it: a negation with no determiner after
    it ("is not fully waterproof"; not "like the price but not the non-resealable bag", where
    the negation is of another clause's verb)."""
    for w in reversed(before):
        if w in NEGATIONS:
            return True
        if w in DETERMINERS:
            return False
    return False


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
            determined = i > 1 and tokens[i - 2] in DETERMINERS
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
    fields = inputs.fields_text(also)
    source = _joined(fields) + " " + " ".join(rated_properties(fields))
    source_stems = {stem(w) for w in words(fields.replace("-", " "))}
    # What the fields (or reviews) say there is none of: "no fogging" states "fog-free".
    field_tokens = words(fields)
    denied_stems = {
        stem(w) for before, w in zip(field_tokens, field_tokens[1:]) if before in _NONE_WORDS
    }
    unsupported: list[str] = []
    contradicted: list[str] = []
    for claim in property_claims(text):
        root = "".join(claim.root)
        if claim.affix in PROPERTY_PREFIXES:
            stated = bool(root) and all(stem(w) in source_stems for w in claim.root)
        else:
            stated = root + claim.affix in source or (
                bool(root) and any(root in key and value in TRUE_VALUES for key, value in keyed)
            ) or (
                claim.affix == "free" and bool(root) and stem(root) in denied_stems  # "no fogging"
            ) or (
                claim.affix in _LOOSE_AFFIXES and bool(root)
                and {stem(root), stem(claim.affix + "e")} <= source_stems
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


# Words of a yes/no key that name what kind of thing its noun is, not the thing: "UPS function",
# "audiobook support", "night mode".
_GENERIC_HEADS = frozenset("function functions feature features mode support capability".split())
# Words a review summary says what the product lacks with, beyond a negation: "the lack of a
# headrest", "buyers wish it had a hood", "a missing timer".
MISSED_WORDS = frozenset(
    "lack lacks lacking lacked missing misses miss missed wish wishes wished want wanted "
    "would".split()
)


def denied_things(text: str, inputs: ScoreInputs, *, summary: bool = False) -> list[str]:
    """The things ``text`` says the product has or uses that an attribute with a false value
    denies: the key's nouns, all of them in order ("hub" of "hub required: no", "pit zip" of
    "pit zips: no", not a chest pocket's "zip"), stated with no negation within
    ``NEGATION_REACH`` words ("Google's built-in hub"; not "no hub needed", "works without a
    hub", "a hub is not required"). A ``summary`` also names what buyers miss, with the words of
    :data:`MISSED_WORDS` within two words more ("the lack of a headrest", "wish it had a hood"):
    those are no claim. Each as ``<key>: <its nouns>``, both normalised."""
    negations = NEGATIONS | MISSED_WORDS if summary else NEGATIONS
    reach = NEGATION_REACH + 2 if summary else NEGATION_REACH  # "wish it had a hood"
    found = []
    sentence_words = [_compound_parts(words(s)) for s in sentences(text)]
    for key, value in inputs.attributes.items():
        if str(value).strip().lower() not in _FALSE:
            continue
        nouns = [
            n for w in words(split_key(str(key)))
            if (n := normalise_word(w)) not in PREDICATE_WORDS | FUNCTION_WORDS | _GENERIC_HEADS
        ]
        if not nouns:
            continue
        n = len(nouns)
        for tokens in sentence_words:
            hits = [
                i for i in range(len(tokens) - n + 1)
                if tokens[i : i + n] == nouns and not negations & set(
                    tokens[max(0, i - reach) : i + n + reach]
                )
            ]
            if hits:
                found.append(f"{normalise_key(str(key))}: {' '.join(nouns)}")
                break
    return found


# The second parts of compounds that deny their first: "hub-free", "cordless".
_DENYING_PARTS = frozenset("free less".split())


def _compound_parts(tokens: list[str]) -> list[str]:
    """``tokens`` normalised, each hyphenated compound as its parts ("gimbal-stabilised" says a
    gimbal), a denying second part as "no" ("hub-free" says none)."""
    parts = []
    for token in tokens:
        for part in token.split("-"):
            if part:
                parts.append("no" if part in _DENYING_PARTS and parts else normalise_word(part))
    return parts


# An ingress protection code (IEC 60529): "IP67", "IPX5", "IP5X".
_IP_CODE = re.compile(r"\bIP([0-6X])([0-9X])\b", re.IGNORECASE)
# What a water digit of at least the first states, as root and affix run together.
_WATER_RATINGS = (
    (4, ("splashproof", "splashresist", "waterresist", "sweatproof", "sweatresist", "rainresist")),
    (7, ("waterproof",)),  # immersion
)


def rated_properties(fields: str) -> list[str]:
    """The property words (root and affix run together, as :func:`check_properties` compares
    them) that the fields' IP codes state: from IPX4 splash- and water-resistant, from IPX7
    waterproof; from IP5X dust-resistant, IP6X dustproof.

    Example:
        >>> rated_properties("Water resistance: IPX5")[:2]
        ['splashproof', 'splashresist']
    """
    found = []
    for dust, water in _IP_CODE.findall(fields):
        if water.isdigit():
            found += [w for least, said in _WATER_RATINGS if int(water) >= least for w in said]
        if dust.isdigit() and int(dust) >= 5:
            found += ["dustresist"] + ["dustproof"] * (dust == "6")
    return found


def _joined(text: str) -> str:
    """``text``'s words run together, hyphens dropped: spellings of one compound compare equal."""
    return "".join(words(text)).replace("-", "").replace("'", "")


# Words that say a thing is an imitation of the noun after them, or the real one: "faux leather",
# "genuine leather", "synthetic rubber", "natural rubber".
_IMITATION = frozenset(
    "faux imitation synthetic artificial fake vegan simulated pu pvc bonded".split()
)
_GENUINE = frozenset("genuine real natural authentic".split())


def imitation_mismatches(text: str, inputs: ScoreInputs) -> list[str]:
    """The things ``text`` calls real that the fields call an imitation, or the reverse: "genuine
    leather" of "faux leather", "faux leather" of "leather" or "real leather". A field's noun
    without such a word is the real thing. Each as ``<key>: <words as written>``.

    Example:
        >>> imitation_mismatches("The genuine leather peels.", ScoreInputs(
        ...     attributes={"material": "faux leather"}))
        ['material: genuine leather']
    """
    kinds: dict[str, dict[str, set[bool]]] = {}  # noun -> key -> imitation or not
    for key, value in inputs.attributes.items():
        tokens = [normalise_word(w) for w in words(str(value))]
        for i, token in enumerate(tokens):
            if token in _IMITATION | _GENUINE or not _noun_like(token):
                continue
            before = tokens[i - 1] if i else ""
            kinds.setdefault(token, {}).setdefault(normalise_key(str(key)), set()).add(
                before in _IMITATION
            )
    found = []
    for sentence in sentences(text):
        tokens = words(sentence)
        for modifier, noun in zip(tokens, tokens[1:]):
            imitation = modifier.lower() in _IMITATION
            if not imitation and modifier.lower() not in _GENUINE:
                continue
            for key, said in kinds.get(normalise_word(noun), {}).items():
                if imitation not in said:
                    found.append(f"{key}: {modifier.lower()} {noun.lower()}")
    return found


def _noun_like(token: str) -> bool:
    """Whether a normalised word may name a material: letters, three or more, no function word."""
    return len(token) >= 3 and token.isalpha() and token not in FUNCTION_WORDS
