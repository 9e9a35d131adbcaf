"""The publishing gate: every check on one text, combined into ``quality_score`` and a status.

Checks run by the task's ``checks`` and by what the row has: grounding on rows with product
facts and no reviews (descriptions); on rows with reviews (summaries) faithfulness, ROUGE and,
of grounding, only the catalog's names and the properties the fields deny (another product's
or brand's name that neither the product nor its reviews hold, or "dishwasher safe" where the
fields say it is not, is ``contradicted_fact``; a feature it says the product includes or
a property word that neither the reviews nor the fields state is an ``unsupported_aspect``, as
faithfulness reads aspects); form and safety on every row; reference
scores where a human text exists; confidence where the generation recorded a mean
log-probability.

The text and each reference are cut to ``max_scored_chars`` at a word boundary before any check
reads them, so no text makes scoring slow; a text that was cut is flagged ``too_long`` whatever
the task's checks, so it never reaches ``accepted`` with a part that no check read.

``quality_score`` is the mean of the parts that apply, each in [0, 1] (form, grounding,
faithfulness, safety, confidence), blended with the chrF part by ``reference_weight`` where a
reference exists. The status follows the reasons and the thresholds of
:class:`enrich.config.QualityConfig`:

- ``rejected``: a reason in ``rejecting_reasons`` or a score below ``reject_threshold``;
- ``accepted``: no reason at all and a score at or above ``accept_threshold``;
- ``needs_review``: everything between.

Example:
    >>> s = score_text("The Halvik Halo comes in blue.", ["Blue Halvik Halo headphones."],
    ...     inputs=ScoreInputs(brand="Halvik", title="Halo", attributes={"colour": "blue"}),
    ...     bounds=(3, 50), cfg=QualityConfig())
    >>> s.status, s.mentioned_attributes, s.reject_reasons
    ('accepted', ['colour', 'brand'], [])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from enrich import schemas as S
from enrich.config import QUALITY_CHECKS, QualityConfig
from enrich.quality import reasons as R
from enrich.quality.ads import (
    BrandIndex, Finding, SearchAd, ad_text, check_ad, reason_codes, unsupported_claims,
)
from enrich.quality.domains import AttributeDomains
from enrich.quality.faithfulness import check_faithfulness
from enrich.quality.form import check_form, truncated
from enrich.quality.grounding import check_grounding
from enrich.quality.inputs import ScoreInputs
from enrich.quality.reference import reference_scores
from enrich.quality.safety import check_safety
from enrich.quality.text import contains_phrase, cut_words, words

FLAG_PENALTY = 0.25
# Characters of a text's end kept to judge whether it is cut off, when scoring cuts the text.
MAX_ENDING_CHARS = 200


@dataclass(frozen=True)
class Scores:
    """Every score of one generated text and the gate's verdict; fields are output columns."""

    status: str
    quality_score: float
    reject_reasons: list[str] = field(default_factory=list)
    bleu: float | None = None
    chrf: float | None = None
    rouge1: float | None = None
    rouge2: float | None = None
    rouge_l: float | None = None
    reference_count: int = 0
    grounding: float | None = None
    mentioned_attributes: list[str] | None = None
    unsupported_facts: list[str] | None = None
    contradicted_facts: list[str] | None = None
    sentiment: float | None = None
    sentiment_agreement: float | None = None
    unsupported_aspects: list[str] | None = None
    pii: list[str] = field(default_factory=list)
    profanity: bool = False
    injection: bool = False
    repetition: float | None = None
    language: str | None = None

    def columns(self) -> dict:
        """The scores as output columns (names from :mod:`enrich.schemas`)."""
        return asdict(self)


def _confidence(mean_logprob: float | None, cfg: QualityConfig) -> float | None:
    if mean_logprob is None:
        return None
    return max(0.0, min(1.0, 1.0 - float(mean_logprob) / cfg.confidence_floor))


def _add_confidence(
    mean_logprob: float | None, cfg: QualityConfig, parts: list[float], reasons: list[str]
) -> None:
    """The confidence part of the score, and ``low_confidence``, where a log-probability exists."""
    confidence = _confidence(mean_logprob, cfg)
    if confidence is not None:
        parts.append(confidence)
        if mean_logprob < cfg.min_mean_logprob:
            reasons.append(R.LOW_CONFIDENCE)


def _verdict(reasons: list[str], score: float, cfg: QualityConfig) -> str:
    """The status of a scored output (see the module docstring)."""
    if any(r in cfg.rejecting_reasons for r in reasons) or score < cfg.reject_threshold:
        return S.REJECTED
    if score >= cfg.accept_threshold and not reasons:
        return S.ACCEPTED
    return S.NEEDS_REVIEW


