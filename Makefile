# catalog-enrich: `make run` runs the job on the embedded default; `make test` runs the tests.
# Both create .venv and install the package the first time, and reuse it afterwards.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST := $(BIN)/python -m pytest

.PHONY: run test test-slow test-all dist config-reference java install clean clean-data

run: java $(STAMP)
	$(BIN)/catalog-enrich quickstart

test: java $(STAMP)
	$(PYTEST) -m "not slow and not gpu"

test-slow: java $(STAMP)
	$(PYTEST) -m "slow"

test-all: java $(STAMP)
	$(PYTEST) -m "not gpu"

install: $(STAMP)

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
	$(BIN)/python -m pip install -e ".[test]"
	@touch $(STAMP)

clean-data:
	rm -rf warehouse models

clean: clean-data
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
