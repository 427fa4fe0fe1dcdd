# Two commands for a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit install clean audit lock

LOCK := requirements/lock.txt
PIP_LOCK := requirements/pip.txt
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check

# Dependencies come from the lock file only (pinned, hashed); microcred itself then installs
# without dependencies, built by the locked setuptools.
$(STAMP): pyproject.toml $(LOCK) $(PIP_LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --require-hashes -r $(PIP_LOCK)
	$(PIP_INSTALL) --require-hashes --no-deps -r $(LOCK)
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
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

# Re-resolve the lock file after changing dependencies in pyproject.toml (needs network).
UV_COMPILE := $(BIN)/uv pip compile --universal --python-version 3.11 --generate-hashes --upgrade --quiet

lock: $(STAMP)
	$(PIP_INSTALL) 'uv>=0.4'
	$(UV_COMPILE) requirements/pip.in -o $(PIP_LOCK)
	$(UV_COMPILE) pyproject.toml requirements/build.in --extra dev -o $(LOCK)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