def score_text(
    text: str | None,
    references: list[str] | None,
    *,
    bounds: tuple[int, int],
    cfg: QualityConfig,
    inputs: ScoreInputs | None = None,
    mean_logprob: float | None = None,
    stopped_at_limit: bool | None = None,
    checks=QUALITY_CHECKS,
    domains: AttributeDomains | None = None,
) -> Scores:
    """Score one generated text and decide its status.

    Args:
        text: the generated text.
        references: human texts for the same input, or None.
        bounds: (min_words, max_words) of the task.
        cfg: the gate's thresholds.
        inputs: the facts the text is checked against (none: only form, safety and references).
        mean_logprob: mean token log-probability recorded while generating, or None.
        stopped_at_limit: whether generation stopped at ``max_new_tokens`` (None: unknown).
        checks: the task's checks (all of them by default).
        domains: the catalog's categorical attribute domains and names, for grounding (None:
            only the built-in kinds of fact, and no names).

    Returns:
        The row's :class:`Scores`.
    """
    limit = cfg.max_scored_chars
    text = (text or "").strip()
    unread = len(text) > limit
    # Whether the text is cut off is read at its own end, which a cut for scoring drops.
    ending = text[-MAX_ENDING_CHARS:]
    text = cut_words(text, limit)
    if references is not None:
        references = [cut_words(str(r), limit) if r else r for r in references]
    inputs = inputs or ScoreInputs()
    summary = bool(inputs.reviews)
    form_checks = [c for c in checks if not (unread and c == "truncation")]
    own = (inputs.title, inputs.brand, inputs.category)
    names = frozenset(words(" ".join(str(p) for p in own if p)))
    form = check_form(
        text, bounds=bounds, cfg=cfg, checks=form_checks, stopped_at_limit=stopped_at_limit,
        names=names,
    )
    reasons = list(form.flags)
    if unread and "truncation" in checks and truncated(ending, stopped_at_limit):
        reasons.append(R.TRUNCATED)
    if unread and R.TOO_LONG not in reasons:
        reasons.append(R.TOO_LONG)
    ref = reference_scores(text, references, rouge=summary)
    parts = [0.0 if R.EMPTY in reasons else max(0.0, 1.0 - FLAG_PENALTY * len(reasons))]
    found: dict = {}

    if "grounding" in checks and not summary and inputs.has_product_facts:
        g = check_grounding(text, inputs, domains=domains)
        reported = [words(f.split(": ", 1)[-1]) for f in g.unsupported + g.contradicted]
        unsupported = g.unsupported + [  # a claim already reported ("colour: green") once
            c for c in unsupported_claims(text, inputs, cfg.ad_rules)
            if not any(contains_phrase(r, words(c.split(": ", 1)[1])) for r in reported)
        ]
        found.update(
            grounding=g.share, mentioned_attributes=g.mentioned,
            unsupported_facts=unsupported, contradicted_facts=g.contradicted,
        )
        reasons += [R.CONTRADICTED_FACT] * bool(g.contradicted)
        reasons += [R.UNSUPPORTED_FACT] * bool(unsupported)
        clean = 0.0 if unsupported or g.contradicted else 1.0
        parts.append(0.7 * clean + 0.3 * (g.share if g.share is not None else 1.0))
    if summary and ("grounding" in checks or "faithfulness" in checks):
        # What a summary states of the product, against its fields and its reviews: contradicted
        # where the fields say otherwise (another value, number or name; a property they deny),
        # unsupported where neither states it (a feature, a property word, whom it suits, a name).
        reviews = "\n".join(inputs.reviews)
        g = check_grounding(text, inputs, domains=domains, reviews=reviews)
    if "grounding" in checks and summary:
        found.update(contradicted_facts=g.contradicted)
        reasons += [R.CONTRADICTED_FACT] * bool(g.contradicted)
    if "faithfulness" in checks and summary:
        f = check_faithfulness(
            text, inputs, sentiment_margin=cfg.sentiment_margin, rating_margin=cfg.rating_margin,
            review_rating_margin=cfg.review_rating_margin,
        )
        unsupported = [
            *f.unsupported_aspects,
            *(c for c in g.unsupported if not any(  # "built-in heaters" is "feature: heaters"
                set(words(c.split(": ", 1)[-1])) <= set(words(a)) for a in f.unsupported_aspects
            )),
            *unsupported_claims(text, inputs, cfg.ad_rules, also=reviews),
        ]
        found.update(
            sentiment=f.sentiment, sentiment_agreement=f.agreement,
            unsupported_aspects=unsupported,
        )
        reasons += [R.SENTIMENT_MISMATCH] * f.mismatch
        reasons += [R.UNSUPPORTED_ASPECT] * bool(unsupported)
        agreement = 1.0 if f.agreement is None else f.agreement
        parts.append(agreement * (0.5 if unsupported else 1.0))
    if "safety" in checks:
        s = check_safety(text, inputs)
        found.update(pii=s.pii, profanity=s.profanity, injection=s.injection)
        reasons += [R.PII] * bool(s.pii) + [R.PROFANITY] * s.profanity + [R.INJECTION] * s.injection
        parts.append(0.0 if s.pii or s.profanity or s.injection else 1.0)
    _add_confidence(mean_logprob, cfg, parts, reasons)

    score = sum(parts) / len(parts)
    if ref.chrf is not None:
        reference = min(1.0, ref.chrf / cfg.chrf_full_marks)
        score = (1 - cfg.reference_weight) * score + cfg.reference_weight * reference
    score = round(0.0 if R.EMPTY in reasons else score, 4)
    if score < cfg.reject_threshold and R.EMPTY not in reasons:
        reasons.append(R.LOW_SCORE)
    status = _verdict(reasons, score, cfg)
    return Scores(
        status=status,
        quality_score=score,
        reject_reasons=reasons,
        bleu=ref.bleu,
        chrf=ref.chrf,
        rouge1=ref.rouge1,
        rouge2=ref.rouge2,
        rouge_l=ref.rouge_l,
        reference_count=ref.reference_count,
        repetition=form.repetition,
        language=form.language,
        **found,
    )


