"""Quality scores of generated text and the publishing gate that turns them into a status.

Reference-based scores are sacrebleu's own sentence BLEU and chrF against every human reference
of the row. Reference-free checks look at form: empty text, length outside the task's bounds,
looping (repeated word trigrams), text cut off mid-sentence, and template text left in the output.
They combine into ``quality_score`` in [0, 1] (form alone, or form and chrF weighted by
``reference_weight`` where a reference exists) and a status:

- ``rejected``: a blocking flag (empty, looping, template leak) or a score below the reject bar;
- ``accepted``: score at or above the accept bar and no flag at all;
- ``needs_review``: everything between.

Example:
    >>> s = score_text("A sturdy steel mug.", ["A sturdy mug in steel."], bounds=(3, 50),
    ...                cfg=QualityConfig())
    >>> s.status, round(s.chrf, 1), s.quality_score
    ('accepted', 51.2, 1.0)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sacrebleu

from enrich.config import FORM_CHECKS, QualityConfig
from enrich.schemas import ACCEPTED, NEEDS_REVIEW, REJECTED

# Flags that keep a row out of `accepted` whatever its score, and those that reject it outright.
EMPTY, TOO_SHORT, TOO_LONG, REPETITIVE, TRUNCATED, TEMPLATE_LEAK, LOW_SCORE = (
    "empty", "too_short", "too_long", "repetitive", "truncated", "template_leak", "low_score"
)
BLOCKING = {EMPTY, REPETITIVE, TEMPLATE_LEAK}
FLAG_PENALTY = 0.25

_WORD = re.compile(r"\w+", re.UNICODE)
_TEMPLATE_MARKERS = re.compile(r"###|\bTask:|\bAttributes:|\bReviews:")
_SENTENCE_END = re.compile(r"[.!?…)\"']\s*$")


@dataclass(frozen=True)
class Scores:
    """The scores and the gate's verdict for one generated text."""

    status: str
    quality_score: float
    reject_reasons: list[str] = field(default_factory=list)
    bleu: float | None = None
    chrf: float | None = None
    reference_count: int = 0


def repeated_trigram_ratio(words: list[str]) -> float:
    """Share of word trigrams that already occurred earlier in the text."""
    trigrams = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
    if not trigrams:
        return 0.0
    return 1.0 - len(set(trigrams)) / len(trigrams)


def form_flags(
    text: str, *, bounds: tuple[int, int], cfg: QualityConfig, checks=FORM_CHECKS
) -> list[str]:
    """Reference-free flags for a text, in a fixed order, from the ``checks`` named."""
    words = _WORD.findall(text.lower())
    if not words:
        return [EMPTY]
    flags = []
    if "length" in checks:
        if len(words) < bounds[0]:
            flags.append(TOO_SHORT)
        if len(words) > bounds[1]:
            flags.append(TOO_LONG)
    if "repetition" in checks and repeated_trigram_ratio(words) > cfg.max_repeated_trigram_ratio:
        flags.append(REPETITIVE)
    if "truncation" in checks and not _SENTENCE_END.search(text):
        flags.append(TRUNCATED)
    if "template_leak" in checks and _TEMPLATE_MARKERS.search(text):
        flags.append(TEMPLATE_LEAK)
    return flags


def score_text(
    text: str | None,
    references: list[str] | None,
    *,
    bounds: tuple[int, int],
    cfg: QualityConfig,
    checks=FORM_CHECKS,
) -> Scores:
    """Score one generated text and decide its status.

    Args:
        text: the generated text.
        references: human texts for the same input, or None.
        bounds: (min_words, max_words) of the task.
        cfg: the gate's thresholds.
        checks: the task's form checks (all of them by default).

    Returns:
        The row's :class:`Scores`.
    """
    text = (text or "").strip()
    refs = [r for r in (references or []) if r and r.strip()]
    flags = form_flags(text, bounds=bounds, cfg=cfg, checks=checks)
    bleu = chrf = None
    if refs:
        bleu = sacrebleu.sentence_bleu(text, refs).score
        chrf = sacrebleu.sentence_chrf(text, refs).score
    form = max(0.0, 1.0 - FLAG_PENALTY * len(flags)) if EMPTY not in flags else 0.0
    if chrf is not None:
        reference = min(1.0, chrf / cfg.chrf_full_marks)
        score = (1 - cfg.reference_weight) * form + cfg.reference_weight * reference
    else:
        score = form
    score = round(score, 4)
    if score < cfg.reject_threshold and EMPTY not in flags:
        flags.append(LOW_SCORE)
    if any(flag in BLOCKING for flag in flags) or score < cfg.reject_threshold:
        status = REJECTED
    elif score >= cfg.accept_threshold and not flags:
        status = ACCEPTED
    else:
        status = NEEDS_REVIEW
    return Scores(status, score, flags, bleu, chrf, len(refs))
