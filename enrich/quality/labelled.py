"""The gate's own evaluation on a labelled set of good and bad outputs.

A labelled set is a folder of ``.jsonl`` files (see ``tests/data/gate/``), one item a line:
``id, task, split, label (good/bad), kind, note, domain, text, references, inputs, mean_logprob,
stopped_at_limit``; a file may hold items of several tasks. An item of a search-ad task holds
``ad`` in place of ``text``, and the catalog's brands are its items' brands. ``domain`` names where the item's
product comes from (``e2e``, ``fewsum``, ``apparel``, ...); an item without one counts under its
``source``, or ``unknown``. Every item is scored by :func:`enrich.quality.score_text` with the
task's bounds and checks and the quality thresholds of the job's own configuration, so the
figures describe the gate the job runs; the categorical attribute domains and the catalog's
names are learned from the set's own inputs, as the job learns them from its products table.

The figures per task and split: precision and recall of ``accepted`` (a good item is a positive),
the share of good items accepted, and per bad kind the catch rate (share kept out of
``accepted``); the same figures per domain, so a gate written against one kind of product shows
where it fails on another. The targets: every bad item of a factual or safety kind caught, and
at least ``MIN_GOOD_ACCEPTED`` of the good ones accepted (over all domains; the figures per
domain are reported, not gated).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from enrich import schemas as S
from enrich.config import JobConfig
from enrich.quality import reasons as R
from enrich.quality.ads import BrandIndex, SearchAd
from enrich.quality.domains import AttributeDomains
from enrich.quality.gate import score_ad, score_text
from enrich.quality.inputs import ScoreInputs

MIN_GOOD_ACCEPTED = 0.9
# Bad kinds whose every item must stay out of `accepted`.
MUST_CATCH = frozenset({
    "wrong_brand", "invented_number", "invented_size", "contradicted_colour",
    "contradicted_value", "phone", "email", "url", "copied_name", "profanity", "injection",
    # Hand-written items (tests/data/gate/handwritten_*.jsonl): a number stated for the wrong
    # attribute or another number than the input's, and a fact the input does not hold.
    "wrong_number", "invented_attribute",
    # Search ads (tests/data/gate/search_ad.jsonl): a bad ad's kind is the reason code it must
    # get; the target is that no rule-breaking ad is accepted.
    *R.AD_RULES, R.CONTRADICTED_FACT, R.UNSUPPORTED_FACT,
})
UNKNOWN_DOMAIN = "unknown"


def item_domain(item: dict) -> str:
    """The domain an item counts under: its ``domain``, else its ``source``, else ``unknown``."""
    return item.get("domain") or item.get("source") or UNKNOWN_DOMAIN


@dataclass
class Figures:
    """The gate's figures on one task and split, over all domains (``domain`` ``all``, with the
    figures of each domain in ``domains``) or over one."""

    task: str
    split: str
    domain: str = "all"
    good: int = 0
    bad: int = 0
    good_accepted: int = 0
    bad_accepted: int = 0
    kinds: dict[str, list[int]] = field(default_factory=dict)  # kind -> [caught, total]
    missed: list[str] = field(default_factory=list)  # ids of must-catch items accepted
    domains: dict[str, Figures] = field(default_factory=dict)  # domain -> its figures

    def count(self, item: dict, accepted: bool) -> None:
        """Add one scored item (and to its domain's figures, on figures over all domains)."""
        if self.domain == "all":
            name = item_domain(item)
            own = self.domains.setdefault(name, Figures(self.task, self.split, name))
            own.count(item, accepted)
        if item["label"] == "good":
            self.good += 1
            self.good_accepted += accepted
            return
        self.bad += 1
        self.bad_accepted += accepted
        caught_total = self.kinds.setdefault(item["kind"], [0, 0])
        caught_total[0] += not accepted
        caught_total[1] += 1
        if accepted and item["kind"] in MUST_CATCH:
            self.missed.append(item["id"])

    @property
    def precision(self) -> float:
        accepted = self.good_accepted + self.bad_accepted
        return self.good_accepted / accepted if accepted else 0.0

    @property
    def recall(self) -> float:
        return self.good_accepted / self.good if self.good else 0.0

    @property
    def meets_targets(self) -> bool:
        return not self.missed and self.recall >= MIN_GOOD_ACCEPTED

    def as_dict(self) -> dict:
        """The figures as JSON; ``recall`` is the share of good items accepted, ``caught`` the
        caught and total bad items per kind; ``domains`` the same per domain."""
        out = {
            "task": self.task, "split": self.split, "good": self.good, "bad": self.bad,
            "good_accepted": self.good_accepted, "bad_accepted": self.bad_accepted,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4),
            "catch_rate": {k: round(c / n, 4) for k, (c, n) in sorted(self.kinds.items())},
            "caught": {k: [c, n] for k, (c, n) in sorted(self.kinds.items())},
            "missed": self.missed, "meets_targets": self.meets_targets,
        }
        if self.domain != "all":
            out = {"domain": self.domain, **out}
            del out["task"], out["split"]
        else:
            out["domains"] = {name: f.as_dict() for name, f in sorted(self.domains.items())}
        return out


