# Two commands matter: `make serve` and `make test`. Both bootstrap .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 4000

.PHONY: install serve test lint typecheck format clean bench

install: $(STAMP)

# Re-installs only when the project's metadata changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

serve: install
	$(BIN)/smtp-mock serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy mock_server contracts tests

test: lint typecheck
	rm -f .coverage .coverage.*
	$(BIN)/coverage run -m pytest
	$(BIN)/coverage combine --quiet
	$(BIN)/coverage report

# Benchmarks never run in `make test`. BENCH_QUICK=1 finishes in under 2 minutes.
bench: install
	$(BIN)/python -m bench.run $(if $(BENCH_QUICK),--quick,)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .coverage .mypy_cache .ruff_cache .pytest_cache
