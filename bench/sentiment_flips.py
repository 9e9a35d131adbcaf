"""How many sentiment-flipped review summaries the gate still accepts, and how many good ones it
keeps out.

Good texts are real human opinion texts whose reviews carry star ratings:

- ``fewsum``: FewSum's Amazon gold summaries (3 per product) with the product's 8 reviews and
  their mean rating (tests/data/fewsum/amazon);
- ``labelled``: the good summaries of the gate's labelled set that have a mean rating
  (tests/data/gate/review_summary.jsonl), less those already taken from FewSum (none today:
  they are FewSum's);
- ``copycat``: Copycat's Amazon and Yelp reviews, each scored as a summary of its product's
  other reviews against its own star rating (tests/data/copycat): short human opinion text from
  other categories than FewSum's.

Each good text is flipped as a person would rewrite it to say the opposite: evaluative words
swapped for their antonyms ("great sound" -> "poor sound", "comfortable" -> "uncomfortable"),
negations added or dropped ("would recommend" -> "would not recommend", "not worth" -> "worth").
The rules know nothing of the gate's sentiment scorer. A flipped text counts only when the
rules changed at least one word in most of its sentences, and only where the ratings lean one
way: a mean at least ``LEAN`` stars from the middle (3.5 and up, 2.5 and down), whatever the
gate's margins; a middling rating contradicts nothing.

Run from the repository root::

    python bench/sentiment_flips.py [--show N]

It prints, per source and kind of text, the share the gate accepts and the share it flags
``sentiment_mismatch``: good texts (all, and those with leaning ratings), flipped texts (all,
and those whose good text the gate accepts). Copycat's reviews are no summaries (first person,
other lengths), so the gate keeps most of them out for other reasons: read their
``sentiment_mismatch`` column. ``--show`` prints N flipped texts the gate accepted.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import defaultdict
from pathlib import Path

from enrich import schemas as S
from enrich.config import JobConfig
from enrich.quality import ScoreInputs, score_text
from enrich.quality.text import sentences

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
LEAN = 0.5

# Evaluative words and their opposites, each pair used both ways.
_PAIRS = """
good bad | great poor | excellent terrible | amazing awful | wonderful horrible
fantastic dreadful | awesome lousy | love hate | loves hates | loved hated | like dislike
likes dislikes | liked disliked | best worst | better worse | nice unpleasant
beautiful ugly | pretty unattractive | lovely nasty | comfortable uncomfortable
comfy uncomfortable | easy difficult | easily hardly | simple complicated | happy unhappy
pleased disappointed | satisfied dissatisfied | impressed unimpressed | perfect flawed
perfectly poorly | well badly | sturdy flimsy | durable fragile | solid shoddy
reliable unreliable | strong weak | clean dirty | fresh stale | delicious bland
tasty tasteless | friendly rude | helpful unhelpful | fast slow | quick slow | quickly slowly
cheap overpriced | affordable expensive | inexpensive expensive | reasonable unreasonable
worth worthless | recommended discouraged | pleasant unpleasant | soft rough | smooth rough
elegant tacky | stylish dated | cute hideous | fun boring | enjoy dislike | enjoyed disliked
enjoys dislikes | works fails | worked failed | effective ineffective | useful useless
convenient inconvenient | favorite least favorite | high low | highly barely | fine awful
positive negative | gorgeous ugly | superb abysmal | impressive disappointing
"""
ANTONYMS: dict[str, str] = {}
for pair in re.split(r"[|\n]", _PAIRS.strip()):
    a, b = pair.split(None, 1)
    b = b.strip()
    ANTONYMS.setdefault(a, b)
    ANTONYMS.setdefault(b, a)
# Negations: added after these words before a verb of buying, dropped where they stand.
_NEGATABLE = re.compile(
    r"\b(would|will|definitely|highly|strongly)\s+(recommend\w*+|buy|order|purchase)",
    re.IGNORECASE,
)
_NOT_WORDS = re.compile(r"\b(?:don't|doesn't|didn't|isn't|aren't|wasn't|won't|no|not|never)\s+",
                        re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")


def _case_like(word: str, model: str) -> str:
    return word.capitalize() if model[:1].isupper() else word


def _negate(m: re.Match) -> str:
    # "would recommend" -> "would not recommend"; "highly recommended" -> "not recommended".
    if m.group(1).lower() in {"highly", "strongly"}:
        return f"{'do ' if m.group(2).lower() == 'recommend' else ''}not {m.group(2)}"
    return f"{m.group(1)} not {m.group(2)}"


def flip(text: str) -> tuple[str, int, int]:
    """``text`` rewritten to say the opposite, the number of sentences it changed, and the
    number of sentences it has."""
    out, changed = [], 0
    parts = sentences(text)
    for sentence in parts:
        before = sentence
        # Negations first: "would recommend" -> "would not recommend", "not worth" -> "worth".
        dropped = _NOT_WORDS.sub("", sentence)
        if dropped != sentence:
            out.append(dropped)
            changed += 1
            continue
        sentence = _NEGATABLE.sub(_negate, sentence)
        if sentence == before:
            sentence = _WORD.sub(
                lambda m: _case_like(ANTONYMS.get(m.group(0).lower(), m.group(0)), m.group(0)),
                sentence,
            )
        changed += sentence != before
        out.append(sentence)
    return " ".join(out), changed, len(parts)


def fewsum() -> list[tuple[str, str, ScoreInputs]]:
    items = []
    for split in ("train", "val"):
        path = DATA / "fewsum" / "amazon" / f"{split}.tsv"
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                ratings = [float(row[f"rating{k}"]) for k in range(1, 9)]
                inputs = ScoreInputs(
                    category=row["cat"],
                    reviews=tuple(row[f"rev{k}"].strip() for k in range(1, 9)),
                    mean_rating=sum(ratings) / len(ratings),
                )
                items += [("fewsum", row[f"summ{k}"].strip(), inputs) for k in range(1, 4)]
    return items


def labelled(seen: set[str]) -> list[tuple[str, str, ScoreInputs]]:
    items = []
    with (DATA / "gate" / "review_summary.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            raw = item["inputs"]
            if item["label"] != "good" or raw.get("mean_rating") is None or item["text"] in seen:
                continue
            items.append(("labelled", item["text"], ScoreInputs(
                category=raw.get("category"), reviews=tuple(raw.get("reviews") or ()),
                mean_rating=raw["mean_rating"],
            )))
    return items


def copycat() -> list[tuple[str, str, ScoreInputs]]:
    items = []
    for path in sorted((DATA / "copycat").glob("*/*.csv")):
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        for k, row in enumerate(rows):
            others = tuple(r["review_text"] for j, r in enumerate(rows) if j != k)[:8]
            items.append(("copycat", row["review_text"].strip(), ScoreInputs(
                category=row.get("category"), reviews=others, mean_rating=float(row["rating"]),
            )))
    return items


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=0, help="flipped texts accepted to print")
    args = parser.parse_args(argv)
    cfg = JobConfig()
    spec = cfg.tasks["review_summary"]
    found = fewsum()
    items = found + labelled({text for _, text, _ in found}) + copycat()
    # source -> row -> [accepted, flagged sentiment_mismatch, texts]
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    shown = []

    def score(text: str, inputs: ScoreInputs) -> tuple[bool, bool]:
        scores = score_text(text, None, bounds=(spec.min_words, spec.max_words), cfg=cfg.quality,
                            inputs=inputs, mean_logprob=-0.5, checks=spec.checks)
        return scores.status == S.ACCEPTED, "sentiment_mismatch" in scores.reject_reasons

    def count(source: str, row: str, accepted: bool, mismatch: bool) -> None:
        counts[source][row][0] += accepted
        counts[source][row][1] += mismatch
        counts[source][row][2] += 1

    for source, text, inputs in items:
        one_sided = abs(inputs.mean_rating - 3.0) >= LEAN
        good = score(text, inputs)
        count(source, "good, all ratings", *good)
        if not one_sided:
            continue
        count(source, "good, leaning ratings", *good)
        flipped, changed, total = flip(text)
        if changed * 2 < total:
            continue  # a text the rules could not turn
        kept = score(flipped, inputs)
        count(source, "flipped", *kept)
        if good[0]:
            count(source, "flipped, good accepted", *kept)
        if kept[0] and good[0] and len(shown) < args.show:
            shown.append(f"[{source}, rating {inputs.mean_rating:.2f}] {flipped}")
    print(f"{'source':<10}{'texts':<26}{'n':>5}{'accepted':>10}{'mismatch':>10}")
    for source, rows in counts.items():
        for what, (accepted, mismatch, n) in rows.items():
            print(f"{source:<10}{what:<26}{n:>5}{accepted / n:>10.1%}{mismatch / n:>10.1%}")
    for line in shown:
        print("\n" + line)


if __name__ == "__main__":
    main()
