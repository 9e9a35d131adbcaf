"""Reason codes the gate writes into ``reject_reasons``, and the family each belongs to.

Families group the codes for reports and for the gate evaluation: a ``factual`` or ``safety``
reason must never reach ``accepted``; ``form``, ``faithfulness``, ``confidence`` and ``score``
reasons are weighed by the thresholds in :class:`enrich.config.QualityConfig`.
"""

from __future__ import annotations

# form
EMPTY = "empty"
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
REPETITIVE = "repetitive"
TRUNCATED = "truncated"
TEMPLATE_LEAK = "template_leak"
WRONG_LANGUAGE = "wrong_language"
OFF_TASK = "off_task"
# grounding
UNSUPPORTED_FACT = "unsupported_fact"
CONTRADICTED_FACT = "contradicted_fact"
# faithfulness
SENTIMENT_MISMATCH = "sentiment_mismatch"
UNSUPPORTED_ASPECT = "unsupported_aspect"
# safety
PII = "pii"
PROFANITY = "profanity"
INJECTION = "injection"
# confidence and overall score
LOW_CONFIDENCE = "low_confidence"
LOW_SCORE = "low_score"

FAMILIES: dict[str, str] = {
    EMPTY: "form",
    TOO_SHORT: "form",
    TOO_LONG: "form",
    REPETITIVE: "form",
    TRUNCATED: "form",
    TEMPLATE_LEAK: "form",
    WRONG_LANGUAGE: "form",
    OFF_TASK: "form",
    UNSUPPORTED_FACT: "factual",
    CONTRADICTED_FACT: "factual",
    SENTIMENT_MISMATCH: "faithfulness",
    UNSUPPORTED_ASPECT: "faithfulness",
    PII: "safety",
    PROFANITY: "safety",
    INJECTION: "safety",
    LOW_CONFIDENCE: "confidence",
    LOW_SCORE: "score",
}
ALL = tuple(FAMILIES)
