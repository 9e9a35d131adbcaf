"""The gate meets its targets on the committed labelled set, through the real command; the
figures per domain."""

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from enrich import cli
from enrich import schemas as S
from enrich.config import load_config
from enrich.quality import labelled
from enrich.quality.labelled import MUST_CATCH, evaluate, load_items, render

GATE = Path(__file__).resolve().parents[1] / "data" / "gate"
# The part build_gate_set.py writes (E2E and FewSum); the hand-written items of other domains
# are in handwritten_*.jsonl.
BUILT = ("description.jsonl", "review_summary.jsonl")
BUILT_DOMAINS = {"e2e", "fewsum"}
CONFIG = Path(__file__).resolve().parents[2] / "conf" / "default.yaml"


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
    # On the built part of the set (E2E, FewSum). The hand-written domains are measured by
    # test_gate_meets_the_targets_on_the_new_domains.
    built = tmp_path / "gate"
    built.mkdir()
    for name in BUILT:
        shutil.copy(GATE / name, built / name)
    out = tmp_path / "gate.json"
    code = cli.main(["gate-eval", "--labelled", str(built), "--json", str(out), "-q"])
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
    assert code == cli.EXIT_QUALITY
    assert "MISSED" in capsys.readouterr().out


def test_gate_eval_names_a_missing_set(tmp_path, capsys):
    assert cli.main(["gate-eval", "--labelled", str(tmp_path), "-q"]) == cli.EXIT_USAGE
    assert "no labelled set" in capsys.readouterr().err


def test_handwritten_items_cover_new_domains_and_are_labelled_one_by_one():
    items = [i for i in load_items(GATE)
             if i.get("domain") not in BUILT_DOMAINS and i["task"] != "search_ad"]
    assert all(i["domain"] and i["note"] and i["split"] in ("dev", "test") for i in items)
    # Every hand-written domain has each kind of fault; the model's own outputs are what it wrote.
    domains = {i["domain"] for i in items
               if i["task"] == "description" and not i.get("source", "").startswith("model:")}
    assert len(domains) >= 3
    for domain in domains:
        kinds = {i["kind"] for i in items if i["domain"] == domain}
        assert {"good", "contradicted_value", "wrong_brand", "wrong_number", "truncated",
                "invented_attribute", "off_task"} <= kinds, domain
    summary_kinds = {i["kind"] for i in items if i["task"] == "review_summary"}
    assert {"good", "opposite_sentiment", "unsupported_aspect", "truncated"} <= summary_kinds
    tests = sum(i["split"] == "test" for i in items)
    # A third or more never tuned on; the read probes (dev) grow faster than the blind ones.
    assert 1 / 3 <= tests / len(items) <= 0.6
    assert len({i["id"] for i in load_items(GATE)}) == len(load_items(GATE))


def _item(n, domain, label, kind, accepted, split="test"):
    item = {"id": f"x-{n}", "task": "description", "split": split, "label": label, "kind": kind,
            "text": "accepted" if accepted else "kept out", "inputs": {}}
    if domain:
        item["domain"] = domain
    return item


def test_figures_per_domain(monkeypatch):
    # The gate stubbed: an item is accepted when its text says so; the figures are what counts.
    monkeypatch.setattr(
        labelled, "score_item", lambda item, cfg, domains=None, brands=None: SimpleNamespace(
            status=S.ACCEPTED if item["text"] == "accepted" else S.NEEDS_REVIEW))
    items = [
        _item(1, "apparel", "good", "good", True),
        _item(2, "apparel", "good", "good", False),
        _item(3, "apparel", "bad", "wrong_number", True),
        _item(4, "apparel", "bad", "truncated", False, split="dev"),
        _item(5, "kitchen", "good", "good", True),
        _item(6, "kitchen", "bad", "wrong_number", False),
        {**_item(7, None, "good", "good", True), "source": "e2e"},
        _item(8, None, "bad", "truncated", True),
    ]
    figures = {f.split: f for f in evaluate(items, load_config(CONFIG))}
    whole = figures["all"]
    assert set(whole.domains) == {"apparel", "kitchen", "e2e", "unknown"}
    apparel = whole.domains["apparel"]
    assert (apparel.good, apparel.good_accepted, apparel.bad, apparel.bad_accepted) == (2, 1, 2, 1)
    assert apparel.recall == 0.5 and apparel.precision == 0.5
    assert apparel.kinds == {"wrong_number": [0, 1], "truncated": [1, 1]}
    assert apparel.missed == ["x-3"] and whole.missed == ["x-3"]
    assert whole.domains["kitchen"].kinds == {"wrong_number": [1, 1]}
    assert whole.domains["unknown"].kinds == {"truncated": [0, 1]}
    assert figures["test"].domains["apparel"].kinds == {"wrong_number": [0, 1]}
    assert "apparel" not in figures["dev"].domains or figures["dev"].domains["apparel"].good == 0
    report = whole.as_dict()
    assert report["domains"]["apparel"]["recall"] == 0.5
    assert report["domains"]["apparel"]["catch_rate"] == {"truncated": 1.0, "wrong_number": 0.0}
    assert report["domains"]["kitchen"]["caught"] == {"wrong_number": [1, 1]}
    assert report["domains"]["e2e"]["good_accepted"] == 1
    text = render(list(figures.values()))
    assert "per domain" in text
    line = next(row for row in text.splitlines() if row.strip().startswith("apparel"))
    # dev good, dev bad, test good, test bad, all good, all bad; precision and recall over all
    assert line.split()[1:] == ["-", "1/1", "1/2", "0/1", "1/2", "1/2", "0.500", "0.500"]


