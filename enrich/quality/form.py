"""Form checks: length, looping, truncation, leftover prompt text, language and script.

Each check is reference-free and looks at the generated text alone. Language identification is
py3langid's (normalised probabilities); the script check counts letters outside the Latin
script, which catches output in the wrong alphabet even where the language model is unsure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from enrich.config import FORM_CHECKS, QualityConfig
from enrich.quality import reasons as R
from enrich.quality.text import WORD

_TEMPLATE_MARKERS = re.compile(
    r"###|\{[a-z_]+\}|\b(?:Task|Attributes|Reviews|Title|Category|Brand|Description|Summary):",
)
_SENTENCE_END = re.compile(r"[.!?…)\"'”]\s*$")
# Share of letters outside the Latin script above which a text is in the wrong script.
MAX_FOREIGN_SCRIPT = 0.2
# Language-id probability needed before a non-target language is called.
MIN_LANGUAGE_PROBABILITY = 0.9


@dataclass(frozen=True)
class FormResult:
    """Form flags and the measurements behind them."""

    flags: list[str] = field(default_factory=list)
    repetition: float = 0.0
    language: str | None = None
    word_count: int = 0


def repeated_trigram_ratio(words: list[str]) -> float:
    """Share of word trigrams that already occurred earlier in the text (0: none, near 1: loops)."""
    trigrams = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
    if not trigrams:
        return 0.0
    return 1.0 - len(set(trigrams)) / len(trigrams)


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """The language of ``text`` as (ISO 639-1 code, probability), by py3langid."""
    lang, prob = _identifier().classify(text)
    return lang, float(prob)


def foreign_script_share(text: str) -> float:
    """Share of the letters of ``text`` that are not Latin script."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    foreign = sum(1 for c in letters if "LATIN" not in unicodedata.name(c, "LATIN"))
    return foreign / len(letters)


def check_form(
    text: str, *, bounds: tuple[int, int], cfg: QualityConfig, checks=FORM_CHECKS
) -> FormResult:
    """Reference-free form flags for ``text``, in a fixed order, from the ``checks`` named.

    Args:
        text: the generated text.
        bounds: (min_words, max_words) of the task.
        cfg: the gate's thresholds.
        checks: the task's checks; those not named are skipped.

    Returns:
        The flags, the repeated-trigram ratio and the detected language.
    """
    tokens = [w.lower() for w in WORD.findall(text)]
    if not tokens:
        return FormResult([R.EMPTY])
    flags = []
    repetition = repeated_trigram_ratio(tokens)
    if "length" in checks:
        if len(tokens) < bounds[0]:
            flags.append(R.TOO_SHORT)
        if len(tokens) > bounds[1]:
            flags.append(R.TOO_LONG)
    if "repetition" in checks and repetition > cfg.max_repeated_trigram_ratio:
        flags.append(R.REPETITIVE)
    if "truncation" in checks and not _SENTENCE_END.search(text):
        flags.append(R.TRUNCATED)
    if "template_leak" in checks and _TEMPLATE_MARKERS.search(text):
        flags.append(R.TEMPLATE_LEAK)
    language = None
    if "language" in checks:
        language, probability = detect_language(text)
        wrong_script = foreign_script_share(text) > MAX_FOREIGN_SCRIPT
        wrong_language = (
            language != cfg.language
            and probability >= MIN_LANGUAGE_PROBABILITY
            and len(tokens) >= cfg.min_language_words
        )
        if wrong_script or wrong_language:
            flags.append(R.WRONG_LANGUAGE)
    return FormResult(flags, round(repetition, 4), language, len(tokens))
