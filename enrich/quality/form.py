"""Form checks: length, looping, truncation, leftover prompt text, language and script.

Each check is reference-free and looks at the generated text alone, and for truncation also at
whether generation stopped at its token limit: a text without a sentence end is cut off when
the model ran out of tokens, or when it ends on a word that cannot end a sentence ("and",
"the", "with"); when the stop reason is unknown, a missing sentence end alone counts. A text
loops when its repeated-trigram share is above ``max_repeated_trigram_ratio`` or when a word
group of two to eight words comes three times in a row. Language identification is
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

# Linear-time patterns, as every pattern on untrusted text (see enrich/quality/text.py).
_TEMPLATE_MARKERS = re.compile(
    r"###|\{[a-z_]++\}|\b(?:Task|Attributes|Reviews|Title|Category|Brand|Description|Summary):",
)
_SENTENCE_END = re.compile(r"[.!?…)\"'”]\s*+$")
# Share of letters outside the Latin script above which a text is in the wrong script.
MAX_FOREIGN_SCRIPT = 0.2
# Language-id probability needed before a non-target language is called.
MIN_LANGUAGE_PROBABILITY = 0.9
# Words a finished sentence does not end on.
CONTINUATION_WORDS = frozenset(
    "a an the and or but nor so of to in on at by for with from into onto about as than that "
    "which who whose whom while when where if because although though is are was were be been "
    "being has have had do does did can could will would shall should may might must its their "
    "his her our your my this these those very more most also not no".split()
)


@dataclass(frozen=True)
class FormResult:
    """Form flags and the measurements behind them."""

    flags: list[str] = field(default_factory=list)
    repetition: float = 0.0
    language: str | None = None
    word_count: int = 0


def loops(words: list[str], *, times: int = 3, longest: int = 8) -> bool:
    """Whether a group of 2..``longest`` words comes ``times`` times in a row."""
    for n in range(2, longest + 1):
        for i in range(len(words) - n * times + 1):
            group = words[i : i + n]
            if all(words[i + k * n : i + (k + 1) * n] == group for k in range(1, times)):
                return True
    return False


def truncated(text: str, words: list[str], stopped_at_limit: bool | None) -> bool:
    """Whether ``text`` is cut off mid-sentence (see the module docstring)."""
    if _SENTENCE_END.search(text):
        return False
    if stopped_at_limit is None:
        return True
    return stopped_at_limit or (bool(words) and words[-1] in CONTINUATION_WORDS)


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
    text: str,
    *,
    bounds: tuple[int, int],
    cfg: QualityConfig,
    checks=FORM_CHECKS,
    stopped_at_limit: bool | None = None,
) -> FormResult:
    """Reference-free form flags for ``text``, in a fixed order, from the ``checks`` named.

    Args:
        text: the generated text.
        bounds: (min_words, max_words) of the task.
        cfg: the gate's thresholds.
        checks: the task's checks; those not named are skipped.
        stopped_at_limit: whether generation stopped at its token limit (None: unknown).

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
    if "repetition" in checks and (repetition > cfg.max_repeated_trigram_ratio or loops(tokens)):
        flags.append(R.REPETITIVE)
    if "truncation" in checks and truncated(text, tokens, stopped_at_limit):
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