def score_ad(
    ad: SearchAd,
    *,
    cfg: QualityConfig,
    inputs: ScoreInputs | None = None,
    mean_logprob: float | None = None,
    domains: AttributeDomains | None = None,
    brands: BrandIndex | Iterable[str] = (),
) -> tuple[Scores, list[Finding]]:
    """Score one search ad and decide its status: the gate of task output ``search_ad``.

    The checks are the ad rules and the factual checks of :func:`enrich.quality.ads.check_ad`
    (limits and counts included: an ad with too few headlines is ``ad_format``), safety on the
    ad's text (profanity, injected instructions; contact details are ``ad_contact``), and
    confidence where the generation recorded a mean log-probability. ``quality_score`` is the
    mean of the form part (1 less ``FLAG_PENALTY`` per reason), grounding (as for descriptions,
    on :func:`enrich.quality.ads.ad_text`), safety and confidence; the status follows the
    reasons and thresholds as for every task.

    Args:
        ad: the ad.
        cfg: the gate's thresholds and ``ad_rules``.
        inputs: the product's fields (none: only the rules that need no facts).
        mean_logprob: mean token log-probability of the model's text, or None.
        domains: the catalog's attribute domains and names.
        brands: the catalog's brands (another one named is ``contradicted_fact``).

    Returns:
        The ad's :class:`Scores` and every finding, ``(reason code, detail)``.

    Example:
        >>> scores, findings = score_ad(SearchAd(("Halo Headphones", "Halvik Sound", "In Blue"),
        ...     ("Halo headphones by Halvik.", "They come in blue.")), cfg=QualityConfig(),
        ...     inputs=ScoreInputs(title="Halo headphones", brand="Halvik",
        ...                        attributes={"colour": "blue"}))
        >>> scores.status, findings
        ('accepted', [])
    """
    inputs = inputs or ScoreInputs()
    rules = cfg.ad_rules
    findings = check_ad(ad, inputs, rules, domains=domains, brands=brands)
    reasons = reason_codes(findings)
    text = ad_text(ad, inputs, rules)
    parts = [max(0.0, 1.0 - FLAG_PENALTY * len(reasons))]
    found: dict = {
        "unsupported_facts": [d for r, d in findings if r == R.UNSUPPORTED_FACT],
        "contradicted_facts": [d for r, d in findings if r == R.CONTRADICTED_FACT],
    }
    if inputs.has_product_facts and text:
        g = check_grounding(text, inputs, domains=domains)
        found.update(grounding=g.share, mentioned_attributes=g.mentioned)
        clean = 0.0 if found["unsupported_facts"] or found["contradicted_facts"] else 1.0
        parts.append(0.7 * clean + 0.3 * (g.share if g.share is not None else 1.0))
    s = check_safety(text, inputs)
    found.update(pii=s.pii, profanity=s.profanity, injection=s.injection)
    reasons += [R.PROFANITY] * s.profanity + [R.INJECTION] * s.injection
    reasons += [R.PII] * bool(s.pii and R.AD_CONTACT not in reasons)
    parts.append(0.0 if s.pii or s.profanity or s.injection else 1.0)
    _add_confidence(mean_logprob, cfg, parts, reasons)
    score = round(sum(parts) / len(parts), 4)
    if score < cfg.reject_threshold:
        reasons.append(R.LOW_SCORE)
    scores = Scores(
        status=_verdict(reasons, score, cfg), quality_score=score, reject_reasons=reasons, **found
    )
    return scores, findings
