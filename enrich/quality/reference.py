"""Reference-based scores: sacrebleu BLEU and chrF, and ROUGE from ``rouge-score``.

Every number is the library's own: sentence scores are ``sacrebleu.sentence_bleu`` and
``sacrebleu.sentence_chrf`` against all the row's human references at once (multi-reference),
run figures are ``sacrebleu.corpus_bleu`` and ``sacrebleu.corpus_chrf``, and ROUGE-1/2/L is
``RougeScorer.score_multi`` (the best F-measure over the references, stemmed).

Example:
    >>> s = reference_scores("A sturdy steel mug.", ["A sturdy mug in steel.", "A steel mug."])
    >>> round(s.chrf, 1)
    78.8
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sacrebleu

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")


@dataclass(frozen=True)
class ReferenceScores:
    """Scores of one text against its references (None where there is no reference)."""

    bleu: float | None = None
    chrf: float | None = None
    rouge1: float | None = None
    rouge2: float | None = None
    rouge_l: float | None = None
    reference_count: int = 0


@lru_cache(maxsize=1)
def _rouge():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


def clean_references(references) -> list[str]:
    """The non-blank references, in order."""
    return [r for r in (references or []) if r and str(r).strip()]


def reference_scores(text: str, references, *, rouge: bool = False) -> ReferenceScores:
    """Sentence BLEU and chrF of ``text`` against every reference, and ROUGE when asked.

    Args:
        text: the generated text.
        references: human texts for the same input (blank ones are ignored), or None.
        rouge: also compute ROUGE-1/2/L F-measures (summaries).

    Returns:
        The scores; all None when there is no reference.
    """
    refs = clean_references(references)
    if not refs:
        return ReferenceScores()
    bleu = sacrebleu.sentence_bleu(text, refs).score
    chrf = sacrebleu.sentence_chrf(text, refs).score
    r1 = r2 = rl = None
    if rouge:
        scores = _rouge().score_multi(refs, text)
        r1, r2, rl = (scores[t].fmeasure for t in ROUGE_TYPES)
    return ReferenceScores(bleu, chrf, r1, r2, rl, len(refs))


def corpus_scores(texts: list[str], references: list[list[str]]) -> dict[str, float]:
    """Corpus BLEU and chrF of a run's texts (rows without a reference are left out).

    sacrebleu wants reference streams of equal length, so rows with fewer references are padded
    with ``None``, which sacrebleu skips.

    Args:
        texts: generated texts.
        references: each text's references.

    Returns:
        ``{"bleu": ..., "chrf": ..., "scored": n}``, or ``{}`` when no row has a reference.
    """
    pairs = [(t, clean_references(r)) for t, r in zip(texts, references)]
    pairs = [(t or "", r) for t, r in pairs if r]
    if not pairs:
        return {}
    width = max(len(r) for _, r in pairs)
    streams = [[r[i] if i < len(r) else None for _, r in pairs] for i in range(width)]
    hyps = [t for t, _ in pairs]
    return {
        "bleu": sacrebleu.corpus_bleu(hyps, streams).score,
        "chrf": sacrebleu.corpus_chrf(hyps, streams).score,
        "scored": float(len(pairs)),
    }
