# The two commands a fresh machine needs (Python 3.11, pip and make):
#   make serve  install everything into .venv and run the platform on http://127.0.0.1:8000/
#   make test   lint, type-check and run the whole test suite
# and one more: make demo scans the bundled sample posts with the command-line scanner.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve demo test lint install kernels clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The scanner's compiled loops, built ahead of time when a C compiler is at hand (a few seconds
# when they are current; without a compiler, Numba compiles them on first use instead).
kernels: $(STAMP)
	$(BIN)/python -m wildwatch.compiled.build --if-possible

install: $(STAMP) kernels

serve: $(STAMP) kernels
	$(BIN)/wildwatch serve

demo: $(STAMP) kernels
	@mkdir -p out
	$(BIN)/wildwatch lexicon check
	$(BIN)/wildwatch scan samples/posts.jsonl --all --out out/verdicts.jsonl
	@echo "verdicts written to out/verdicts.jsonl"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks data
	$(BIN)/mypy

test: lint kernels
	$(BIN)/pytest

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
