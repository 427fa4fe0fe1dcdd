# Two commands for a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit install clean audit

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/microcred db upgrade
	$(BIN)/microcred serve

CODE := bot storage tests $(wildcard benchmarks)

lint: $(STAMP)
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck unit

# Known vulnerabilities in the installed dependencies (needs network; not part of `make test`).
audit: $(STAMP)
	$(BIN)/pip install --quiet 'pip-audit>=2.7'
	$(BIN)/pip-audit --skip-editable

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
