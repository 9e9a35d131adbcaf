"""The demo catalog generator: deterministic, seeded, realistic products and their reviews.

This module owns the fake but plausible e-commerce data the project runs on when there is no real
catalog: products across ten categories, each with a category-specific attribute map, a
human-style description for about half of them, 0-12 reviews whose ratings and wording follow a
hidden product quality, and, for about 30% of the products with two or more reviews,
human-style reference summaries of those reviews.

Everything about product ``index`` under ``seed`` comes from ``random.Random(f"{seed}:{index}")``,
so the same pair gives the same rows in any process, on any worker and under any partitioning.
The product's hidden state (category, attributes, quality, the plan of every review) is drawn
first by one private helper that both :func:`generate_product` and :func:`generate_reviews` call;
that is why reference summaries agree with the reviews they summarise.

Descriptions are grounded: every number, colour, material and brand they mention comes from the
product's title or attribute map. The text trains a small language model and feeds a grounding
checker, so an invented fact here would teach the model to invent facts.

Example:
    >>> p = generate_product(7, 3)
    >>> p["title"], p["attributes"]
    ('Cottera Essential T-Shirt', {'material': '100% cotton', 'color': 'Heather grey', \
'size': 'S', 'fit': 'Relaxed'})
    >>> p["description"]
    'Cottera Essential T-Shirt: a t-shirt designed for everyday wear. Shown here in size S. \
The kind of basic you reach for again and again.'
    >>> r = generate_reviews(7, 3)[0]
    >>> r["review_id"], r["rating"], r["title"], r["body"]
    ('R0000003-00', 3, 'Mixed feelings', 'The color faded after a couple of washes. The fit is \
flattering without being tight.')
    >>> products = demo_products(spark, n=2000, seed=7, partitions=2)  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from enrich.demo.categories import CATEGORIES, GENERIC_TEXT, Aspect, Category, holds
from enrich.schemas import (
    ATTRIBUTES,
    BODY,
    BRAND,
    CATEGORY,
    CREATED_AT,
    DESCRIPTION,
    HELPFUL_VOTES,
    PRODUCT_ID,
    PRODUCTS_SCHEMA,
    RATING,
    REFERENCE_DESCRIPTIONS,
    REFERENCE_SUMMARIES,
    REVIEW_ID,
    REVIEW_TITLE,
    REVIEWS_SCHEMA,
    TITLE,
    UPDATED_AT,
)

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession


# Description templates. Placeholders: {title} {brand} {name} {line} {noun} {a_singular} {use}
# and the agreement slots {It} {it} {be} {s} {This} {them} (plural products say "They are").
_OPENERS = (
    "The {title} {be} {brand}'s take on everyday {use}.",
    "Meet the {brand} {name}: {a_singular} made for daily {use}.",
    "{This} {noun} from {brand} {be} built for everyday {use}.",
    "Say hello to the {title}.",
    "{brand} built the {name} for daily {use}.",
    "With the {name}, {brand} offers {a_singular} for everyday {use}.",
    "{brand}'s {name} {noun} {be} designed with everyday {use} in mind.",
    "Built by {brand}, the {name} {be} {a_singular} for daily {use}.",
    "If you're looking for {a_singular}, the {title} {be} worth a look.",
    "The {brand} {name} {noun} keep{s} daily {use} straightforward.",
    "{title}: {a_singular} designed for everyday {use}.",
)
# Only where the model name differs from the line name ("Pulse 300" in the Pulse line).
_LINE_OPENERS = _OPENERS + ("The {name} {be} part of {brand}'s {line} line.",)
_FRAMES: dict[int, tuple[str, ...]] = {
    1: (
        "{It} feature{s} {a}.",
        "{It} come{s} with {a}.",
        "Highlights include {a}.",
        "You also get {a}.",
        "{It} offer{s} {a}.",
        "Expect {a}.",
        "{It} also bring{s} {a}.",
    ),
    2: (
        "{It} pair{s} {a} with {b}.",
        "Expect {a} and {b}.",
        "{A} and {b} round out the package.",
        "You get {a} along with {b}.",
        "Key details include {a} and {b}.",
        "{It} combine{s} {a} with {b}.",
        "Design details include {a} and {b}.",
    ),
    3: (
        "Features include {a}, {b} and {c}.",
        "{It} bring{s} together {a}, {b} and {c}.",
        "The spec sheet lists {a}, {b} and {c}.",
        "Expect {a}, {b} and {c}.",
        "{A}, {b} and {c} make {them} easy to live with.",
    ),
}
_CLOSERS = (
    "A dependable choice for everyday {use}.",
    "Simple, practical and ready for daily {use}.",
    "A straightforward pick that does the basics well.",
    "An easy recommendation for daily {use}.",
)
_FRAGMENT_COUNTS = (1, 2, 2, 3)

# Review templates.
_GENERIC_POS = (
    "The {label} is excellent.",
    "Really impressed with the {label}.",
    "No complaints at all about the {label}.",
    "The {label} is better than I expected.",
    "Can't fault the {label}.",
)
_GENERIC_NEG = (
    "The {label} is disappointing.",
    "Not happy with the {label}.",
    "The {label} could be a lot better.",
    "The {label} was a real letdown.",
    "I expected more from the {label}.",
)
# A mention whose sentiment runs against the rating gets a connector, so the body still reads
# as one opinion: "Love them. That said, the battery dies fast."
_AGAINST = {
    "pos": ("That said, ", "My only complaint: ", "On the downside, ", "One gripe: "),
    "neg": ("To be fair, ", "On the plus side, ", "Credit where it's due: "),
}
_REVIEW_LEADS = {
    "pos": (
        "Really happy with this purchase.",
        "I've been using {them} for a few weeks now and love {them}.",
        "Exceeded my expectations.",
        "Very pleased overall.",
    ),
    "mixed": (
        "It's okay, nothing special.",
        "Some things I like, some I don't.",
        "Mixed feelings about this one.",
        "Decent, but not without flaws.",
    ),
    "neg": (
        "Pretty disappointed overall.",
        "I wanted to like {them}, but no.",
        "Not what I hoped for.",
        "Regret this purchase.",
    ),
}
_REVIEW_CLOSERS = {
    "pos": ("Would buy again.", "Highly recommended.", "Definitely worth it.", "Would recommend."),
    "mixed": (
        "Fine for the price, but I expected more.",
        "Might keep {them}, might not.",
        "Not bad, not amazing.",
    ),
    "neg": ("Returning {them}.", "Would not recommend.", "Save your money.", "Look elsewhere."),
}
_REVIEW_TITLES = {
    "pos": (
        "Love it",
        "Great {short}",
        "Excellent {label}",
        "Exactly what I needed",
        "Highly recommend",
        "Worth every penny",
        "Very happy",
        "Best {short} I've owned",
    ),
    "mixed": (
        "Decent but not perfect",
        "Good, not great",
        "Mixed feelings",
        "Okay for the price",
        "Some good, some bad",
    ),
    "neg": (
        "Disappointed",
        "Not worth the money",
        "Returned it",
        "Poor {label}",
        "Would not buy again",
        "Expected better",
    ),
}

# Reference-summary templates, by the overall sentiment of the reviews.
_SUMMARY_LEADS = {
    "very positive": (
        "Reviewers are very happy with {this}",
        "Buyers love {this}",
        "Customers rate {this} highly",
    ),
    "positive": (
        "Most reviewers are happy with {this}",
        "Feedback on {this} is mostly positive",
        "Buyers generally like {this}",
    ),
    "mixed": (
        "Reviews of {this} are mixed",
        "Opinions on {this} are split",
        "Buyers have mixed feelings about {this}",
    ),
    "negative": (
        "Most reviewers are disappointed with {this}",
        "Feedback on {this} is largely negative",
        "Many buyers regret choosing {this}",
    ),
}
# Clauses follow any lead, so none has a verb that must agree with the lead's subject or with
# a one- or two-aspect list.
_PRAISE_CLAUSES = (", with the {p} singled out for praise", ", with most praise going to the {p}")
_PRAISE_SENTENCES = (
    "Praise focuses on the {p}.",
    "Reviewers single out the {p}.",
    "Strengths mentioned most often: the {p}.",
)
_CRITIC_CLAUSES = (
    ", though some complain about the {c}",
    ", but complaints about the {c} come up repeatedly",
)
_CRITIC_SENTENCES = (
    "Complaints mostly concern the {c}.",
    "Several reviewers report problems with the {c}.",
    "The weak spot, according to buyers, is the {c}.",
)

_PRONOUNS = {
    False: {"It": "It", "it": "it", "be": "is", "s": "s", "This": "This", "them": "it"},
    True: {"It": "They", "it": "they", "be": "are", "s": "", "This": "These", "them": "them"},
}

_KEEP_CASE = ("Bluetooth", "Cordura", "Tritan")


def _lower_first(value: str) -> str:
    # Lower only a capitalised ordinary word: acronyms (TPE, USB-C), "V-neck" and names keep case.
    if len(value) > 1 and value[0].isupper() and value[1].islower():
        if not value.startswith(_KEEP_CASE):
            return value[0].lower() + value[1:]
    return value


def _article(phrase: str) -> str:
    vowel = phrase[0] in "aeiou" or phrase.startswith(("8", "11 ", "18 ", "IP"))
    return ("an " if vowel else "a ") + phrase


def _value_forms(value: str) -> dict[str, str]:
    low = _lower_first(value)
    with_article = _article(low)
    return {"v": value, "vl": low, "avl": with_article, "Avl": _cap(with_article)}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _noun_lower(noun: str) -> str:
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in noun.split())


# Precomputed once so the per-product work is dictionary look-ups and str.format.
_FORMS: dict[str, dict[str, str]] = {
    value: _value_forms(value)
    for cat in CATEGORIES
    for spec in cat.attrs
    for value in spec.values
}
_TEXT: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    cat.name: {**GENERIC_TEXT, **cat.text} for cat in CATEGORIES
}
_NOUN_LOWER: dict[str, str] = {
    noun: _noun_lower(noun) for cat in CATEGORIES for noun, _ in cat.nouns
}
_THIS_SHORT: dict[str, str] = {
    cat.name: ("these " if cat.plural else "this ") + cat.short for cat in CATEGORIES
}

_UPDATED_START = dt.datetime(2024, 1, 1)
_UPDATED_SPAN_S = int((dt.datetime(2026, 1, 1) - _UPDATED_START).total_seconds())
_REVIEW_START = dt.datetime(2022, 1, 1)
_REVIEW_SPAN_S = int((dt.datetime(2026, 1, 1) - _REVIEW_START).total_seconds())

_DESCRIPTION_RATE = 0.5
_SUMMARY_RATE = 0.3
# Products with two or more reviews: fewer reviews are more common, up to twelve.
_REVIEW_COUNTS = tuple(range(2, 13))
_REVIEW_COUNT_CUM_WEIGHTS = tuple(itertools.accumulate((14, 13, 12, 11, 9, 8, 7, 6, 5, 4, 3)))


class _Review(NamedTuple):
    rating: int
    # (index into _State.aspects, positive?) per aspect the review talks about.
    mentions: tuple[tuple[int, bool], ...]
    helpful_votes: int
    created_at: dt.datetime


class _State(NamedTuple):
    category: Category
    brand: str
    line: str
    name: str
    noun: str
    base_title: str
    title: str
    attributes: dict[str, str]
    updated_at: dt.datetime
    has_description: bool
    aspects: tuple[Aspect, ...]
    reviews: tuple[_Review, ...]
    has_summaries: bool


def _draw_attributes(cat: Category, rng: random.Random) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for spec in cat.attrs:
        if spec.required and holds(spec.when, attrs):
            attrs[spec.key] = rng.choice(spec.values)
    optional = [spec for spec in cat.attrs if not spec.required]
    rng.shuffle(optional)
    target = rng.randint(4, 8)
    for spec in optional:
        if len(attrs) >= target:
            break
        if spec.key not in attrs and holds(spec.when, attrs):
            attrs[spec.key] = rng.choice(spec.values)
    # Keep the category's own key order, as a catalog export would.
    order = {spec.key: i for i, spec in enumerate(cat.attrs)}
    return dict(sorted(attrs.items(), key=lambda kv: order[kv[0]]))


def _draw_review(
    aspects: tuple[Aspect, ...], scores: list[float], quality: float, rng: random.Random
) -> _Review:
    rating = min(5, max(1, round(1 + 4 * quality + rng.gauss(0, 0.9))))
    count = min(len(aspects), rng.choice((1, 1, 2, 2, 2, 3, 3)))
    picked = rng.sample(range(len(aspects)), count)
    mentions = [
        [i, scores[i] + (rating - 3) * 0.18 + rng.gauss(0, 0.12) > 0.55] for i in picked
    ]
    positives = sum(1 for _, pos in mentions if pos)
    # Keep the words in line with the stars: a 4-5 star review praises something, a 1-2 star
    # review complains about something, and the extremes allow at most one dissenting remark.
    if rating >= 4 and positives == 0:
        mentions[0][1] = True
    if rating <= 2 and positives == len(mentions):
        mentions[0][1] = False
    if rating == 3 and len(mentions) >= 2 and positives in (0, len(mentions)):
        # A three-star review with several remarks names something good and something bad.
        ranked = sorted(mentions, key=lambda m: scores[m[0]])
        if positives:
            ranked[0][1] = False
        else:
            ranked[-1][1] = True
    if rating == 5:
        against = [m for m in mentions if not m[1]]
        for m in against[1:]:
            m[1] = True
    if rating == 1:
        against = [m for m in mentions if m[1]]
        for m in against[1:]:
            m[1] = False
    # Most reviews get a handful of votes; a few early, detailed ones collect many.
    votes = int(rng.expovariate(0.5))
    if rng.random() < 0.05:
        votes += rng.randint(8, 120)
    created = _REVIEW_START + dt.timedelta(seconds=rng.randrange(_REVIEW_SPAN_S))
    return _Review(rating, tuple((i, pos) for i, pos in mentions), votes, created)


def _state(seed: int, index: int) -> tuple[_State, random.Random]:
    """Draw a product's hidden state; return it with the rng positioned just after it.

    Both public generators call this, so the reviews and the reference summaries they render
    come from the same plan, and each continues from the same rng position.
    """
    # A string seed is hashed with SHA-512 by CPython, independent of PYTHONHASHSEED.
    rng = random.Random(f"{seed}:{index}")
    cat = rng.choice(CATEGORIES)
    brand = rng.choice(cat.brands)
    line = rng.choice(cat.lines)
    model = rng.choice(cat.models)
    name = f"{line} {model}" if model else line
    attrs = _draw_attributes(cat, rng)
    noun = rng.choice([noun for noun, when in cat.nouns if holds(when, attrs)])
    base_title = f"{brand} {name} {noun}"
    title = base_title
    if cat.title_attr and cat.title_attr in attrs and rng.random() < 0.4:
        title = f"{base_title}, {attrs[cat.title_attr]}"
    updated_at = _UPDATED_START + dt.timedelta(seconds=rng.randrange(_UPDATED_SPAN_S))
    has_description = rng.random() < _DESCRIPTION_RATE

    aspects = tuple(a for a in cat.aspects if holds(a.when, attrs))
    # Most products are decent; some are lemons, which is where the one-star reviews come from.
    quality = rng.betavariate(2, 3) if rng.random() < 0.15 else rng.betavariate(5, 2)
    scores = [min(1.0, max(0.0, quality + rng.gauss(0, 0.2))) for _ in aspects]
    # Real products tend to have one thing people complain about, or one they rave about.
    if rng.random() < 0.35:
        scores[rng.randrange(len(scores))] -= 0.4
    if rng.random() < 0.3:
        scores[rng.randrange(len(scores))] += 0.3

    roll = rng.random()
    if roll < 0.05:
        n_reviews = 0
    elif roll < 0.10:
        n_reviews = 1
    else:
        n_reviews = rng.choices(_REVIEW_COUNTS, cum_weights=_REVIEW_COUNT_CUM_WEIGHTS)[0]
    reviews = [_draw_review(aspects, scores, quality, rng) for _ in range(n_reviews)]
    reviews.sort(key=lambda r: r.created_at)
    has_summaries = n_reviews >= 2 and rng.random() < _SUMMARY_RATE

    state = _State(
        category=cat,
        brand=brand,
        line=line,
        name=name,
        noun=noun,
        base_title=base_title,
        title=title,
        attributes=attrs,
        updated_at=updated_at,
        has_description=has_description,
        aspects=aspects,
        reviews=tuple(reviews),
        has_summaries=has_summaries,
    )
    return state, rng


def _describe(state: _State, rng: random.Random) -> str:
    cat = state.category
    text = _TEXT[cat.name]
    ctx: dict[str, str] = {
        **_PRONOUNS[cat.plural],
        "title": state.base_title,
        "brand": state.brand,
        "name": state.name,
        "line": state.line,
        "noun": _NOUN_LOWER[state.noun],
        "a_singular": cat.a_singular,
        "use": cat.use,
    }
    openers = _OPENERS if state.name == state.line else _LINE_OPENERS
    sentences = [rng.choice(openers).format(**ctx)]
    keys = list(state.attributes)
    rng.shuffle(keys)
    for _ in range(1 if rng.random() < 0.45 else 2):
        if not keys:
            break
        key = keys.pop()
        frags, whole = text[key]
        forms = _FORMS[state.attributes[key]]
        if not frags or (whole and rng.random() < 0.35):
            sentences.append(rng.choice(whole).format(**ctx, **forms))
            continue
        parts = [rng.choice(frags).format(**forms)]
        wanted = rng.choice(_FRAGMENT_COUNTS)
        # Keys that only have whole sentences stay in the pool for the next slot.
        for other in [k for k in reversed(keys) if text[k][0]][: wanted - 1]:
            keys.remove(other)
            parts.append(rng.choice(text[other][0]).format(**_FORMS[state.attributes[other]]))
        slots = dict(zip("abc", parts))
        sentences.append(rng.choice(_FRAMES[len(parts)]).format(**ctx, **slots, A=_cap(parts[0])))
    if len(sentences) < 4 and rng.random() < 0.5:
        closer = rng.choice(_CLOSERS + cat.closers)
        sentences.append(closer.format(**ctx))
    return " ".join(sentences)


def _join(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{labels[0]} and {labels[1]}"


def _summarise(state: _State, rng: random.Random) -> list[str]:
    cat = state.category
    pos = [0] * len(state.aspects)
    neg = [0] * len(state.aspects)
    for review in state.reviews:
        for i, positive in review.mentions:
            (pos if positive else neg)[i] += 1
    mean = sum(r.rating for r in state.reviews) / len(state.reviews)
    if mean >= 4.2:
        mood = "very positive"
    elif mean >= 3.5:
        mood = "positive"
    elif mean >= 2.6:
        mood = "mixed"
    else:
        mood = "negative"
    order = range(len(state.aspects))
    praised = sorted((i for i in order if pos[i] > neg[i]), key=lambda i: -pos[i])[:2]
    criticised = sorted((i for i in order if neg[i] > pos[i]), key=lambda i: -neg[i])[:2]
    p = _join([state.aspects[i].label for i in praised]) if praised else ""
    c = _join([state.aspects[i].label for i in criticised]) if criticised else ""
    this = _THIS_SHORT[cat.name]

    wanted = rng.choice((1, 1, 2, 2, 3))
    summaries: list[str] = []
    for _ in range(12):
        if len(summaries) >= wanted:
            break
        lead = rng.choice(_SUMMARY_LEADS[mood]).format(this=this)
        if rng.random() < 0.25:
            lead = f"Across {len(state.reviews)} reviews, {lead[0].lower()}{lead[1:]}"
        praise_first = mood in ("very positive", "positive")
        form = rng.randrange(3)
        if p and c and form == 0:
            text = lead + rng.choice(_PRAISE_CLAUSES).format(p=p) + ". "
            text += rng.choice(_CRITIC_SENTENCES).format(c=c)
        elif p and c and form == 1:
            text = lead + rng.choice(_CRITIC_CLAUSES).format(c=c) + ". "
            text += rng.choice(_PRAISE_SENTENCES).format(p=p)
        elif p and (praise_first or not c):
            # A one-point summary names the side the reviews lean to.
            if rng.random() < 0.5:
                text = lead + rng.choice(_PRAISE_CLAUSES).format(p=p) + "."
            else:
                text = lead + ". " + rng.choice(_PRAISE_SENTENCES).format(p=p)
        elif c:
            if rng.random() < 0.5:
                text = lead + rng.choice(_CRITIC_CLAUSES).format(c=c) + "."
            else:
                text = lead + ". " + rng.choice(_CRITIC_SENTENCES).format(c=c)
        else:
            text = lead + ", without any one feature standing out."
        if text not in summaries:
            summaries.append(text)
    return summaries


def _lower_start(sentence: str) -> str:
    # "I" stays a capital after a connector: "That said, I expected more."
    if sentence.startswith(("I ", "I'")):
        return sentence
    return sentence[0].lower() + sentence[1:]


def _mood(rating: int) -> str:
    return "pos" if rating >= 4 else "neg" if rating <= 2 else "mixed"


def _render_review(state: _State, review: _Review, rng: random.Random) -> tuple[str, str]:
    cat = state.category
    pron = _PRONOUNS[cat.plural]
    mood = _mood(review.rating)
    sentences: list[str] = []
    roll = rng.random()
    if roll < 0.25:
        sentences.append(rng.choice(cat.contexts).format(**pron))
    elif roll < 0.6:
        sentences.append(rng.choice(_REVIEW_LEADS[mood]).format(**pron))
    for i, positive in review.mentions:
        aspect = state.aspects[i]
        if aspect.generic and rng.random() < 0.3:
            frame = rng.choice(_GENERIC_POS if positive else _GENERIC_NEG)
            sentence = frame.format(label=aspect.label)
        else:
            sentence = rng.choice(aspect.pos if positive else aspect.neg)
            if "{" in sentence:
                sentence = sentence.format_map(state.attributes)
        if (mood == "pos" and not positive) or (mood == "neg" and positive):
            sentence = rng.choice(_AGAINST[mood]) + _lower_start(sentence)
        sentences.append(sentence)
    if len(sentences) < 4 and rng.random() < 0.4:
        sentences.append(rng.choice(_REVIEW_CLOSERS[mood]).format(**pron))

    title = rng.choice(_REVIEW_TITLES[mood])
    if "{label}" in title:
        agreeing = [
            state.aspects[i].label
            for i, p in review.mentions
            if p == (mood == "pos") and state.aspects[i].generic
        ]
        title = title.format(label=agreeing[0]) if agreeing else rng.choice(
            [t for t in _REVIEW_TITLES[mood] if "{label}" not in t]
        )
    return title.format(short=cat.short), " ".join(sentences)


def generate_product(seed: int, index: int) -> dict[str, Any]:
    """One demo product, the same for the same ``(seed, index)`` in any process.

    Args:
        seed: catalog seed; a different seed gives a different catalog.
        index: the product's position in the catalog (0-based); it names the product.

    Returns:
        A dict with exactly the fields of ``PRODUCTS_SCHEMA``: ``product_id`` (``P0000042``),
        ``title``, ``brand``, ``category``, ``attributes`` (``dict[str, str]``),
        ``description`` (str for about half the products, else None),
        ``reference_summaries`` (1-3 strings for about 30% of products with two or more
        reviews, else None), ``reference_descriptions`` (None: the demo has one description
        a product) and ``updated_at`` (a naive datetime in 2024-2025).

    Example:
        >>> p = generate_product(7, 42)
        >>> p["product_id"], sorted(p) == sorted(PRODUCTS_SCHEMA.fieldNames())
        ('P0000042', True)
    """
    state, rng = _state(seed, index)
    description = _describe(state, rng) if state.has_description else None
    summaries = _summarise(state, rng) if state.has_summaries else None
    return {
        PRODUCT_ID: f"P{index:07d}",
        TITLE: state.title,
        BRAND: state.brand,
        CATEGORY: state.category.name,
        ATTRIBUTES: dict(state.attributes),
        DESCRIPTION: description,
        REFERENCE_SUMMARIES: summaries,
        REFERENCE_DESCRIPTIONS: None,
        UPDATED_AT: state.updated_at,
    }


def generate_reviews(seed: int, index: int) -> list[dict[str, Any]]:
    """The reviews of demo product ``index``, consistent with its reference summaries.

    Args:
        seed: catalog seed, as given to :func:`generate_product`.
        index: the product's position in the catalog (0-based).

    Returns:
        0 to 12 dicts, oldest first, each with exactly the fields of ``REVIEWS_SCHEMA``:
        ``review_id`` (``R0000042-00`` for the product's first review), ``product_id``,
        ``rating`` (1-5), ``title``, ``body`` (1-4 sentences), ``helpful_votes`` (>= 0) and
        ``created_at`` (a naive datetime in 2022-2025).
    """
    state, rng = _state(seed, index)
    product_id = f"P{index:07d}"
    out = []
    for k, review in enumerate(state.reviews):
        title, body = _render_review(state, review, rng)
        out.append(
            {
                REVIEW_ID: f"R{index:07d}-{k:02d}",
                PRODUCT_ID: product_id,
                RATING: review.rating,
                REVIEW_TITLE: title,
                BODY: body,
                HELPFUL_VOTES: review.helpful_votes,
                CREATED_AT: review.created_at,
            }
        )
    return out


_PRODUCT_COLUMNS = PRODUCTS_SCHEMA.fieldNames()
_REVIEW_COLUMNS = REVIEWS_SCHEMA.fieldNames()


def _product_batches(batches: Iterator[pd.DataFrame], seed: int) -> Iterator[pd.DataFrame]:
    import pandas as pd

    for batch in batches:
        rows = [generate_product(seed, int(i)) for i in batch["id"]]
        yield pd.DataFrame(rows, columns=_PRODUCT_COLUMNS)


def _review_batches(batches: Iterator[pd.DataFrame], seed: int) -> Iterator[pd.DataFrame]:
    import pandas as pd

    for batch in batches:
        rows = [review for i in batch["id"] for review in generate_reviews(seed, int(i))]
        yield pd.DataFrame(rows, columns=_REVIEW_COLUMNS)


def demo_products(spark: SparkSession, *, n: int, seed: int, partitions: int) -> DataFrame:
    """The demo products table: ``n`` products generated on the executors.

    Args:
        spark: the session to build the frame in.
        n: number of products; their indices are ``0 .. n-1``.
        seed: catalog seed; the same seed gives the same rows whatever ``partitions`` is.
        partitions: partitions of the generated frame.

    Returns:
        A DataFrame with ``PRODUCTS_SCHEMA``, one row per product.

    Raises:
        ValueError: ``n`` is negative or ``partitions`` is not positive.
    """
    _check_sizes(n, partitions)
    fn = functools.partial(_product_batches, seed=seed)
    return spark.range(n, numPartitions=partitions).mapInPandas(fn, PRODUCTS_SCHEMA)


def demo_reviews(spark: SparkSession, *, n: int, seed: int, partitions: int) -> DataFrame:
    """The demo reviews table: the reviews of the ``n`` products of :func:`demo_products`.

    Args:
        spark: the session to build the frame in.
        n: number of products whose reviews to generate (about 5 reviews each on average).
        seed: catalog seed, the same as given to :func:`demo_products`.
        partitions: partitions of the product range the reviews are generated from.

    Returns:
        A DataFrame with ``REVIEWS_SCHEMA``, one row per review.

    Raises:
        ValueError: ``n`` is negative or ``partitions`` is not positive.
    """
    _check_sizes(n, partitions)
    fn = functools.partial(_review_batches, seed=seed)
    return spark.range(n, numPartitions=partitions).mapInPandas(fn, REVIEWS_SCHEMA)


def _check_sizes(n: int, partitions: int) -> None:
    if n < 0:
        raise ValueError(f"n must be 0 or more products (got {n})")
    if partitions < 1:
        raise ValueError(f"partitions must be at least 1 (got {partitions}); try 2")
