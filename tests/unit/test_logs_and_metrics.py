"""JSON log lines carry the run's figures; --metrics-file writes a run's figures as JSON."""

import json
import logging

import pytest

from enrich import cli, logs
from enrich.enrichment import RunReport, TaskReport
from enrich.report import run_figures, write_metrics


def test_json_formatter_writes_message_and_figures():
    record = logging.LogRecord("enrich.progress", logging.INFO, __file__, 1, "done %d", (5,), None)
    record.run_id, record.rows, record.stage = "r1", 5, "generate"
    line = json.loads(logs.JsonFormatter().format(record))
    assert line["message"] == "done 5" and line["level"] == "INFO"
    assert (line["run_id"], line["rows"], line["stage"]) == ("r1", 5, "generate")
    assert "tokens" not in line  # only the figures the line has


def test_configure_refuses_an_unknown_format():
    with pytest.raises(ValueError, match="xml"):
        logs.configure(fmt="xml")


def test_cli_logs_json_lines_when_asked(capsys):
    assert cli.main(["enrich", "--log-format", "json", "--set", "generation.batch_size=0"]) == 2
    err = capsys.readouterr().err.splitlines()
    started = json.loads(err[0])
    assert started["logger"] == "enrich" and "catalog-enrich enrich" in started["message"]
    logs.configure()


def report() -> RunReport:
    return RunReport(
        run_id="r1", model_version="catalog-enrich:v2", status="succeeded", seconds=12.5,
        tasks=[TaskReport("description", "product_descriptions", selected=3,
                          statuses={"accepted": 2, "failed": 1}, mean_quality=0.7)],
        source_versions={"products": 4}, model_loads=2, tables={"product_descriptions": "/w/pd"},
        prompt_tokens=300, output_tokens=90,
    )


def test_run_figures_and_metrics_file(tmp_path):
    path = tmp_path / "out" / "metrics.json"
    write_metrics(run_figures(report()), path)
    figures = json.loads(path.read_text())
    assert figures["run_id"] == "r1" and figures["status"] == "succeeded"
    assert figures["model_version"] == "catalog-enrich:v2"
    assert figures["rows"] == 3 and figures["statuses"]["failed"] == 1
    assert figures["tokens"] == {"prompt": 300, "output": 90, "total": 390}
    assert figures["tasks"][0]["statuses"] == {"accepted": 2, "failed": 1}
    assert list(path.parent.iterdir()) == [path]  # no partial file left behind
