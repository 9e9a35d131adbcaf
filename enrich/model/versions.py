"""Plain-text views of the registry for ``catalog-enrich models list|show``."""

from __future__ import annotations

import json

from enrich.model.registry import Registry


def _loss(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def render_versions(registry: Registry) -> str:
    """One line per version, oldest first; ``*`` marks the current one."""
    versions = registry.versions()
    if not versions:
        return f"no versions in {registry.location} (train one with `catalog-enrich train`)"
    current = registry.current()
    lines = [f"  {'version':<8} {'created':<26} {'base':<22} {'examples':>9} {'val loss':>9}  "
             "held-out chrF (tuned / base)"]
    for version in versions:
        manifest = registry.manifest(version)
        training = manifest.get("training", {})
        examples = sum(training.get("examples", {}).get("train", {}).values())
        evaluation = registry.evaluation(version)
        chrf = "not evaluated"
        if evaluation:
            chrf = ", ".join(
                f"{task} {dataset} {s['tuned']['chrf']:.1f} / {s['base']['chrf']:.1f}"
                for task, datasets in evaluation["scores"].items()
                for dataset, s in datasets.items()
                if "tuned" in s and "base" in s
            )
        mark = "*" if version == current else " "
        lines.append(
            f"{mark} {version:<8} {manifest.get('created_at', '-'):<26} "
            f"{manifest['base']['id']:<22} {examples:>9} {_loss(training.get('eval_loss')):>9}  {chrf}"
        )
    return "\n".join(lines)


def render_manifest(registry: Registry, version: str) -> str:
    """A version's manifest and its latest evaluation, as indented JSON."""
    version = registry.resolve(version)
    shown = {"manifest": registry.manifest(version), "current": registry.current() == version}
    evaluation = registry.evaluation(version)
    if evaluation:
        shown["evaluation"] = evaluation
    return json.dumps(shown, indent=2, sort_keys=True)
