"""Export of accepted search ads as the bulk-upload CSV that Google Ads Editor and Microsoft
Advertising import.

One row per ad, with the columns of :data:`SEARCH_AD_COLUMNS`: "Campaign", "Ad group", "Final
URL", "Headline 1" to "Headline 15", "Description 1" to "Description 4", "Path 1", "Path 2".
Cells an ad does not fill are empty. The campaign and the ad group are templates filled from
the ad's product fields (``"{category}"``, ``"{brand} {title}"``); the final URL is a template
with ``{product_id}``, filled with the id URL-encoded, so an id with spaces or slashes still
makes one path segment.

An ad whose assets break a limit or a count of the platforms (see
:func:`enrich.quality.ads.format_findings`) is not written: it is returned, with its reasons,
for the caller to report, since the platforms reject a whole upload for one bad row.

The writer takes plain dicts; :func:`export_search_ads` feeds it the accepted rows of the ads
table from a session it is given (it builds none), the templates from ``export.search_ads``.

Example:
    >>> import io
    >>> out = io.StringIO()
    >>> ad = {"product_id": "p 1", "category": "Kettles", "headlines": ["A", "B", "C"],
    ...       "descriptions": ["D.", "E."], "path1": "Kettles", "path2": ""}
    >>> write_search_ads_csv([ad], out, campaign="Home", ad_group="{category}",
    ...                      final_url_template="https://shop.example/p/{product_id}").rows
    1
    >>> out.getvalue().splitlines()[1][:48]
    'Home,Kettles,https://shop.example/p/p%201,A,B,C,'
"""

from __future__ import annotations

import csv
import string
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TextIO
from urllib.parse import quote

from enrich.config import AdRulesConfig
from enrich.quality.ads import SearchAd, format_findings

