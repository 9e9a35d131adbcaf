"""The public datasets the importers read, and the demo catalog: id prefixes, licences, credits.

Every imported product id starts with its dataset's prefix (``e2e-``, ``fewsum-``,
``copycat-``), demo products with ``P``; training records which datasets its examples came from,
evaluation scores each dataset apart, and the model card names their licences.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dataset:
    """One source of products and human texts."""

    name: str
    prefix: str
    what: str
    licence: str
    credit: str


DATASETS = (
    Dataset(
        "e2e", "e2e-", "E2E cleaned: restaurant attribute sets with crowd-written descriptions",
        "CC BY-SA 4.0",
        "Dušek, Howcroft and Rieser, INLG 2019 (github.com/tuetschek/e2e-cleaning)",
    ),
    Dataset(
        "fewsum", "fewsum-", "FewSum: Amazon and Yelp reviews with three human summaries each",
        "MIT",
        "Bražinskas, Lapata and Titov, EMNLP 2020 (github.com/abrazinskas/FewSum)",
    ),
    Dataset(
        "copycat", "copycat-", "Copycat: Amazon and Yelp reviews (no summaries)",
        "MIT",
        "Bražinskas, Lapata and Titov, ACL 2020 "
        "(github.com/abrazinskas/Copycat-abstractive-opinion-summarizer)",
    ),
    Dataset(
        "demo", "P", "the demo catalog this project generates (seeded, synthetic)",
        "this project's own", "catalog-enrich demo-data",
    ),
)
BY_NAME = {d.name: d for d in DATASETS}
OTHER = "other"


def dataset_of(product_id: str) -> str:
    """The dataset a product id comes from, by its prefix; ``other`` for the catalog's own."""
    for dataset in DATASETS:
        if product_id.startswith(dataset.prefix):
            return dataset.name
    return OTHER