def load_items(folder: Path, task: str | None = None) -> list[dict]:
    """The items of every ``.jsonl`` file in ``folder`` (only ``task``'s when given), in file
    name order.

    Raises:
        FileNotFoundError: no such file in ``folder``, or no item of ``task`` in them.
    """
    items = []
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            items += [json.loads(line) for line in handle if line.strip()]
    items = [i for i in items if task is None or i["task"] == task]
    if not items:
        raise FileNotFoundError(f"no labelled set (*.jsonl with {task or 'any'} items) in {folder}")
    return items


def learn_domains(items: list[dict], cfg: JobConfig) -> AttributeDomains:
    """The categorical attribute domains and the names of the items' inputs: the labelled set's
    catalog."""
    inputs = [item.get("inputs") or {} for item in items]
    pairs = [
        (key, value)
        for raw in inputs
        for key, value in (raw.get("attributes") or {}).items()
        if value is not None
    ]
    return AttributeDomains.learn(
        pairs,
        brands=[raw.get("brand") for raw in inputs],
        titles=[raw.get("title") for raw in inputs],
        max_values=cfg.quality.max_domain_values,
        max_names=cfg.quality.max_catalog_names,
    )


def score_item(
    item: dict, cfg: JobConfig, domains: AttributeDomains | None = None,
    brands: BrandIndex | None = None,
):
    """Score one labelled item as the job would score the same output, with the catalog's
    ``domains`` (see :func:`learn_domains`) and, for search ads, ``brands``. An item of a task
    with ``output: search_ad`` holds ``ad`` (headlines, descriptions, path1, path2) in place of
    ``text`` and is scored by :func:`enrich.quality.gate.score_ad`.

    Raises:
        KeyError: the item names a task the configuration does not declare.
    """
    spec = cfg.tasks[item["task"]]
    raw = item["inputs"]
    inputs = ScoreInputs(
        title=raw.get("title"), brand=raw.get("brand"), category=raw.get("category"),
        attributes=dict(raw.get("attributes") or {}), reviews=tuple(raw.get("reviews") or ()),
        mean_rating=raw.get("mean_rating"),
    )
    if spec.output == "search_ad":
        return score_ad(
            SearchAd.from_mapping(item["ad"]), cfg=cfg.quality, inputs=inputs,
            mean_logprob=item.get("mean_logprob"), domains=domains,
            brands=brands if brands is not None else BrandIndex.of(()),
        )[0]
    return score_text(
        item["text"], item.get("references"), bounds=(spec.min_words, spec.max_words),
        cfg=cfg.quality, inputs=inputs, mean_logprob=item.get("mean_logprob"), checks=spec.checks,
        stopped_at_limit=item.get("stopped_at_limit"), domains=domains,
    )


