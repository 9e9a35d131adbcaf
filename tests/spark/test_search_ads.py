"""The search_ad task end to end on a tiny catalog with the tiny test model: generate, gate, MERGE
into its own table, export the accepted ads as the bulk-upload CSV."""

import csv

from enrich import cli
from enrich import schemas as S
from enrich.export import DESCRIPTION_COLUMNS, HEADLINE_COLUMNS, SEARCH_AD_COLUMNS
from enrich.quality import ScoreInputs
from enrich.quality.ads import check_ad, display_width
from tests.conftest import config_args, job_config


def test_search_ads_end_to_end_and_export(spark, built, tmp_path, capsys):
    from enrich.demo import create_demo_catalog
    from enrich.enrichment import run_enrichment
    from enrich.tables import read_table

    cfg = job_config(
        tmp_path, f"model.registry={built.model.registry}", "demo.products=12",
        "tasks.description.enabled=false", "tasks.review_summary.enabled=false",
        "tasks.search_ad.enabled=true", "tasks.search_ad.max_new_tokens=12",
        "tasks.search_ad.headlines=6", "tasks.search_ad.descriptions=3",
        # The tiny test model is unsure of every token: confidence is not what this test reads.
        "quality.min_mean_logprob=-100", "quality.confidence_floor=-100",
    )
    create_demo_catalog(spark, cfg.warehouse, cfg.demo)
    report = run_enrichment(spark, cfg)
    assert [t.task for t in report.tasks] == ["search_ad"]
    rows = [r.asDict() for r in read_table(spark, cfg.warehouse.table("product_search_ads")).collect()]
    products = {
        r[S.PRODUCT_ID]: r.asDict()
        for r in read_table(spark, cfg.warehouse.table("products")).collect()
    }
    assert len(rows) == 12
    rules = cfg.quality.ad_rules
    accepted = [r for r in rows if r[S.STATUS] == S.ACCEPTED]
    assert len(accepted) >= 10, [
        (r[S.PRODUCT_ID], r[S.STATUS], r[S.REJECT_REASONS], r[S.AD_FINDINGS], r[S.ERROR])
        for r in rows
    ]
    for row in rows:
        assert row[S.MODEL_VERSION] and row[S.RUN_ID] and row[S.INPUT_FINGERPRINT]
        assert len(row[S.HEADLINE_SOURCES]) == len(row[S.HEADLINES])
        assert len(row[S.DESCRIPTION_SOURCES]) == len(row[S.DESCRIPTIONS])
    for row in accepted:
        p = products[row[S.PRODUCT_ID]]
        inputs = ScoreInputs(title=p[S.TITLE], brand=p[S.BRAND], category=p[S.CATEGORY],
                             attributes=dict(p[S.ATTRIBUTES] or {}))
        assert check_ad(row, inputs, rules) == [], row
        assert row[S.REJECT_REASONS] == [] and row[S.AD_FINDINGS] == []

    out = tmp_path / "ads.csv"
    code = cli.main(["export", "search-ads", "--out", str(out), "-q", *config_args(cfg),
                     "--set", "export.search_ads.final_url=https://shop.example/p/{product_id}"])
    assert code == 0, capsys.readouterr()
    with out.open(encoding="utf-8", newline="") as handle:
        parsed = list(csv.DictReader(handle))
    assert list(parsed[0]) == list(SEARCH_AD_COLUMNS)
    assert len(parsed) == len(accepted)
    for line in parsed:
        heads = [line[c] for c in HEADLINE_COLUMNS if line[c]]
        descs = [line[c] for c in DESCRIPTION_COLUMNS if line[c]]
        assert rules.min_headlines <= len(heads) and rules.min_descriptions <= len(descs)
        assert all(display_width(h) <= rules.max_headline_chars for h in heads)
        assert all(display_width(d) <= rules.max_description_chars for d in descs)
        assert all(display_width(line[p]) <= rules.max_path_chars for p in ("Path 1", "Path 2"))
        assert line["Final URL"].startswith("https://shop.example/p/")
        assert line["Campaign"] == "Catalog search ads" and line["Ad group"]
