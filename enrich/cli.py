"""The ``catalog-enrich`` command: parse arguments, load the config, build the session, run.

Subcommands:
    quickstart   demo catalog (if absent), model (the shipped adapter, or trained, if there is
                 no version), then an enrichment run
    demo-data    create the generated demo catalog
    import       load FewSum, Copycat or E2E files into the source tables
    train        convert or build the base (if needed), train a LoRA adapter, register a version
    evaluate     score a version on held-out products against the untuned base and baselines
    models       list, show, promote or export registered versions
    enrich       run the enrichment job
    backfill     regenerate the rows another model version made: plan, sample, run, resume
    rollback     restore the output tables as a run left them
    sql          run a query against the warehouse and print the result
    gate-eval    the publishing gate's precision, recall and catch rates on a labelled set
    export       search-ads: the accepted search ads as the bulk-upload CSV
    report       a run's score distributions, statuses, worst rows and change (PNG + HTML)

Exit codes: 0 success; 1 unexpected error; 2 a configuration, input or environment problem
(the message says what to fix); 3 the run finished but more rows failed than allowed; 4 a
quality bar was missed: the gate's targets on the labelled set (gate-eval), or a backfill's
challenger sample lost more quality than --max-quality-drop allows (the backfill did not start).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from enrich import logs
from enrich.config import ConfigError, JobConfig, load_config
from enrich.logs import FORMATS

log = logging.getLogger("enrich")

DEFAULT_CONFIG = Path("conf/default.yaml")
EXIT_ERROR, EXIT_USAGE, EXIT_FAILED_ROWS, EXIT_QUALITY = 1, 2, 3, 4
DEFAULT_LABELLED = Path("tests/data/gate")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        type=Path,
        help=f"YAML config file (default: {DEFAULT_CONFIG} when it exists, else built-in defaults)",
    )
    common.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="SECTION.FIELD=VALUE",
        help="override one config field, e.g. --set generation.batch_size=16 (repeatable)",
    )
    common.add_argument("-q", "--quiet", action="store_true", help="log warnings and errors only")
    common.add_argument(
        "--log-format",
        choices=FORMATS,
        default="text",
        help="log lines as text (default) or one JSON object per line, with run id, task, stage, "
        "rows, tokens and seconds where a line has them",
    )

    parser = argparse.ArgumentParser(
        prog="catalog-enrich",
        description="Enrich a product catalog with generated descriptions and review summaries.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "quickstart",
        parents=[common],
        help="demo catalog and model if absent, then enrich, then a summary",
    )
    demo = sub.add_parser("demo-data", parents=[common], help="create the demo catalog")
    demo.add_argument("--products", type=int, help="number of products (default: demo.products)")
    demo.add_argument("--replace", action="store_true", help="replace an existing catalog")
    imp = sub.add_parser("import", parents=[common], help="import real review/attribute data")
    imp.add_argument("source", choices=["fewsum", "copycat", "e2e"])
    imp.add_argument("path", type=Path, help="the source's folder (for e2e: its csv file or folder)")
    train = sub.add_parser("train", parents=[common], help="train and register a model version")
    train.add_argument(
        "--if-missing", action="store_true", help="do nothing when a current version exists"
    )
    train.add_argument(
        "--merge", action="store_true", help="also save the adapter merged into the base"
    )
    self_train = sub.add_parser(
        "self-train", parents=[common],
        help="write a search-ad task's training set from the model's own gate-accepted ads",
    )
    self_train.add_argument("task", help="the search-ad task (e.g. search_ad)")
    self_train.add_argument("--products", type=int, default=300,
                            help="most training-split products sampled (default 300)")
    self_train.add_argument("--samples", type=int, default=8,
                            help="texts sampled per product (default 8)")
    self_train.add_argument("--temperature", type=float, default=0.8,
                            help="sampling temperature (default 0.8)")
    evaluate = sub.add_parser(
        "evaluate", parents=[common], help="score a version on the held-out test split"
    )
    evaluate.add_argument("--model", default="current", help="version to evaluate (default current)")
    models = sub.add_parser(
        "models", parents=[common], help="list, show, promote or export versions"
    )
    models.add_argument("action", choices=["list", "show", "promote", "export"])
    models.add_argument("version", nargs="?", help="version for show, promote and export")
    models.add_argument(
        "dest", nargs="?", type=Path,
        help="export: folder to write the version's adapter, manifest, evaluation and model card "
        "to (enrich/adapters/<base> is the one the package ships)",
    )
    enrich = sub.add_parser("enrich", parents=[common], help="run the enrichment job")
    enrich.add_argument(
        "--retry-failed", action="store_true", help="also regenerate rows that failed last time"
    )
    enrich.add_argument("--model", help="version to generate with (default: model.version)")
    enrich.add_argument(
        "--metrics-file",
        type=Path,
        metavar="PATH",
        help="write the run's figures (status, rows and statuses per task, seconds, tokens, "
        "model version) as JSON to PATH, also when the run fails",
    )
    backfill = sub.add_parser(
        "backfill", parents=[common],
        help="regenerate rows made by another model version (resumable; see --plan, --sample)",
    )
    backfill.add_argument("--model", required=True, help="version the rows should end up with")
    backfill.add_argument("--plan", action="store_true",
                          help="print rows, tokens and estimated time per task; write nothing")
    backfill.add_argument("--sample", type=int, metavar="N",
                          help="generate a stratified sample of about N rows per task into "
                               "<table>_challenger and compare its quality with the current rows")
    backfill.add_argument("--max-quality-drop", type=float, metavar="X",
                          help="with --sample: go on to the full backfill only if no task's mean "
                               "quality_score falls by more than X (else exit 4)")
    backfill.add_argument("--category", action="append", default=[],
                          help="only products of this category (repeatable)")
    backfill.add_argument("--status", action="append", default=[],
                          choices=["accepted", "needs_review", "rejected", "skipped", "failed"],
                          help="only rows whose current status is this (repeatable)")
    backfill.add_argument("--score-below", type=float, metavar="X",
                          help="only rows whose current quality_score is below X")
    backfill.add_argument("--generated-before", metavar="TIME",
                          help="only rows generated before this UTC time, e.g. 2026-11-01")
    rollback = sub.add_parser("rollback", parents=[common],
                              help="restore the output tables as a run left them")
    rollback.add_argument("--to-run", metavar="RUN_ID",
                          help="restore every output table the run wrote to its state after it")
    rollback.add_argument("--to-version", type=int, metavar="N",
                          help="restore --table to Delta version N")
    rollback.add_argument("--table", help="output table for --to-version")
    sql = sub.add_parser("sql", parents=[common], help="query the warehouse tables")
    sql.add_argument(
        "query",
        help='a query, e.g. "SELECT * FROM product_descriptions LIMIT 5", or a .sql file',
    )
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sql.add_argument("--limit", type=int, default=1000, help="most rows printed (default 1000)")
    gate = sub.add_parser(
        "gate-eval", parents=[common], help="evaluate the quality gate on a labelled set"
    )
    gate.add_argument(
        "--labelled", type=Path, default=DEFAULT_LABELLED,
        help=f"folder of <task>.jsonl labelled outputs (default {DEFAULT_LABELLED})",
    )
    gate.add_argument("--task", help="evaluate one task only")
    gate.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    export = sub.add_parser(
        "export", parents=[common], help="write accepted outputs in another system's format"
    )
    export.add_argument("what", choices=["search-ads"],
                        help="search-ads: the accepted ads as the Google Ads / Microsoft "
                             "Advertising bulk-upload CSV (templates in export.search_ads)")
    export.add_argument("--out", type=Path, required=True, help="the CSV file to write")
    report = sub.add_parser(
        "report", parents=[common], help="plots and tables of one run's scores (PNG + HTML)"
    )
    report.add_argument("run_id", help="the run, as in enrichment_runs.run_id")
    report.add_argument(
        "--out", type=Path,
        help="output folder (default: <warehouse.root>/_reports/<run_id>; ./reports/<run_id> "
             "when the root is a URI)",
    )
    report.add_argument("--worst", type=int, default=10, help="worst rows listed per task")
    return parser


def _load(args: argparse.Namespace) -> JobConfig:
    path = args.config
    if path is None and DEFAULT_CONFIG.is_file():
        path = DEFAULT_CONFIG
    return load_config(path, args.overrides)


def _session(cfg: JobConfig):
    from enrich.spark import build_session

    return build_session(cfg.spark, cfg.warehouse)


def _cmd_demo(spark, cfg: JobConfig, args) -> int:
    from enrich.demo import create_demo_catalog

    demo = cfg.demo if args.products is None else cfg.demo.model_copy(update={"products": args.products})
    counts = create_demo_catalog(spark, cfg.warehouse, demo, replace=args.replace)
    print(f"demo catalog: {counts['products']} products, {counts['reviews']} reviews "
          f"in {cfg.warehouse.table('products')} and {cfg.warehouse.table('reviews')}")
    return 0


def _cmd_import(spark, cfg: JobConfig, args) -> int:
    from enrich.importer import import_source

    counts = import_source(spark, cfg.warehouse, args.source, args.path)
    print(f"imported {args.source}: {counts['products']} products, {counts['reviews']} reviews")
    return 0


def _cmd_train(spark, cfg: JobConfig, args) -> int:
    from enrich.model.train import train_model

    version = train_model(spark, cfg, if_missing=args.if_missing, merge=args.merge)
    print(f"model {cfg.model.name}:{version} is current in {Path(cfg.model.registry).resolve()}")
    print(f"compare it with the untuned base: catalog-enrich evaluate --model {version}")
    return 0


def _cmd_self_train(spark, cfg: JobConfig, args) -> int:
    from enrich.model.self_training import SamplingSettings, build_self_training_set

    if args.products < 1 or args.samples < 1 or args.temperature <= 0:
        raise ConfigError("self-train: --products and --samples must be >= 1, --temperature > 0")
    done = build_self_training_set(
        spark, cfg, args.task, limit=args.products,
        sampling=SamplingSettings(samples=args.samples, temperature=args.temperature,
                                  seed=cfg.model.seed),
    )
    print(f"{done['kept']} of {done['products']} products have a gate-accepted ad of "
          f"{done['model_version']}'s own; written to {done['table']}.{done['column']}")
    print(f"train on it: catalog-enrich train --set tasks.{args.task}.enabled=true "
          f"--set tasks.{args.task}.reference_table={done['table']} "
          f"--set tasks.{args.task}.reference_column={done['column']}")
    return 0


def _cmd_evaluate(spark, cfg: JobConfig, args) -> int:
    from enrich.model.evaluation import evaluate_model, render_evaluation

    print(render_evaluation(evaluate_model(spark, cfg, args.model)))
    return 0


def _cmd_models(spark, cfg: JobConfig, args) -> int:
    from enrich.model.registry import Registry
    from enrich.model.versions import render_manifest, render_versions

    registry = Registry(cfg.model.registry, cfg.model.name, cache_dir=cfg.model.cache_dir)
    if args.action == "list":
        print(render_versions(registry))
        return 0
    if not args.version:
        print(f"catalog-enrich models {args.action}: name a version", file=sys.stderr)
        return EXIT_USAGE
    if args.action == "show":
        print(render_manifest(registry, args.version))
    elif args.action == "export":
        from enrich.model.shipped import export_version

        if args.dest is None:
            print("catalog-enrich models export: name a destination folder", file=sys.stderr)
            return EXIT_USAGE
        for path in export_version(registry, args.version, args.dest):
            print(path)
    else:
        registry.set_current(registry.resolve(args.version))
        print(f"{cfg.model.name}:{registry.current()} is now current")
    return 0


def _cmd_enrich(spark, cfg: JobConfig, args) -> int:
    from enrich.enrichment import run_enrichment
    from enrich.report import render_summary, run_figures, write_metrics

    if getattr(args, "model", None):
        cfg = cfg.model_copy(update={"model": cfg.model.model_copy(update={"version": args.model})})
    metrics_file = getattr(args, "metrics_file", None)
    try:
        report = run_enrichment(spark, cfg, retry_failed=getattr(args, "retry_failed", False))
    except Exception as exc:
        if metrics_file:
            write_metrics({"status": "failed", "error": f"{type(exc).__name__}: {exc}"}, metrics_file)
        raise
    if metrics_file:
        write_metrics(run_figures(report), metrics_file)
    print(render_summary(report))
    return EXIT_FAILED_ROWS if report.status == "too_many_failures" else 0


def _backfill_filter(cfg: JobConfig, args) -> tuple[JobConfig, "BackfillFilter"]:
    from datetime import datetime

    from enrich.model.registry import Registry
    from enrich.selection import BackfillFilter

    registry = Registry(cfg.model.registry, cfg.model.name, cache_dir=cfg.model.cache_dir)
    version = registry.resolve(args.model)
    cfg = cfg.model_copy(update={"model": cfg.model.model_copy(update={"version": version})})
    before = None
    if args.generated_before:
        try:
            before = datetime.fromisoformat(args.generated_before)
        except ValueError as exc:
            raise ConfigError(f"--generated-before: {exc}; give e.g. 2026-11-01 or 2026-11-01T12:00")
    wanted = BackfillFilter(
        model_version=f"{cfg.model.name}:{version}",
        categories=tuple(args.category),
        statuses=tuple(args.status),
        score_below=args.score_below,
        generated_before=before,
    )
    return cfg, wanted


def _cmd_backfill(spark, cfg: JobConfig, args) -> int:
    from enrich.backfill import (
        plan_backfill, render_challenger, render_plan, run_challenger, worse_than_allowed,
    )
    from enrich.enrichment import run_enrichment
    from enrich.report import render_summary

    if args.max_quality_drop is not None and args.sample is None:
        raise ConfigError("--max-quality-drop needs --sample N: it compares the sample's quality")
    cfg, wanted = _backfill_filter(cfg, args)
    if args.plan:
        print(render_plan(plan_backfill(spark, cfg, wanted), wanted))
        return 0
    if args.sample is not None:
        if args.sample <= 0:
            raise ConfigError("--sample must be a positive number of rows")
        results = run_challenger(spark, cfg, wanted, args.sample)
        print(render_challenger(results, "the current outputs", wanted.model_version))
        if args.max_quality_drop is None:
            print(f"\nto regenerate every targeted row: catalog-enrich backfill --model {args.model}")
            return 0
        worse = worse_than_allowed(results, args.max_quality_drop)
        if worse:
            print(f"catalog-enrich: backfill refused: quality fell by more than "
                  f"{args.max_quality_drop} ({'; '.join(worse)})", file=sys.stderr)
            return EXIT_QUALITY
        print(f"\nquality within {args.max_quality_drop} of the current rows: backfilling")
    report = run_enrichment(spark, cfg, backfill=wanted)
    print(render_summary(report))
    return EXIT_FAILED_ROWS if report.status == "too_many_failures" else 0


def _cmd_rollback(spark, cfg: JobConfig, args) -> int:
    from enrich.rollback import rollback

    done = rollback(spark, cfg, to_run=args.to_run, to_version=args.to_version, table=args.table)
    for name, (before, after) in done.items():
        print(f"{name}: restored from version {before} to version {after}")
    return 0


def _cmd_quickstart(spark, cfg: JobConfig, args) -> int:
    from enrich.demo import create_demo_catalog
    from enrich.model.registry import Registry
    from enrich.model.shipped import install_shipped
    from enrich.model.train import train_model

    started = time.perf_counter()
    create_demo_catalog(spark, cfg.warehouse, cfg.demo, replace=False)
    registry = Registry(cfg.model.registry, cfg.model.name, cache_dir=cfg.model.cache_dir)
    if registry.current() not in registry.versions() and install_shipped(cfg.model) is None:
        train_model(spark, cfg)  # no adapter ships for this base: train one
    code = _cmd_enrich(spark, cfg, args)
    print(f"quickstart finished in {time.perf_counter() - started:.0f}s")
    return code


def _cmd_sql(spark, cfg: JobConfig, args) -> int:
    from enrich.sqlfiles import create_views, statement
    from enrich.tables import register_existing

    from pyspark.errors import AnalysisException, ParseException

    query = args.query
    if query.strip().lower().endswith(".sql"):
        if not Path(query).is_file():
            print(f"catalog-enrich sql: no such file {query}", file=sys.stderr)
            return EXIT_USAGE
        query = statement(Path(query))
    register_existing(spark, cfg.warehouse)
    create_views(spark)
    try:
        result = spark.sql(query.strip().rstrip(";"))
    except (AnalysisException, ParseException) as exc:
        print(f"catalog-enrich sql: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not result.columns:
        return 0
    frame = result.limit(args.limit).toPandas()
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif args.format == "json":
        text = frame.to_json(orient="records", lines=True, date_format="iso")
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    else:
        print(frame.to_string(index=False, max_colwidth=80) if len(frame) else "(no rows)")
    return 0


def _cmd_gate_eval(spark, cfg: JobConfig, args) -> int:
    import json

    from enrich.quality.labelled import evaluate, load_items, render

    try:
        items = load_items(args.labelled, args.task)
    except FileNotFoundError as exc:
        print(f"catalog-enrich gate-eval: {exc}", file=sys.stderr)
        return EXIT_USAGE
    unknown = sorted({i["task"] for i in items} - set(cfg.tasks))
    if unknown:
        print(f"catalog-enrich gate-eval: tasks {unknown} are not in the configuration",
              file=sys.stderr)
        return EXIT_USAGE
    figures = evaluate(items, cfg)
    print(render(figures))
    if args.json:
        args.json.write_text(json.dumps([f.as_dict() for f in figures], indent=2) + "\n")
    return 0 if all(f.meets_targets for f in figures) else EXIT_QUALITY


def _cmd_export(spark, cfg: JobConfig, args) -> int:
    from enrich.export import export_search_ads

    if not args.out.parent.is_dir():
        raise ConfigError(f"--out {args.out}: folder {args.out.parent} does not exist")
    result = export_search_ads(spark, cfg, args.out)
    print(f"wrote {result.rows} accepted ads to {args.out}")
    for product_id, reasons in result.skipped:
        print(f"left out {product_id}: {reasons}", file=sys.stderr)
    return 0


def _cmd_report(spark, cfg: JobConfig, args) -> int:
    from enrich.run_report import RunNotFound, write_run_report

    out = args.out or cfg.warehouse.reports_root / args.run_id
    try:
        paths = write_run_report(spark, cfg, args.run_id, out=out, worst=args.worst)
    except RunNotFound as exc:
        print(f"catalog-enrich report: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for path in paths:
        print(path)
    return 0


NO_SPARK = {"models", "gate-eval"}

COMMANDS = {
    "quickstart": _cmd_quickstart,
    "demo-data": _cmd_demo,
    "import": _cmd_import,
    "train": _cmd_train,
    "self-train": _cmd_self_train,
    "evaluate": _cmd_evaluate,
    "models": _cmd_models,
    "enrich": _cmd_enrich,
    "backfill": _cmd_backfill,
    "rollback": _cmd_rollback,
    "sql": _cmd_sql,
    "gate-eval": _cmd_gate_eval,
    "export": _cmd_export,
    "report": _cmd_report,
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``catalog-enrich`` and of the ``jobs/`` scripts; returns the exit code."""
    from enrich.contracts import ContractError
    from enrich.importer import SourceFormatError
    from enrich.model.base import BaseModelError
    from enrich.model.embedded import EmbeddedBaseError
    from enrich.model.trainer import TrainingDataError
    from enrich.model.registry import RegistryError
    from enrich.preflight import PreflightError
    from enrich.spark import SparkStartError
    from enrich.tables import TableError
    from enrich.tasks import TaskError

    args = _parser().parse_args(argv)
    logs.configure(quiet=args.quiet, fmt=args.log_format)
    # Which code runs where is the first question when a cluster misbehaves.
    log.info("catalog-enrich %s: python %s, enrich from %s", args.command,
             sys.version.split()[0], Path(__file__).resolve().parent)
    expected = (ConfigError, PreflightError, SparkStartError, TableError, RegistryError,
                BaseModelError, EmbeddedBaseError, SourceFormatError, TrainingDataError,
                ContractError, TaskError)
    try:
        cfg = _load(args)
        # The registry is plain files: `models` needs no Spark session.
        spark = None if args.command in NO_SPARK else _session(cfg)
        return COMMANDS[args.command](spark, cfg, args)
    except expected as exc:
        print(f"catalog-enrich: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception:
        log.exception("catalog-enrich %s failed", args.command)
        return EXIT_ERROR