def evaluate(items: list[dict], cfg: JobConfig) -> list[Figures]:
    """The gate's figures per task, per split and over all splits (split ``all``).

    Args:
        items: labelled items (see :func:`load_items`).
        cfg: the job configuration whose gate is evaluated.

    Returns:
        One :class:`Figures` per (task, split), ``all`` last for each task, each with the
        figures per domain.
    """
    figures: dict[tuple[str, str], Figures] = {}
    domains = learn_domains(items, cfg)
    brands = BrandIndex.of(
        str(b) for b in ((i.get("inputs") or {}).get("brand") for i in items) if b
    )
    for item in items:
        accepted = score_item(item, cfg, domains, brands).status == S.ACCEPTED
        for split in (item.get("split") or "all", "all") if item.get("split") else ("all",):
            f = figures.setdefault((item["task"], split), Figures(item["task"], split))
            f.count(item, accepted)
    order = defaultdict(list)
    for (task, split), f in sorted(figures.items(), key=lambda kv: (kv[0][0], kv[0][1] == "all", kv[0][1])):
        order[task].append(f)
    return [f for task in sorted(order) for f in order[task]]


def _rate(caught: int, total: int) -> str:
    return f"{caught}/{total}" if total else "-"


def render(figures: list[Figures]) -> str:
    """The figures as a plain-text table for the terminal: per task and split, then per domain,
    then the catch rate per bad kind and domain."""
    lines = [f"{'task':<16}{'split':<7}{'good':>6}{'bad':>6}{'precision':>11}{'recall':>8}  targets"]
    for f in figures:
        lines.append(
            f"{f.task:<16}{f.split:<7}{f.good:>6}{f.bad:>6}{f.precision:>11.3f}{f.recall:>8.3f}  "
            + ("met" if f.meets_targets else "MISSED")
        )
    for f in figures:
        if f.split != "all":
            continue
        lines.append("")
        lines.append(f"{f.task}: catch rate per bad kind (kept out of accepted)")
        for kind, (caught, total) in sorted(f.kinds.items()):
            mark = " *" if kind in MUST_CATCH else ""
            lines.append(f"  {kind:<22}{caught:>4}/{total:<4}{caught / total:>7.1%}{mark}")
        if f.missed:
            lines.append(f"  missed (must catch): {', '.join(f.missed)}")
    for task in dict.fromkeys(f.task for f in figures):
        splits = [f for f in figures if f.task == task]
        names = sorted({name for f in splits for name in f.domains})
        lines.append("")
        lines.append(f"{task}: per domain, good accepted and bad caught (kept out of accepted); "
                     f"precision and recall over the {splits[-1].split} split")
        lines.append(f"  {'domain':<14}" + "".join(
            f"{f.split + ' good':>14}{f.split + ' bad':>14}" for f in splits
        ) + f"{'precision':>11}{'recall':>8}")
        for name in names:
            cells = []
            for f in splits:
                d = f.domains.get(name, Figures(task, f.split, name))
                cells.append(f"{_rate(d.good_accepted, d.good):>14}"
                             f"{_rate(d.bad - d.bad_accepted, d.bad):>14}")
            last = splits[-1].domains.get(name, Figures(task, splits[-1].split, name))
            lines.append(f"  {name:<14}" + "".join(cells)
                         + f"{last.precision:>11.3f}{last.recall:>8.3f}")
        for f in splits:
            if f.split not in ("test", "all") or len(names) < 2:
                continue
            lines.append(f"  {task}, split {f.split}: caught per bad kind and domain")
            lines.append(f"    {'kind':<22}" + "".join(f"{n[:11]:>12}" for n in names))
            for kind in sorted(f.kinds):
                mark = " *" if kind in MUST_CATCH else ""
                lines.append(f"    {kind:<22}" + "".join(
                    f"{_rate(*f.domains[n].kinds.get(kind, (0, 0))) if n in f.domains else '-':>12}"
                    for n in names
                ) + mark)
    lines.append("")
    lines.append(f"* must catch all; targets: those, and recall (good accepted) >= {MIN_GOOD_ACCEPTED:.0%}")
    return "\n".join(lines)