def _new_domain_misses(split: str) -> list:
    """What the gate gets wrong on ``split`` in the hand-written domains: bad items it accepts,
    and domains under the share of good ones accepted. The domains are learned from the whole
    set, as gate-eval does; -s prints the figures."""
    figures = evaluate(load_items(GATE), load_config(CONFIG))
    print("\n" + render(figures))
    wrong = []
    for f in (f for f in figures if f.split == split):
        for name, d in f.domains.items():
            if name in BUILT_DOMAINS:
                continue
            wrong += d.missed
            if d.good and d.recall < labelled.MIN_GOOD_ACCEPTED:
                wrong.append((f.task, name, d.recall))
    return wrong


@pytest.mark.xfail(strict=True, reason=(
    "issue 21: on the test split the gate accepts one invented fact of the shipped model, a use "
    "the product has not: a shower head 'for daily shower lighting' (description-model-0115), "
    "and in the 15 domains written blind on 2026-12-07 and never tuned on (description-hw-0500 "
    "to -0595, -0600 to -0627, -0660 to -0687 and -0872 to -0927, -0934 to -0937; "
    "review_summary-hw-0209 to -0283, -0290 to -0309, -0330 to -0349 and -0470 to -0509) 26 "
    "faults of the must-catch kinds, and it accepts under 90% of good texts in 20 domain-task "
    "pairs; remove this mark when every must-catch item is caught"))
def test_gate_meets_the_targets_on_the_new_domains_test_split():
    # The split never tuned on: the targets of issue 21.
    assert _new_domain_misses("test") == []


@pytest.mark.xfail(strict=True, reason=(
    "issue 21: on the dev split the gate accepts one invented fact of the shipped model (the "
    "handle's nylon as 'a fibreglass-reinforced nylon pick', description-model-0103) and, in the "
    "28 domains of the probes read on 2026-12-07 (description-hw-0306 to -0499, -0630 to -0657, "
    "-0700 to -0787, -0788 to -0871 and -0928 to -0933; review_summary-hw-0057 to -0208, -0310 "
    "to -0329, -0350 to -0409 and -0410 to -0469), 40 hand-written faults of the "
    "must-catch kinds: invented features said by an adjective or a verb no list or catalog key "
    "holds ('stain-blocking', 'a rotary knob', 'floats if it goes overboard'), values no product "
    "of the catalog holds ('eggshell sheen', 'digital motor'), values in other words ('folds "
    "with one hand', 'twin motors'), brands no catalog holds ('Salomon keeps the drop low'), "
    "numbers said of another key in other words ('light to carry at 13 kg', 'eight in the "
    "set'), materials the summary's reviews name of something else, parts no key names ('snow "
    "skirts', 'a reinforced foam edge'), a level in other words ('medium-firm' of 'firm'); and "
    "it accepts under 90% of good texts in 9 domain-task pairs; remove this mark when every "
    "must-catch item is caught"))
def test_gate_meets_the_targets_on_the_new_domains_dev_split():
    assert _new_domain_misses("dev") == []


def test_gate_eval_scores_the_search_ads_on_both_splits(tmp_path, capsys):
    # The hand-labelled ads: no bad ad accepted and at least 90% of the good ones on the test
    # split (never tuned on); the train split is reported too.
    out = tmp_path / "ads.json"
    code = cli.main(["gate-eval", "--labelled", str(GATE), "--task", "search_ad", "-q",
                     "--json", str(out)])
    printed = capsys.readouterr().out
    figures = {f["split"]: f for f in json.loads(out.read_text())}
    print(printed)
    assert set(figures) == {"train", "test", "all"}
    test = figures["test"]
    assert test["bad_accepted"] == 0 and test["missed"] == [], test
    assert test["recall"] >= 0.9, test
    assert test["good"] >= 20 and test["bad"] >= 20
    assert code == 0 or not figures["train"]["meets_targets"], printed
