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


def _streams(pairs: list[tuple[str, list[str]]]) -> list[list[str | None]]:
    # sacrebleu wants reference streams of equal length: rows with fewer references are padded
    # with None, which sacrebleu skips.
    width = max(len(r) for _, r in pairs)
    return [[r[i] if i < len(r) else None for _, r in pairs] for i in range(width)]


def corpus_statistics(texts: list[str], references: list[list[str]]) -> dict[str, list[float]]:
    """sacrebleu's sufficient statistics of a slice of a run, summed, for corpus BLEU and chrF.

    Statistics of slices add up: :func:`corpus_from_statistics` over the slices of a run gives
    exactly ``sacrebleu.corpus_bleu`` / ``corpus_chrf`` over the whole run, so each Spark
    partition computes its own and only the sums reach the driver. Rows without a reference are
    left out.

    Args:
        texts: generated texts.
        references: each text's references.

    Returns:
        ``{"bleu": [...], "chrf": [...], "scored": [n]}``, or ``{}`` when no row has a reference.
    """
    pairs = [(t or "", clean_references(r)) for t, r in zip(texts, references)]
    pairs = [(t, r) for t, r in pairs if r]
    if not pairs:
        return {}
    hyps, streams = [t for t, _ in pairs], _streams(pairs)
    out: dict[str, list[float]] = {"scored": [float(len(pairs))]}
    for name, metric in (("bleu", sacrebleu.BLEU()), ("chrf", sacrebleu.CHRF())):
        stats = metric._extract_corpus_statistics(hyps, streams)
        out[name] = [float(sum(column)) for column in zip(*stats)]
    return out


def corpus_from_statistics(parts: list[dict[str, list[float]]]) -> dict[str, float]:
    """Corpus BLEU and chrF from the statistics of a run's slices (see :func:`corpus_statistics`).

    Returns:
        ``{"bleu": ..., "chrf": ..., "scored": n}``, or ``{}`` when no slice had a reference.
    """
    parts = [p for p in parts if p]
    if not parts:
        return {}
    out = {"scored": sum(p["scored"][0] for p in parts)}
    for name, metric in (("bleu", sacrebleu.BLEU()), ("chrf", sacrebleu.CHRF())):
        # Integer counts for BLEU, as sacrebleu keeps them; chrF sums them the same way.
        stats = [[int(v) if float(v).is_integer() else v for v in p[name]] for p in parts]
        out[name] = metric._aggregate_and_compute(stats).score
    return out


def corpus_scores(texts: list[str], references: list[list[str]]) -> dict[str, float]:
    """Corpus BLEU and chrF of a run's texts, equal to ``sacrebleu.corpus_bleu``/``corpus_chrf``.

    Args:
        texts: generated texts.
        references: each text's references (rows without one are left out).

    Returns:
        ``{"bleu": ..., "chrf": ..., "scored": n}``, or ``{}`` when no row has a reference.
    """
    return corpus_from_statistics([corpus_statistics(texts, references)])