MAX_HEADLINES = 15
MAX_DESCRIPTIONS = 4
HEADLINE_COLUMNS = tuple(f"Headline {i}" for i in range(1, MAX_HEADLINES + 1))
DESCRIPTION_COLUMNS = tuple(f"Description {i}" for i in range(1, MAX_DESCRIPTIONS + 1))
SEARCH_AD_COLUMNS = (
    "Campaign", "Ad group", "Final URL", *HEADLINE_COLUMNS, *DESCRIPTION_COLUMNS,
    "Path 1", "Path 2",
)
# Product fields a campaign or ad group template may name.
TEMPLATE_FIELDS = ("product_id", "title", "brand", "category")


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote.

    Attributes:
        rows: ads written, one row each.
        skipped: ``(product_id, reasons)`` of the ads left out because they break a limit.
    """

    rows: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _check_template(template: str, name: str, *, required: str | None = None) -> None:
    """Refuse a template that names a field other than :data:`TEMPLATE_FIELDS`."""
    names = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    unknown = sorted(names - set(TEMPLATE_FIELDS))
    if unknown:
        raise ValueError(
            f"{name} template {template!r} names {unknown}; it may name only "
            f"{', '.join('{' + f + '}' for f in TEMPLATE_FIELDS)}"
        )
    if required and required not in names:
        raise ValueError(f"{name} template {template!r} must contain {{{required}}}")


def check_templates(*, campaign: str, ad_group: str, final_url: str) -> None:
    """Refuse templates that name an unknown field, or a final URL without ``{product_id}``.

    Raises:
        ValueError: naming the template and the fields it may use.
    """
    _check_template(campaign, "campaign")
    _check_template(ad_group, "ad group")
    _check_template(final_url, "final URL", required="product_id")


def final_url(template: str, product_id: str) -> str:
    """The ad's final URL: ``template`` with ``{product_id}`` replaced by the URL-encoded id.

    Example:
        >>> final_url("https://shop.example/p/{product_id}?src=ads", "SKU 12/b")
        'https://shop.example/p/SKU%2012%2Fb?src=ads'
    """
    _check_template(template, "final URL", required="product_id")
    return template.replace("{product_id}", quote(str(product_id), safe=""))


def _fill(template: str, ad: Mapping) -> str:
    values = {f: "" if ad.get(f) is None else str(ad.get(f)) for f in TEMPLATE_FIELDS}
    return template.format_map(values)


def search_ad_rows(
    ads: Iterable[Mapping],
    *,
    campaign: str,
    ad_group: str,
    final_url_template: str,
    rules: AdRulesConfig | None = None,
    skipped: list[tuple[str, str]] | None = None,
) -> Iterator[dict[str, str]]:
    """The CSV rows of ``ads``, as dicts keyed by :data:`SEARCH_AD_COLUMNS`.

    Args:
        ads: mappings with ``product_id``, ``headlines``, ``descriptions``, ``path1``,
            ``path2`` and the fields the templates name.
        campaign: the campaign name, a template over :data:`TEMPLATE_FIELDS`.
        ad_group: the ad group name, a template over :data:`TEMPLATE_FIELDS`.
        final_url_template: the landing page, a template with ``{product_id}``.
        rules: the limits every cell must keep (None: the platforms' defaults).
        skipped: a list that receives ``(product_id, reasons)`` for each ad left out.

    Raises:
        ValueError: a template names an unknown field, or the URL template lacks
            ``{product_id}``.
    """
    rules = rules or AdRulesConfig()
    _check_template(campaign, "campaign")
    _check_template(ad_group, "ad group")
    _check_template(final_url_template, "final URL", required="product_id")
    for raw in ads:
        ad = SearchAd.from_mapping(raw)
        # Cells beyond the CSV's columns would be lost: the platforms' maximums bound the rules.
        problems = [detail for _, detail in format_findings(ad, rules)]
        if len(ad.headlines) > MAX_HEADLINES or len(ad.descriptions) > MAX_DESCRIPTIONS:
            problems.append("more assets than the CSV has columns")
        if problems:
            if skipped is not None:
                skipped.append((str(raw.get("product_id")), "; ".join(problems)))
            continue
        row = dict.fromkeys(SEARCH_AD_COLUMNS, "")
        row["Campaign"] = _fill(campaign, raw)
        row["Ad group"] = _fill(ad_group, raw)
        row["Final URL"] = final_url(final_url_template, raw["product_id"])
        row.update(zip(HEADLINE_COLUMNS, ad.headlines))
        row.update(zip(DESCRIPTION_COLUMNS, ad.descriptions))
        row["Path 1"], row["Path 2"] = ad.path1, ad.path2
        yield row


def write_search_ads_csv(
    ads: Iterable[Mapping],
    out: TextIO,
    *,
    campaign: str,
    ad_group: str,
    final_url_template: str,
    rules: AdRulesConfig | None = None,
) -> ExportResult:
    """Write ``ads`` to ``out`` as the bulk-upload CSV (header first, one row per ad).

    Args:
        ads: accepted ads (see :func:`search_ad_rows`).
        out: a text file opened with ``newline=""`` (the csv module's line ends), UTF-8.
        campaign: the campaign name template.
        ad_group: the ad group name template.
        final_url_template: the landing page template, with ``{product_id}``.
        rules: the limits every cell must keep (None: the platforms' defaults).

    Returns:
        The rows written and the ads skipped for breaking a limit.

    Raises:
        ValueError: a bad template (see :func:`search_ad_rows`), before anything is written.
    """
    skipped: list[tuple[str, str]] = []
    rows = search_ad_rows(
        ads, campaign=campaign, ad_group=ad_group, final_url_template=final_url_template,
        rules=rules, skipped=skipped,
    )
    first = next(rows, None)  # the templates are checked here, before the header is written
    writer = csv.DictWriter(out, fieldnames=SEARCH_AD_COLUMNS)
    writer.writeheader()
    written = 0
    if first is not None:
        writer.writerow(first)
        written = 1
        for row in rows:
            writer.writerow(row)
            written += 1
    return ExportResult(written, skipped)


def export_search_ads(spark, cfg, out_path) -> ExportResult:
    """Write the accepted ads of the search-ad task ``cfg.export.search_ads.task`` to
    ``out_path`` as the bulk-upload CSV, with the product fields the templates name.

    The rows stream to the driver a partition at a time (``toLocalIterator``), never collected
    whole.

    Args:
        spark: the session.
        cfg: the job configuration (:class:`enrich.config.JobConfig`).
        out_path: the CSV file to write (its folder must exist).

    Returns:
        The rows written and the ads left out for breaking a limit.

    Raises:
        TableError: the ads table or the products table does not exist yet.
    """
    from pyspark.sql import functions as F

    from enrich import schemas as S
    from enrich.tables import TableError, is_delta_table, read_table, require_table

    spec = cfg.export.search_ads
    task = cfg.tasks[spec.task]
    table = cfg.warehouse.table(task.output_table)
    if not is_delta_table(spark, table):
        raise TableError(
            f"no search ads to export: no Delta table at {table}. Generate them first with "
            f"`catalog-enrich enrich --set tasks.{spec.task}.enabled=true`"
        )
    ads = read_table(spark, table)
    products = read_table(spark, require_table(spark, cfg.warehouse, "products"))
    rows = (
        ads.where(F.col(S.STATUS) == S.ACCEPTED)
        .select(S.PRODUCT_ID, S.HEADLINES, S.DESCRIPTIONS, S.PATH1, S.PATH2)
        .join(products.select(S.PRODUCT_ID, S.TITLE, S.BRAND, S.CATEGORY), S.PRODUCT_ID, "left")
        .orderBy(S.PRODUCT_ID)
    )
    with open(out_path, "w", encoding="utf-8", newline="") as out:
        return write_search_ads_csv(
            (r.asDict() for r in rows.toLocalIterator()), out, campaign=spec.campaign,
            ad_group=spec.ad_group, final_url_template=spec.final_url,
            rules=cfg.quality.ad_rules,
        )
