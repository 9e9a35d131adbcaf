"""The gate meets its targets on the committed labelled set, through the real command."""

import json
from pathlib import Path

from enrich import cli
from enrich.quality.labelled import MUST_CATCH, load_items

GATE = Path(__file__).resolve().parents[1] / "data" / "gate"


def test_labelled_set_has_every_kind_for_each_task():
    for task in ("description", "review_summary"):
        items = load_items(GATE, task)
        assert len(items) >= 200
        good = [i for i in items if i["label"] == "good"]
        assert len(good) >= 150 and all(i["kind"] == "good" for i in good)
        kinds = {i["kind"] for i in items if i["label"] == "bad"}
        assert {"looping", "truncated", "phone", "injection", "wrong_language"} <= kinds
    description_kinds = {i["kind"] for i in load_items(GATE, "description")}
    assert {"wrong_brand", "invented_size", "contradicted_colour"} <= description_kinds
    assert "opposite_sentiment" in {i["kind"] for i in load_items(GATE, "review_summary")}


def test_gate_eval_meets_the_targets(tmp_path, capsys):
    out = tmp_path / "gate.json"
    code = cli.main(["gate-eval", "--labelled", str(GATE), "--json", str(out), "-q"])
    printed = capsys.readouterr().out
    assert code == 0, printed
    figures = {(f["task"], f["split"]): f for f in json.loads(out.read_text())}
    for task in ("description", "review_summary"):
        whole = figures[(task, "all")]
        assert whole["meets_targets"] and whole["missed"] == []
        assert whole["recall"] >= 0.9
        for kind, rate in whole["catch_rate"].items():
            if kind in MUST_CATCH:
                assert rate == 1.0, (task, kind)
    assert "precision" in printed and "catch rate" in printed


def test_gate_eval_exits_4_when_targets_are_missed(tmp_path, capsys):
    # A gate that accepts nearly nothing misses the share of good outputs accepted.
    code = cli.main(["gate-eval", "--labelled", str(GATE), "--task", "description", "-q",
                     "--set", "quality.accept_threshold=0.99"])
    assert code == cli.EXIT_GATE_TARGETS
    assert "MISSED" in capsys.readouterr().out


def test_gate_eval_names_a_missing_set(tmp_path, capsys):
    assert cli.main(["gate-eval", "--labelled", str(tmp_path), "-q"]) == cli.EXIT_USAGE
    assert "no labelled set" in capsys.readouterr().err
