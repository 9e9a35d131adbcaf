"""How many descriptions with another catalog item's name in place of the product's own the gate
accepts, with and without the catalog's names, and how many good ones it keeps out.

Good texts are the cleaned E2E development set's crowd-written descriptions past the rows the
gate's labelled set was drawn from (tests/data/e2e/devel.csv, rows 401 on): each restaurant is a
product whose title and brand are its name, the other attributes its attributes. Each text that
states the product's name is copied with the name replaced by another restaurant's of the same
set (seeded), one that neither the text nor the product's attributes hold. The catalog's
attribute domains are learned from all the attribute sets; its names, from all the titles.

Run from the repository root::

    python bench/wrong_names.py [--show N]

It prints, with and without the names, the share of good and of wrong-name texts accepted;
``--show`` prints N wrong-name texts still accepted with the names.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
import re
from pathlib import Path

from enrich import schemas as S
from enrich.config import JobConfig
from enrich.quality import ScoreInputs, score_text
from enrich.quality.domains import AttributeDomains

E2E = Path(__file__).resolve().parents[1] / "tests" / "data" / "e2e" / "devel.csv"
LABELLED_ROWS = 400  # the rows the gate's labelled set was drawn from
SEED = 20261206


def groups() -> list[tuple[str, dict[str, str], list[str]]]:
    """(name, attributes, texts) of each E2E attribute set past the labelled set's rows."""
    texts: dict[str, list[str]] = {}
    with E2E.open(encoding="utf-8") as handle:
        for row in itertools.islice(csv.DictReader(handle), LABELLED_ROWS, None):
            texts.setdefault(row["mr"], []).append(row["ref"].strip())
    found = []
    for mr, refs in texts.items():
        pairs = {k.strip(): v for k, v in re.findall(r"([\w ]+?)\[([^\]]*)\]", mr)}
        name = pairs.pop("name", None)
        if name:
            found.append((name, pairs, refs))
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=0, help="wrong-name texts accepted to print")
    args = parser.parse_args(argv)
    cfg = JobConfig()
    spec = cfg.tasks["description"]
    sets = groups()
    names = sorted({name for name, _, _ in sets})
    pairs = [(k, v) for _, attrs, _ in sets for k, v in attrs.items()]
    catalogs = {
        "without names": AttributeDomains.learn(pairs),
        "with names": AttributeDomains.learn(
            pairs, brands=names, titles=names, max_names=cfg.quality.max_catalog_names
        ),
    }
    rng = random.Random(SEED)
    counts = {(kind, label): [0, 0] for kind in ("good", "wrong name") for label in catalogs}
    shown = []
    for name, attrs, refs in sets:
        inputs = ScoreInputs(title=name, brand=name, category=attrs.get("eatType"), attributes=attrs)
        held = " ".join(attrs.values())
        for ref in refs:
            texts = [("good", ref)]
            if name in ref:
                other = rng.choice([n for n in names if n != name and n not in ref + held])
                texts.append(("wrong name", ref.replace(name, other)))
            for kind, text in texts:
                for label, domains in catalogs.items():
                    accepted = score_text(
                        text, None, bounds=(spec.min_words, spec.max_words), cfg=cfg.quality,
                        inputs=inputs, mean_logprob=-0.5, checks=spec.checks, domains=domains,
                    ).status == S.ACCEPTED
                    counts[(kind, label)][0] += accepted
                    counts[(kind, label)][1] += 1
                    if accepted and kind != "good" and label == "with names":
                        if len(shown) < args.show:
                            shown.append(f"[{name}] {text}")
    print(f"{'texts':<12}{'catalog':<15}{'accepted':>9}{'of':>6}{'share':>8}")
    for (kind, label), (accepted, total) in counts.items():
        print(f"{kind:<12}{label:<15}{accepted:>9}{total:>6}{accepted / max(total, 1):>8.1%}")
    for line in shown:
        print("\n" + line)


if __name__ == "__main__":
    main()
