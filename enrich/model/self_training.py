"""Self-training data for a search-ad task: the model's own sampled ads, kept only where the gate
accepts them.

No public data pairs products with ad copy, so the adapter learnt descriptions and summaries
from human texts and writes description sentences when asked for an ad: few of its clauses fit
a headline (``bench/RESULTS.md``). A self-training round teaches it the ad's form from its own
work, with the gate as the judge:

1. **sample**: for each product of the training split, ``samples`` texts from the current
   version with the task's prompt (temperature and nucleus sampling, transformers' ``generate``);
2. **read**: every text is read for candidates (:func:`enrich.ad_assets.model_candidates`; a
   text cut at the token limit only up to its last finished line); a candidate is kept only
   when :func:`plausible` (it names something of the product's, and every word of it is one of
   the catalog's human texts or the product's fields: a misspelling of sampling is neither),
   and the candidates of all samples are ranked by how many samples wrote them, then by first
   appearance: what the model writes again and again comes first;
3. **assemble and gate**: the ad is assembled from those candidates alone, with no field filled
   in (:func:`enrich.ad_assets.assemble_ad` with ``fields=False``), and scored by the job's own
   gate (:func:`enrich.quality.gate.score_ad`); it is kept only when it is ``accepted`` with at
   least the rules' minimum headlines and descriptions;
4. **write**: the kept ads, written as the prompt asks for them (headlines one a line, then the
   descriptions), go into a Delta table keyed by ``product_id`` that the task names as its
   ``reference_table`` for the next ``catalog-enrich train``.

Products of the validation and test splits are never sampled, so the round's held-out figures
stay held out.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from datetime import datetime, timezone

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from enrich import schemas as S
from enrich.ad_assets import Candidate, assemble_ad, finished_part, model_candidates
from enrich.config import AdRulesConfig, JobConfig
from enrich.model.corpus import TRAIN, split_of
from enrich.model.loading import default_device, load_for_cpu, load_model, load_tokenizer
from enrich.model.registry import Registry
from enrich.model.trainer import TrainingDataError
from enrich.quality.ads import BrandIndex, content_words
from enrich.quality.domains import AttributeDomains
from enrich.quality.gate import score_ad
from enrich.quality.inputs import ScoreInputs
from enrich.sources import read_sources
from enrich.tables import overwrite
from enrich.tasks import PromptError, SkipRow, Task, enabled_tasks

log = logging.getLogger(__name__)

DEFAULT_COLUMN = "ad_text"  # the target column when the task names no reference_column
_WORD = re.compile(r"[^\W\d_]{2,}+")  # the words plausibility reads: letters only


@dataclass(frozen=True)
class SamplingSettings:
    """How the candidates are sampled."""

    samples: int = 8
    temperature: float = 0.8
    top_p: float = 0.95
    seed: int = 1234
    batch_products: int = 4  # products per generate call (samples x this many sequences)


def plausible(text: str, inputs: ScoreInputs, vocabulary: frozenset[str]) -> bool:
    """Whether a sampled candidate may teach: it names something of the product's own (a content
    word of its fields: "A quick guess" says nothing of it), and every word of it is one the
    human texts use or the product's fields have (a misspelling of sampling, "hikimches", is
    neither).

    Example:
        >>> inputs = ScoreInputs(title="Trek Bottle", attributes={"capacity": "500 ml"})
        >>> [plausible(t, inputs, frozenset({"a", "for", "daily", "hydration", "holds"}))
        ...  for t in ("Holds 500 ml", "A quick guess", "A bottle for daily hikimches")]
        [True, False, False]
    """
    own = inputs.product_text().lower()
    own_words = set(_WORD.findall(own))
    said = _WORD.findall(text.lower())
    if not content_words(text) & content_words(own):
        return False
    return all(w in vocabulary or w in own_words for w in said)


def ranked_candidates(
    texts: list[str], rules: AdRulesConfig, *, keep: Callable[[str], bool] | None = None
) -> tuple[list[Candidate], list[Candidate]]:
    """Headline and description candidates of all ``texts`` that ``keep`` (when given) accepts,
    most often written first (ties: first written first), each once: what the model writes
    again and again is what it means.

    Example:
        >>> heads, _ = ranked_candidates(["Quiet fan. In grey.", "In grey. Easy to clean."],
        ...                              AdRulesConfig())
        >>> [c.text for c in heads]
        ['In grey', 'Quiet fan', 'Easy to clean']
    """
    read = [model_candidates(text, rules) for text in texts]  # each text read once
    kinds: tuple[list[Candidate], list[Candidate]] = ([], [])
    for kind, ranked in enumerate(kinds):
        seen: Counter[str] = Counter()
        first: dict[str, Candidate] = {}
        for candidates in read:
            written = candidates[kind]
            for cand in {c.text.lower(): c for c in written}.values():  # once per sample
                if keep is not None and not keep(cand.text):
                    continue
                seen[cand.text.lower()] += 1
                first.setdefault(cand.text.lower(), cand)
        order = {key: i for i, key in enumerate(first)}
        ranked.extend(
            first[k] for k in sorted(first, key=lambda k: (-seen[k], order[k]))
        )
    return kinds


def pick_ad(
    texts: list[str],
    inputs: ScoreInputs,
    cfg: JobConfig,
    task: Task,
    *,
    fits: Callable[[str], bool] = lambda text: True,
    vocabulary: frozenset[str] | None = None,
    domains: AttributeDomains | None = None,
    brands: BrandIndex | None = None,
) -> str | None:
    """The training text for one product from its sampled ``texts``: the ad assembled from the
    model's own candidates (each :func:`plausible` where a ``vocabulary`` is given), written as
    headlines one a line and then descriptions, or None when the gate does not accept it or it
    has fewer assets than the rules' minimum. ``fits`` tells whether a text fits what the model
    may write; headlines beyond the minimum, then descriptions, are left off until it does."""
    rules = cfg.quality.ad_rules
    # A candidate most samples write is judged once.
    keep = None if vocabulary is None else cache(lambda t: plausible(t, inputs, vocabulary))
    built = assemble_ad(
        ranked_candidates(texts, rules, keep=keep), inputs, rules, headlines=task.cfg.headlines,
        descriptions=task.cfg.descriptions, domains=domains, brands=brands or (), fields=False,
    )
    heads, descs = list(built.ad.headlines), list(built.ad.descriptions)
    # What the model is to learn must fit what it may write: the last headlines go first.
    while not fits("\n".join([*heads, *descs])):
        if len(heads) > rules.min_headlines:
            heads.pop()
        elif len(descs) > rules.min_descriptions:
            descs.pop()
        else:
            return None
    if len(heads) < rules.min_headlines or len(descs) < rules.min_descriptions:
        return None
    ad = replace(built.ad, headlines=tuple(heads), descriptions=tuple(descs))
    scores, _ = score_ad(ad, cfg=cfg.quality, inputs=inputs, domains=domains, brands=brands or ())
    if scores.status != S.ACCEPTED:
        return None
    return "\n".join([*heads, *descs])


MAX_VOCABULARY = 500_000  # most distinct words collected from the human texts


def human_vocabulary(sources, tasks: list[Task]) -> frozenset[str]:
    """The lower-case words (letters only, two or more) of the catalog's human texts: the
    products' reference columns of ``tasks`` and the reviews' bodies."""
    from pyspark.sql import types as T

    texts = []
    for column in dict.fromkeys(c for t in tasks for c in t.cfg.reference_columns):
        if column not in sources.products.columns:
            continue
        value = F.col(column)
        if isinstance(sources.products.schema[column].dataType, T.ArrayType):
            value = F.concat_ws(" ", value)
        texts.append(sources.products.select(value.alias("t")))
    if S.BODY in sources.reviews.columns:
        texts.append(sources.reviews.select(F.col(S.BODY).alias("t")))
    if not texts:
        return frozenset()
    union = texts[0]
    for frame in texts[1:]:
        union = union.unionByName(frame)
    words = (
        union.select(F.explode(F.split(F.lower("t"), r"[^\p{L}]+")).alias("w"))
        .where(F.length("w") >= 2).distinct().limit(MAX_VOCABULARY).collect()
    )
    return frozenset(r["w"] for r in words)


def _search_ad_task(cfg: JobConfig, tasks: list[Task], name: str) -> Task:
    task = {t.name: t for t in tasks}.get(name)
    if task is None or task.cfg.output != "search_ad":
        ads = [n for n, t in cfg.tasks.items() if t.output == "search_ad"]
        raise TrainingDataError(
            f"self-training needs an enabled task with output search_ad; {name!r} is not one "
            f"(search-ad tasks: {ads}; switch one on with --set tasks.<name>.enabled=true)"
        )
    return task


def self_training_table(cfg: JobConfig, name: str) -> tuple[str, str]:
    """The table and column the self-training texts of task ``name`` go to: the task's
    ``reference_table`` and ``reference_column``, else ``<name>_self_training`` and
    :data:`DEFAULT_COLUMN`."""
    spec = cfg.tasks[name]
    return (
        spec.reference_table or f"{name}_self_training",
        spec.reference_columns[0] if spec.reference_table else DEFAULT_COLUMN,
    )


def sample_texts(
    model, tokenizer, prompts: list[str], sampling: SamplingSettings, *, max_new_tokens: int
) -> list[list[str]]:
    """``sampling.samples`` texts for each prompt, sampled with transformers' ``generate``; a
    text cut at ``max_new_tokens`` is kept up to its last finished piece."""
    import torch

    encoded = tokenizer(prompts, return_tensors="pt", padding=True,
                        add_special_tokens=False).to(model.device)
    with torch.no_grad():
        out = model.generate(
            **encoded, do_sample=True, temperature=sampling.temperature, top_p=sampling.top_p,
            num_return_sequences=sampling.samples, max_new_tokens=max_new_tokens,
            pad_token_id=tokenizer.pad_token_id,
        )
    generated = out[:, encoded["input_ids"].shape[1]:]
    texts = tokenizer.batch_decode(generated, skip_special_tokens=True)
    # A sequence that ended stopped on the end token and was padded after it; one cut did not.
    stops = {tokenizer.eos_token_id, tokenizer.pad_token_id}
    cut = [generated.shape[1] == max_new_tokens and int(row[-1]) not in stops for row in generated]
    texts = [finished_part(t) if c else t for t, c in zip(texts, cut)]
    n = sampling.samples
    return [texts[i * n:(i + 1) * n] for i in range(len(prompts))]


def build_self_training_set(
    spark: SparkSession,
    cfg: JobConfig,
    task_name: str,
    *,
    limit: int,
    sampling: SamplingSettings = SamplingSettings(),
) -> dict:
    """Sample, gate and write the self-training texts of a search-ad task (module docstring).

    Args:
        spark: the session (reads the source tables, writes the set).
        cfg: the job configuration; the model is ``model.version`` of the registry.
        task_name: the search-ad task.
        limit: most training-split products sampled (the first by product id).
        sampling: how many samples per product, and how they are drawn.

    Returns:
        Counts and where the set was written: products sampled, ads kept, their table.

    Raises:
        TrainingDataError: the task is no enabled search-ad task, no product is in the training
            split, or no sampled ad passed the gate.
    """
    import torch

    from enrich.enrichment import run_brands, run_domains

    started = time.perf_counter()
    tasks = enabled_tasks(cfg)
    task = _search_ad_task(cfg, tasks, task_name)
    table, column = self_training_table(cfg, task_name)
    # The set may not exist yet: read the sources without the task's reference table.
    bare = task.__class__(task.name, task.cfg.model_copy(
        update={"reference_table": None, "reference_column": None}), task.template_dirs)
    sources = read_sources(spark, cfg, [bare])
    rows = [
        r.asDict(recursive=True)
        for r in sources.work_rows(bare)
        .where(split_of(F.col(S.PRODUCT_ID), cfg.training) == TRAIN)
        .orderBy(S.PRODUCT_ID).limit(limit).collect()
    ]
    if not rows:
        raise TrainingDataError(
            "no product of the training split to sample (see training.*_fraction)"
        )
    registry = Registry(cfg.model.registry, cfg.model.name, cache_dir=cfg.model.cache_dir)
    ref = registry.ref(cfg.model.version, compute_dtype=cfg.model.compute_dtype)
    device = default_device()
    model = load_for_cpu(ref) if device == "cpu" else load_model(ref, device=device)
    tokenizer = load_tokenizer(ref.version_dir)
    domains = run_domains(cfg, [task], sources.products)
    brands = run_brands(cfg, [task], sources.products)
    vocabulary = human_vocabulary(sources, [t for t in tasks if t.cfg.output != "search_ad"])
    log.info("self-training %s: %d words of human texts to check samples against", task_name,
             len(vocabulary))

    prompts = []
    for row in rows:
        try:
            prompt = bare.build_prompt(row, tokenizer)
        except (PromptError, SkipRow):
            continue
        prompts.append((row[S.PRODUCT_ID], prompt.text, bare.score_inputs(row, prompt)))
    # A target leaves room for the end-of-text token within the task's max_new_tokens.
    room = task.cfg.max_new_tokens - 1

    def fits(text: str) -> bool:
        return len(tokenizer(text, add_special_tokens=False)["input_ids"]) <= room

    torch.manual_seed(sampling.seed)
    kept = []
    step = sampling.batch_products
    for start in range(0, len(prompts), step):
        batch = prompts[start:start + step]
        texts = sample_texts(model, tokenizer, [p for _, p, _ in batch], sampling,
                             max_new_tokens=task.cfg.max_new_tokens)
        for (product_id, _, inputs), own in zip(batch, texts):
            text = pick_ad(own, inputs, cfg, task, fits=fits, vocabulary=vocabulary,
                           domains=domains, brands=brands)
            if text is not None:
                kept.append((product_id, text))
        log.info("self-training %s: %d/%d products sampled, %d ads kept (%.0fs)", task_name,
                 min(start + step, len(prompts)), len(prompts), len(kept),
                 time.perf_counter() - started)
    if not kept:
        raise TrainingDataError(
            f"no sampled ad of {len(prompts)} products passed the gate; nothing written"
        )
    created = datetime.now(timezone.utc).replace(microsecond=0)
    frame = spark.createDataFrame(
        [(p, t, ref.model_version, sampling.samples, created) for p, t in kept],
        f"{S.PRODUCT_ID} string, {column} string, source_model_version string, samples int, "
        "created_at timestamp",
    )
    overwrite(frame, cfg.warehouse.table(table))
    return {
        "products": len(prompts), "kept": len(kept), "table": table, "column": column,
        "model_version": ref.model_version, "seconds": round(time.perf_counter() - started, 1),
    }
