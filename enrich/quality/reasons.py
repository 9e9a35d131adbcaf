"""Reason codes the gate writes into ``reject_reasons``, and the family each belongs to.

Families group the codes for reports and for the gate evaluation: a ``factual``, ``safety`` or
``ad_rule`` reason must never reach ``accepted`` (an ``ad_rule`` reason is a search ad breaking a
limit or a rule of the ad platforms, see :mod:`enrich.quality.ads`); ``form``, ``faithfulness``, ``confidence`` and ``score``
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
GARBLED = "garbled"
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
# ad rules (search ads)
AD_TOO_LONG = "ad_too_long"
AD_FORMAT = "ad_format"
AD_DUPLICATE = "ad_duplicate"
AD_CAPITALS = "ad_capitals"
AD_PUNCTUATION = "ad_punctuation"
AD_SYMBOLS = "ad_symbols"
AD_SPACING = "ad_spacing"
AD_CONTACT = "ad_contact"
AD_FREE = "ad_free"
AD_SUPERLATIVE = "ad_superlative"
AD_HEALTH_CLAIM = "ad_health_claim"
AD_ENVIRONMENTAL_CLAIM = "ad_environmental_claim"
AD_PRICE = "ad_price"
AD_URGENCY = "ad_urgency"
AD_ENDORSEMENT = "ad_endorsement"
AD_RULES = (
    AD_TOO_LONG, AD_FORMAT, AD_DUPLICATE, AD_CAPITALS, AD_PUNCTUATION, AD_SYMBOLS, AD_SPACING,
    AD_CONTACT, AD_FREE, AD_SUPERLATIVE, AD_HEALTH_CLAIM, AD_ENVIRONMENTAL_CLAIM, AD_PRICE,
    AD_URGENCY, AD_ENDORSEMENT,
)
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
    GARBLED: "form",
    UNSUPPORTED_FACT: "factual",
    CONTRADICTED_FACT: "factual",
    SENTIMENT_MISMATCH: "faithfulness",
    UNSUPPORTED_ASPECT: "faithfulness",
    PII: "safety",
    PROFANITY: "safety",
    INJECTION: "safety",
    **dict.fromkeys(AD_RULES, "ad_rule"),
    LOW_CONFIDENCE: "confidence",
    LOW_SCORE: "score",
}
ALL = tuple(FAMILIES)
