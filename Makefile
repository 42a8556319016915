# The two commands a fresh machine needs (Python 3.11, pip and make):
#   make demo   install everything into .venv and scan the bundled sample posts
#   make test   lint, type-check and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@mkdir -p out
	$(BIN)/wildwatch lexicon check
	$(BIN)/wildwatch scan samples/posts.jsonl --all --out out/verdicts.jsonl
	@echo "verdicts written to out/verdicts.jsonl"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks data
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
