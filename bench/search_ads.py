"""Quality of the search ads of a run, without references: what the issue asks to measure.

Reads the ads table (``tasks.search_ad.output_table``) and the products table of a warehouse
and prints, over the products of the catalog:

- the share of products with an accepted ad (and the statuses and reasons of the others);
- the share of accepted ads that name the product's type (a word of its category) or its brand
  in a headline;
- headline grounding: the share of headline content words found in the product's own fields;
- distinctness: the largest content-word overlap (Jaccard) between two headlines of one ad,
  mean and worst over the accepted ads;
- where the assets came from: the share of headlines and of descriptions the model wrote
  (the rest are whole fields of the product, see ``enrich/ad_assets.py``).

Usage (after an enrichment run with the task on):

    PYTHONPATH=. .venv/bin/python bench/search_ads.py --set warehouse.root=/tmp/w23/wh
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter

from enrich import schemas as S
from enrich.config import load_config
from enrich.quality.ads import content_words, overlap
from enrich.quality.domains import normalise_word
from enrich.quality.inputs import ScoreInputs


def figures(rows: list[dict]) -> dict:
    """The figures of the issue over ``rows`` (an ad row joined with its product's fields)."""
    n = len(rows)
    statuses = Counter(r[S.STATUS] for r in rows)
    reasons = Counter(c for r in rows if r[S.STATUS] != S.ACCEPTED for c in (r[S.REJECT_REASONS] or []))
    accepted = [r for r in rows if r[S.STATUS] == S.ACCEPTED]
    naming = grounded = words = 0
    worst: list[float] = []
    sources = Counter()
    for r in accepted:
        heads = list(r[S.HEADLINES])
        fields = ScoreInputs(title=r[S.TITLE], brand=r[S.BRAND], category=r[S.CATEGORY],
                             attributes=dict(r[S.ATTRIBUTES] or {}))
        vocabulary = content_words(fields.product_text())
        names = content_words(r[S.CATEGORY] or "") | content_words(r[S.BRAND] or "")
        said = set().union(*(content_words(h) for h in heads)) if heads else set()
        naming += bool(said & names)
        for h in heads:
            for w in content_words(h):
                words += 1
                grounded += w in vocabulary or normalise_word(w) in vocabulary
        worst.append(max((overlap(a, b) for i, a in enumerate(heads) for b in heads[i + 1:]),
                         default=0.0))
        for kind in (S.HEADLINE_SOURCES, S.DESCRIPTION_SOURCES):
            for s in r[kind]:
                sources[kind, s == "model"] += 1

    def share(kind: str) -> float:
        total = sources[kind, True] + sources[kind, False]
        return sources[kind, True] / total if total else 0.0

    return {
        "products": n,
        "statuses": dict(statuses),
        "reasons_not_accepted": dict(reasons.most_common()),
        "accepted_share": len(accepted) / n if n else 0.0,
        "names_type_or_brand": naming / len(accepted) if accepted else 0.0,
        "headline_grounding": grounded / words if words else 0.0,
        "max_headline_overlap_mean": sum(worst) / len(worst) if worst else 0.0,
        "max_headline_overlap_worst": max(worst, default=0.0),
        "headlines_per_ad": (sum(len(r[S.HEADLINES]) for r in accepted) / len(accepted))
        if accepted else 0.0,
        "descriptions_per_ad": (sum(len(r[S.DESCRIPTIONS]) for r in accepted) / len(accepted))
        if accepted else 0.0,
        "headlines_from_model": share(S.HEADLINE_SOURCES),
        "descriptions_from_model": share(S.DESCRIPTION_SOURCES),
        "ads_with_a_model_headline": (
            sum("model" in r[S.HEADLINE_SOURCES] for r in accepted) / len(accepted)
        ) if accepted else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config")
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    args = parser.parse_args(argv)
    cfg = load_config(args.config, args.overrides)
    from enrich.spark import build_session
    from enrich.tables import read_table

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = build_session(cfg.spark, cfg.warehouse)
    task = cfg.tasks[cfg.export.search_ads.task]
    ads = read_table(spark, cfg.warehouse.table(task.output_table))
    products = read_table(spark, cfg.warehouse.table("products")).select(
        S.PRODUCT_ID, S.TITLE, S.BRAND, S.CATEGORY, S.ATTRIBUTES
    )
    # Every product of the catalog counts: one without an ad row counts as not accepted.
    joined = products.join(ads, S.PRODUCT_ID, "left").fillna({S.STATUS: "missing"})
    rows = [r.asDict() for r in joined.toLocalIterator()]  # a bench over a demo catalog
    for row in rows:
        for kind in (S.HEADLINES, S.DESCRIPTIONS, S.HEADLINE_SOURCES, S.DESCRIPTION_SOURCES):
            row[kind] = row[kind] or []
    for key, value in figures(rows).items():
        print(f"{key:<28} {value:.3f}" if isinstance(value, float) else f"{key:<28} {value}")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
