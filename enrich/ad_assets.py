"""Search-ad assets: candidates from the model's text and the product's fields, and the ad
assembled from the candidates that keep every rule.

A small model does not write to a character limit: asked for headlines it writes sentences. So
the model's text is read as a source of candidates, never cut to fit:

1. **parse** (:func:`model_candidates`): the text is split into lines and sentences; a sentence
   of at most ``max_description_chars`` is a description candidate (two short neighbours
   together are one more); each sentence is split again at its clause marks (``:``, ``;``,
   ``,``, a dash) and every whole sentence or clause of at most ``max_headline_chars`` with two
   words or more is a headline candidate, its end mark dropped. A longer piece is left out,
   never cut: no headline ends mid-word or mid-phrase;
2. **complete** (:func:`field_candidates`): each slot the model leaves open is filled from the
   product's own fields, each a whole asset that fits or none: the title, the brand with the
   category, each attribute value and ``key: value``, the title and the brand with their
   attributes as sentences; the display paths are the category and the brand as one segment
   each;
3. **select** (:func:`assemble_ad`): model candidates first, then field candidates, each kept
   only when it breaks no rule on its own (:func:`enrich.quality.ads.asset_findings`: limits,
   capitals, symbols, claims, prices, wrong or unsupported facts) and overlaps no asset already
   kept by ``max_overlap`` or more (near-duplicates), up to the task's ``headlines`` and
   ``descriptions``; a candidate inside one already kept is left out too, and two candidates
   overlapping by :data:`PICK_OVERLAP` (stricter than the rule) are not both kept. The first
   headline names the product (its title, or its brand and category) when one that keeps every
   rule fits.

Every asset records where it came from (``model``, or ``title``, ``brand``, ``category``,
``attribute:<key>``...), so the share written by the model is measured, not assumed. The whole ad
then goes through the gate (:func:`enrich.quality.gate.score_ad`); an ad with fewer distinct,
rule-keeping assets than the minimum counts is rejected there (``ad_format``).

Example:
    >>> inputs = ScoreInputs(title="Halo Headphones", brand="Halvik", category="headphones",
    ...                      attributes={"colour": "blue", "battery life": "40 h"})
    >>> built = assemble_ad("Halo Headphones: wireless sound in blue. They last 40 h.", inputs,
    ...                     AdRulesConfig(), headlines=4, descriptions=2)
    >>> built.ad.headlines, built.headline_sources
    (('Halo Headphones', 'Wireless sound in blue', 'They last 40 h', 'Halvik Headphones'), ('title', 'model', 'model', 'brand+category'))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from enrich.config import AdRulesConfig
from enrich.quality.ads import (
    BrandIndex,
    SearchAd,
    asset_findings,
    display_width,
    overlap,
)
from enrich.quality.domains import AttributeDomains
from enrich.quality.inputs import ScoreInputs
from enrich.quality.text import split_key

MODEL = "model"  # source of an asset the model wrote
# Most characters of the model's text that are read for candidates: a few ads' worth.
MAX_MODEL_CHARS = 2000
# Linear-time patterns (see enrich/quality/text.py).
_LINE = re.compile(r"\n+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_FINISHED = re.compile(r"[.!?](?=\s|$)|\n")  # where a cut text's last whole piece ends
_CLAUSE = re.compile(r"(?<!\s)(?:\s*+[:;,]\s+|\s++[-–—]\s+)")
# A list marker or quote the model puts before a line: "- ", "1. ", "* ", "Headline 2:".
_MARKER = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)]|(?i:headline|description)\s*\d{0,2}\s*:)\s*")
_QUOTES = "\"'“”‘’"
# Assets of one ad whose content words overlap this much are not both picked: stricter than the
# rule (quality.ad_rules.max_overlap), so that the ad's headlines say different things.
PICK_OVERLAP = 0.5
# Words a clause does not start with: it then leans on the clause before it.
_LEANING = frozenset("and or but so nor which that who whose while whereas as".split())


@dataclass(frozen=True)
class Candidate:
    """One candidate asset and where it came from (``model`` or the fields it was made of)."""

    text: str
    source: str


@dataclass(frozen=True)
class AssembledAd:
    """An ad as assembled, and the source of each of its assets, in order."""

    ad: SearchAd
    headline_sources: tuple[str, ...] = ()
    description_sources: tuple[str, ...] = ()

    @property
    def from_model(self) -> int:
        """Headlines and descriptions the model wrote."""
        return sum(s == MODEL for s in (*self.headline_sources, *self.description_sources))


def _clean(piece: str) -> str:
    piece = _MARKER.sub("", piece.strip()).strip().strip(_QUOTES).strip()
    return " ".join(piece.split())


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _as_sentence(text: str) -> str:
    return text if text[-1:] in ".!?" else f"{text}."


def _as_headline(text: str) -> str:
    """A clause as a headline: first letter a capital, one final full stop dropped (a headline
    is no sentence); nothing else changes."""
    text = text.rstrip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return _capitalised(text)


def finished_part(text: str) -> str:
    """A text cut at a token limit up to its last line break or sentence end: what was finished.

    Example:
        >>> finished_part("Quiet Fan\nIt comes in grey. It pairs a")
        'Quiet Fan\nIt comes in grey.'
    """
    ends = [m.end() for m in _FINISHED.finditer(text)]
    return text[: ends[-1]].rstrip() if ends else ""


def model_candidates(
    text: str | None, rules: AdRulesConfig, *, cut: bool = False
) -> tuple[list[Candidate], list[Candidate]]:
    """Headline and description candidates from the model's text, in the order written, each a
    whole sentence or clause that fits its limit (see the module docstring). Where generation
    was ``cut`` at its token limit, the text after the last line break or sentence end is
    unfinished and left out.

    Example:
        >>> heads, descs = model_candidates("Halo Headphones: light, wireless sound. In blue.",
        ...                                 AdRulesConfig())
        >>> [c.text for c in heads], [c.text for c in descs]
        (['Halo Headphones', 'Wireless sound', 'In blue'], ['Halo Headphones: light, wireless sound. In blue.', 'Halo Headphones: light, wireless sound.', 'In blue.'])
    """
    text = (text or "")[:MAX_MODEL_CHARS]
    if cut:
        text = finished_part(text)
    sentences = [
        s for line in _LINE.split(text) for s in map(_clean, _SENTENCE_END.split(_clean(line))) if s
    ]
    headlines: list[Candidate] = []
    descriptions: list[Candidate] = []
    for sentence in sentences:
        pieces = dict.fromkeys([sentence, *(p for p in map(_clean, _CLAUSE.split(sentence)) if p)])
        for piece in pieces:
            first = piece.split()[0].lower()
            if first in _LEANING or len(piece.split()) < 2:
                continue
            headline = _as_headline(piece)
            if headline and display_width(headline) <= rules.max_headline_chars:
                headlines.append(Candidate(headline, MODEL))
        description = _as_sentence(_capitalised(sentence))
        if display_width(description) <= rules.max_description_chars:
            descriptions.append(Candidate(description, MODEL))
    # Two short neighbouring sentences make one more description, preferred to either alone.
    pairs = []
    for a, b in zip(sentences, sentences[1:]):
        joined = f"{_as_sentence(_capitalised(a))} {_as_sentence(_capitalised(b))}"
        if display_width(joined) <= rules.max_description_chars:
            pairs.append(Candidate(joined, MODEL))
    return headlines, pairs + descriptions


def _words(text: str | None) -> str:
    return " ".join(str(text or "").split())


def _slug(text: str, limit: int) -> str | None:
    """``text`` as one display-path segment (words joined by hyphens, letters and digits only),
    or None when it does not fit whole."""
    parts = ["".join(c for c in w if c.isalnum()) for w in _words(text).split()]
    slug = "-".join(_capitalised(p) for p in parts if p)
    return slug if slug and display_width(slug) <= limit else None


def field_candidates(
    inputs: ScoreInputs, rules: AdRulesConfig
) -> tuple[list[Candidate], list[Candidate], list[Candidate]]:
    """Headline, description and path candidates made of the product's own fields, each whole
    (one that does not fit its limit is left out, never cut), in order of preference.

    Example:
        >>> heads, descs, paths = field_candidates(ScoreInputs(
        ...     title="Trek Bottle", brand="Aquenza", category="water bottles",
        ...     attributes={"capacity": "750 ml"}), AdRulesConfig())
        >>> [c.text for c in heads][:4], [c.text for c in paths]
        (['Trek Bottle', 'Aquenza Water Bottles', 'Aquenza Trek Bottle', 'Capacity: 750 ml'], ['Water-Bottles', 'Aquenza'])
    """
    title, brand, category = _words(inputs.title), _words(inputs.brand), _words(inputs.category)
    heads: list[Candidate] = []
    descs: list[Candidate] = []
    paths: list[Candidate] = []
    items = [(_words(split_key(str(k))), _words(v)) for k, v in inputs.attributes.items()]
    items = [(k, v) for k, v in items if k and v]
    sources = [f"attribute:{k}" for k, _ in items]

    def head(text: str, source: str) -> None:
        if text and display_width(text) <= rules.max_headline_chars:
            heads.append(Candidate(_capitalised(text), source))

    def desc(text: str, source: str) -> None:
        if text and display_width(text) <= rules.max_description_chars:
            descs.append(Candidate(text, source))

    head(title, "title")
    if brand and category:
        head(f"{brand} {' '.join(_capitalised(w) for w in category.split())}", "brand+category")
    if brand and title and brand.lower() not in title.lower():
        head(f"{brand} {title}", "brand+title")
    for (key, value), source in zip(items, sources):
        head(f"{_capitalised(key)}: {value}", source)
        if sum(len(w) >= 3 and w.isalpha() for w in value.split()) >= 2:  # "Sage green"
            head(value, source)
    if category:
        head(f"Shop {' '.join(_capitalised(w) for w in category.split())}", "category")
    if brand:
        head(f"Shop {brand}", "brand")
        head(brand, "brand")
    # Descriptions: the title and brand, then the attributes as sentences, packed.
    if title:
        named = f"{title} by {brand}." if brand and brand.lower() not in title.lower() else f"{title}."
        desc(named, "title+brand" if named != f"{title}." else "title")
    facts = [(_as_sentence(f"{_capitalised(k)}: {v}"), s) for (k, v), s in zip(items, sources)]
    if title:
        # The title with as many facts as fit.
        text, used = _as_sentence(title), ["title"]
        for fact, source in facts:
            if display_width(f"{text} {fact}") <= rules.max_description_chars:
                text, used = f"{text} {fact}", used + [source]
        if len(used) > 1:
            desc(text, "+".join(used))
    # The facts, packed into descriptions in turn.
    text, used = "", []
    for fact, source in facts:
        joined = f"{text} {fact}".strip()
        if display_width(joined) <= rules.max_description_chars:
            text, used = joined, used + [source]
            continue
        if text:
            desc(text, "+".join(used))
        text, used = fact, [source]
    if text:
        desc(text, "+".join(used))
    if brand and category:
        desc(f"{_capitalised(category)} from {brand}.", "brand+category")
    for fact, source in facts:  # the last resort: one fact a description
        desc(fact, source)
    for value, source in ((category, "category"), (brand, "brand")):
        slug = _slug(value, rules.max_path_chars) if value else None
        if slug:
            paths.append(Candidate(slug, source))
    return heads, descs, paths


def _pick(
    candidates: Iterable[Candidate],
    wanted: int,
    *,
    kind: str,
    keeps: Callable[[str, str], bool],
    max_overlap: float,
    chosen: list[Candidate] | None = None,
) -> list[Candidate]:
    chosen = list(chosen or [])
    seen = {c.text.lower() for c in chosen}
    exclaimed = any("!" in c.text for c in chosen)
    for cand in candidates:
        if len(chosen) >= wanted:
            break
        if cand.text.lower() in seen:
            continue
        seen.add(cand.text.lower())
        if "!" in cand.text and exclaimed:
            continue
        said = cand.text.lower().rstrip(".")
        if any(
            overlap(cand.text, c.text) >= max_overlap
            or said in c.text.lower() or c.text.lower().rstrip(".") in said
            for c in chosen
        ):
            continue
        if not keeps(kind, cand.text):
            continue
        exclaimed = exclaimed or "!" in cand.text
        chosen.append(cand)
    return chosen


def assemble_ad(
    model_text: str | tuple[list[Candidate], list[Candidate]] | None,
    inputs: ScoreInputs,
    rules: AdRulesConfig,
    *,
    headlines: int,
    descriptions: int,
    domains: AttributeDomains | None = None,
    brands: BrandIndex | Iterable[str] = (),
    fields: bool = True,
    cut: bool = False,
) -> AssembledAd:
    """The ad for one product: the model's candidates that keep every rule, completed from the
    product's fields (see the module docstring).

    Args:
        model_text: what the model wrote for the product (None: fields only), or its candidates
            already read (``(headlines, descriptions)``, in order of preference).
        inputs: the product's fields, as the prompt showed them.
        rules: the market's limits and word lists.
        headlines: headlines wanted (fewer when fewer distinct ones keep the rules).
        descriptions: descriptions wanted (likewise).
        domains: the catalog's attribute domains, for the factual checks.
        brands: the catalog's brands, for the wrong-name check.
        fields: complete the ad from the product's fields (False: the model's candidates alone,
            as self-training wants them).
        cut: generation stopped at its token limit: the text's last unfinished piece is left
            out.

    Returns:
        The ad and the source of each asset.
    """
    brands = brands if isinstance(brands, BrandIndex) else BrandIndex.of(brands)
    verdicts: dict[tuple[str, str], bool] = {}

    def keeps(kind: str, text: str) -> bool:
        if (kind, text) not in verdicts:
            verdicts[kind, text] = not asset_findings(
                kind, text, inputs, rules, domains=domains, brands=brands
            )
        return verdicts[kind, text]

    if model_text is None or isinstance(model_text, str):
        model_heads, model_descs = model_candidates(model_text, rules, cut=cut)
    else:
        model_heads, model_descs = model_text
    field_heads, field_descs, field_paths = (
        field_candidates(inputs, rules) if fields else ([], [], [])
    )
    # The first headline names the product: its title, else its brand and category.
    naming = [c for c in field_heads if c.source in ("title", "brand+category", "brand+title")]
    first = _pick(naming, 1, kind="headline", keeps=keeps, max_overlap=rules.max_overlap)
    heads = _pick(
        [*model_heads, *field_heads], headlines, kind="headline", keeps=keeps,
        max_overlap=min(PICK_OVERLAP, rules.max_overlap), chosen=first,
    )
    descs = _pick(
        [*model_descs, *field_descs], descriptions, kind="description", keeps=keeps,
        max_overlap=min(PICK_OVERLAP, rules.max_overlap),
    )
    paths = _pick(field_paths, 2, kind="path", keeps=keeps, max_overlap=1.0)
    ad = SearchAd(
        headlines=tuple(c.text for c in heads),
        descriptions=tuple(c.text for c in descs),
        path1=paths[0].text if paths else "",
        path2=paths[1].text if len(paths) > 1 else "",
    )
    return AssembledAd(
        ad, tuple(c.source for c in heads), tuple(c.source for c in descs)
    )
