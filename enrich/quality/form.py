"""Form checks: length, looping, truncation, leftover prompt text, language and script, and
whether the text is the kind the task asks for.

Each check is reference-free and looks at the generated text alone, and for truncation also at
whether generation stopped at its token limit. A text is finished when it ends as a sentence
ends: ``.``, ``!`` or ``?`` (closing quotes and brackets may follow) after a word that can close
a sentence. Everything else is cut off (``truncated``), whatever stopped the generation: an
ellipsis, a comma, colon, dash or opening bracket at the end; a last word that can never close a
sentence (an article, a possessive, a conjunction: "the.", "and."); or no final mark after a
function word (a preposition, conjunction, determiner, pronoun or auxiliary: "... with") or
after a clause's opener and its subject pronoun ("... to decide whether it"). A text
without a final mark that ends on another word is cut off when the model ran out of tokens or
the stop reason is unknown; one the model ended itself there is only unpunctuated ("Not family
friendly"), which people write too.

A text loops when its repeated-trigram share is above ``max_repeated_trigram_ratio``, when a
word group of two to eight words comes three times in a row, or when a group of
``REPEATED_GROUP`` words comes twice anywhere ("... is a reliable choice for daily task
lighting. A reliable choice for daily task lighting."): people do not write six words twice in
a product text, except the product's name, whose words (and function words) do not count. A
group of two to four words joined to itself by "and" or "or" loops too ("the ice crushing and
ice crushing").
Language identification is py3langid's (normalised probabilities); the script check counts
letters outside the Latin script, which catches output in the wrong alphabet even where the
language model is unsure.

A description or a review summary is a product text in the third person, addressed to no one.
An instruct model sometimes answers instead, as the seller or as an assistant ("I apologize for
any inconvenience", "Thank you for your feedback!", "Here is a summary of the reviews:"). Such
a text is ``off_task`` when, outside quoted speech, it has one of these marks of a reply:

- the writer in the first person ("I", "my", "we", "our"): a product text has no narrator;
- a question that ends the text, or that offers or asks what to do next ("Would you like ...",
  "Is there anything ..."): it asks the reader instead of telling; a question the text opens with
  and answers is a copywriter's ("Small room, big workload? The Hedda Nook ...");
- an answer's opening ("Sure!", "Certainly,", "Of course.");
- a speech act to the reader: an apology, thanks, an offer to help ("let me know", "feel free",
  "don't hesitate"), or the reader's own feedback, review, question or order ("your feedback");
- talk about itself or its input: "here is", "this summary", "the description below", the
  reviews as given material ("the reviews provided", "based on these reviews", "these reviews
  are short", "hard to draw firm conclusions").

Third-person talk about reviewers and customers ("reviewers say", "customers like", "reviews
are mixed") is what a summary is made of and is not a mark.

A text is ``garbled`` when it holds a run of letters and digits longer than
``quality.max_word_chars`` without a hyphen or an apostrophe to break it: no word of prose is
that long ("methylchloroisothiazolinone" has 27 letters), but a token copied from a hostile input,
a hash or a loop of letters is.
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
# A finished sentence: its final mark, then closing quotes or brackets; not an ellipsis, which
# marks text left out. Searched in a right-stripped text, anchored at its end.
_SENTENCE_END = re.compile(r"(?<!\.\.)(?<!…)[.!?][\"'”’)\]]*+\Z")
# An end that always continues: an ellipsis, a comma, colon, semicolon, dash or opening bracket.
_OPEN_END = re.compile(r"(?:\.\.\.|[…,:;(\[{–—-])\Z")
# Marks of a reply rather than a product text (see the module docstring); each is searched in
# the text with quoted speech removed. Linear-time: the one repeat that gives back is bounded.
_QUOTED = re.compile(r'"[^"]*+"|“[^“”]*+”')
_APOSTROPHE = r"['’]"
_FIRST_PERSON = re.compile(
    rf"\b(?i:i|i{_APOSTROPHE}(?:m|ve|d|ll)|me|my|mine|myself|we|we{_APOSTROPHE}(?:re|ve|d|ll)"
    r"|our(?! of\b)|ours|ourselves)\b(?![-‐])|\bus\b"  # not a name's "i-Size", "I-beam"
)
# A question the text ends on, or one that offers or asks the reader what to do next; not the
# question a copywriter opens with and answers ("Packing for a trip? The dryer folds ...").
_QUESTION = re.compile(
    r"\?[\"'”’)\]]*+\s*+\Z"
    r"|\b(?i:would you like|do you want|shall (?:i|we)|can (?:i|we) help|is there anything)\b"
)
_ANSWER_OPENING = re.compile(
    r"\A\W*+(?i:sure|certainly|of course|absolutely|okay|ok|yes|no problem|great question"
    r"|happy to help)\b\s*+[!,.:]"
)
_SPEECH_ACT = re.compile(
    r"\b(?i:apologi[sz]e\w*+|apolog(?:y|ies)|sorry|thank you|thanks(?! to\b)"
    rf"|let (?:me|us) know|feel free|(?:don{_APOSTROPHE}t|do not) hesitate|hope (?:this|that|it) helps"
    r"|your (?:feedback|reviews?|comments?|concerns?|questions?|requests?|patience"
    r"|understanding|inquiry|enquiry|message|order))\b"
)
_SELF_TALK = re.compile(
    rf"\b(?i:here(?:{_APOSTROPHE}s| is| are) (?:a|an|the|your|my|some)\b[^.!?:]{{0,40}}"
    r"\b(?:summary|description|overview|reviews?)"
    r"|(?:this|my|following|above|below) (?:summary|description|overview)"
    r"|(?:a|the) (?:summary|description|overview) of (?:the|these|those|your|all)"
    r"|summari[sz]\w*+ (?:of )?(?:the|these|those|your|all) reviews?"
    r"|(?:the|these|those) reviews? (?:provided|given|above|below|you)"
    r"|(?:provided|given|above|following) reviews?"
    r"|based on (?:the|these|those|all the|your) reviews?"
    # Judgements of the reviews as material: "these reviews are short", "the reviews for this
    # chair", "hard to draw firm conclusions".
    r"|(?:these|those) reviews?|the reviews? (?:for|of|on) (?:this|these|the)"
    r"|reviews? (?:are|were|seem|is) (?:too |very |mostly |rather )?(?:short|brief|few|limited"
    r"|sparse|vague|unreliable|inconclusive)"
    r"|hard to (?:draw|reach|make) (?:\w++ )?conclusions?)\b"
)
_REPLY_MARKS = {
    "first person": _FIRST_PERSON,
    "question": _QUESTION,
    "answer opening": _ANSWER_OPENING,
    "speech act": _SPEECH_ACT,
    "talk about itself": _SELF_TALK,
}
# Share of letters outside the Latin script above which a text is in the wrong script.
MAX_FOREIGN_SCRIPT = 0.2
# Language-id probability needed before a non-target language is called.
MIN_LANGUAGE_PROBABILITY = 0.9
# Words no sentence ends on, full stop or not: articles, possessive determiners, conjunctions
# and the words that always want what follows. Words that may close one ("easy to work with.",
# "taken care of.", "it is what it is.") are only in FUNCTION_WORDS.
DANGLING_WORDS = frozenset(
    "a an the and or nor but than because although whereas unless whether its my your our their "
    "whose very".split()
)
# English function words that need what follows (closed classes): an unpunctuated text that ends
# on one stopped mid-sentence. Those that often end a phrase ("love it", "sold out" aside, "and
# more", "adults only") are left out.
FUNCTION_WORDS = DANGLING_WORDS | frozenset(
    # prepositions
    "about above across after against along amid among around at before behind below beneath "
    "beside besides between beyond by despite down during except for from in inside into like "
    "near of off on onto out outside over per since through throughout till to toward towards "
    "under underneath until up upon via with within without "
    # conjunctions and relatives
    "so yet if while when where which who whom whose that as though once whereby "
    # determiners and subject pronouns
    "every another such they we he she "
    # auxiliaries and modals
    "is are was were be been being am has have had do does did can could will would shall "
    "should may might must "
    # adverbs that modify what follows
    "not quite rather extremely highly".split()
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


REPEATED_GROUP = 6


def joined_to_itself(words: list[str], *, longest: int = 4) -> bool:
    """Whether a group of two to ``longest`` words is joined to itself by "and" or "or" ("the ice
    crushing and ice crushing"); not one word, as in "again and again".

    Example:
        >>> joined_to_itself("praise for the ice crushing and ice crushing".split())
        True
    """
    for i, word in enumerate(words):
        if word not in ("and", "or"):
            continue
        for n in range(2, longest + 1):
            if i >= n and words[i - n : i] == words[i + 1 : i + 1 + n]:
                return True
    return False


def repeats(
    words: list[str], *, group: int = REPEATED_GROUP, names: frozenset = frozenset()
) -> bool:
    """Whether a group of ``group`` words comes twice without overlapping, other than a group
    made only of ``names`` (the words of the product's title, brand and category) and function
    words ("the Calder Rainfall Shower Head 25").

    Example:
        >>> repeats("it is a reliable choice for you and is a reliable choice for you".split())
        True
    """
    first: dict[tuple[str, ...], int] = {}
    for i in range(len(words) - group + 1):
        key = tuple(words[i : i + group])
        if all(w in names or w in FUNCTION_WORDS for w in key):
            continue
        if i >= first.setdefault(key, i) + group:
            return True
    return False


# Subject pronouns, and the words that open a clause before its subject: a text that ends on
# both stops before the clause's verb ("whether it", "and they").
_SUBJECTS = frozenset("it you they we he she i".split())
_CLAUSE_OPENERS = frozenset(
    "whether if that because when whenever while and but so as although though since until "
    "unless once where which how".split()
)


def truncated(text: str, stopped_at_limit: bool | None) -> bool:
    """Whether ``text`` is cut off mid-sentence (see the module docstring).

    Example:
        >>> truncated("Keeps coffee hot and.", stopped_at_limit=False)
        True
    """
    text = text.rstrip()
    tail = WORD.findall(text[-64:])
    last = tail[-1] if tail else ""
    # A capital letter or acronym inside a sentence is a name, not the word it spells ("Vitamin
    # A.", "AND gate"); at a sentence start "A" is the article.
    before = text.rstrip(".!?\"'”’)] ")[: -len(last) or None].rstrip() if last else ""
    name = last.isupper() and before[-1:] not in ("", ".", "!", "?")
    last = "" if name else last.lower()
    if _SENTENCE_END.search(text):
        return last in DANGLING_WORDS
    if _OPEN_END.search(text) or last in FUNCTION_WORDS:
        return True
    if last in _SUBJECTS and len(tail) > 1 and tail[-2].lower() in _CLAUSE_OPENERS:
        return True  # a clause's subject and no verb: "to decide whether it"
    return stopped_at_limit is not False


def reply_marks(text: str) -> list[str]:
    """The marks of a reply that ``text`` has outside quoted speech (see the module docstring).

    Example:
        >>> reply_marks("I apologize for any inconvenience caused by the bag.")
        ['first person', 'speech act']
        >>> reply_marks('Reviewers say it runs small; one wrote "I sent mine back".')
        []
    """
    unquoted = _QUOTED.sub(" ", text)
    return [name for name, pattern in _REPLY_MARKS.items() if pattern.search(unquoted)]


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


def longest_run(tokens: list[str]) -> int:
    """Length of the longest run of letters and digits in ``tokens`` (words as
    :data:`enrich.quality.text.WORD` finds them; a hyphen or an apostrophe ends a run)."""
    return max(
        (len(run) for token in tokens for run in token.replace("’", "-").replace("'", "-").split("-")),
        default=0,
    )


def check_form(
    text: str,
    *,
    bounds: tuple[int, int],
    cfg: QualityConfig,
    checks=FORM_CHECKS,
    stopped_at_limit: bool | None = None,
    names: frozenset = frozenset(),
) -> FormResult:
    """Reference-free form flags for ``text``, in a fixed order, from the ``checks`` named.

    Args:
        text: the generated text.
        bounds: (min_words, max_words) of the task.
        cfg: the gate's thresholds.
        checks: the task's checks; those not named are skipped.
        stopped_at_limit: whether generation stopped at its token limit (None: unknown).
        names: the words of the product's title, brand and category, which a text may repeat.

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
    if "repetition" in checks and (
        repetition > cfg.max_repeated_trigram_ratio or loops(tokens) or repeats(tokens, names=names)
        or joined_to_itself(tokens)
    ):
        flags.append(R.REPETITIVE)
    if "truncation" in checks and truncated(text, stopped_at_limit):
        flags.append(R.TRUNCATED)
    if "template_leak" in checks and _TEMPLATE_MARKERS.search(text):
        flags.append(R.TEMPLATE_LEAK)
    if "off_task" in checks and reply_marks(text):
        flags.append(R.OFF_TASK)
    if "garbled" in checks and longest_run(tokens) > cfg.max_word_chars:
        flags.append(R.GARBLED)
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
