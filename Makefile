# Two commands matter: `make serve` and `make test`. Both bootstrap .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 4000
# Python's bytecode cache on, whatever the shell says: with it off, every
# process the tests start (hundreds: CLI runs, servers, the self-test's forks)
# compiles this project again and pytest rewrites its asserts again. A
# self-test run against one mutant took 3.2 s of CPU that way, 0.9 s with it.
unexport PYTHONDONTWRITEBYTECODE

GRAPHIQL_ASSETS := mock_server/web/graphiql
# The last file copied: newer than the lock file once the copy is complete.
GRAPHIQL_STAMP := $(GRAPHIQL_ASSETS)/yoga-graphiql.umd.js

.PHONY: install serve test lint typecheck format clean bench graphiql graphiql-if-npm

install: $(STAMP) graphiql-if-npm

# GraphiQL's own files (#16): without npm the page loads them from a CDN.
graphiql-if-npm:
	@if command -v npm >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory graphiql; \
	else \
	  echo "npm not found: GraphiQL will load from a CDN (make graphiql needs npm)"; \
	fi

# The package pinned by version and integrity in graphiql/package-lock.json;
# only the files the page uses are copied (not the 7 MB ES build). `npm ci`
# took 10 s of every fresh clone's `make test`, so its node_modules is kept
# once per lock file in the user's cache, as tests/js/npm.py keeps the test
# projects' (same folder, same key): a changed lock file is a new install.
graphiql: $(GRAPHIQL_STAMP)

NPM_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/smtp-custom-email-toolkit/npm
GRAPHIQL_KEY = graphiql-$(shell sha256sum graphiql/package-lock.json | cut -c1-16)
GRAPHIQL_CACHED = $(NPM_CACHE)/$(GRAPHIQL_KEY)
GRAPHIQL_DIST = $(GRAPHIQL_CACHED)/node_modules/@graphql-yoga/graphiql/dist

$(GRAPHIQL_STAMP): graphiql/package-lock.json
	@if [ ! -f $(GRAPHIQL_CACHED)/node_modules/.installed-from-lock-file ]; then \
	  rm -rf $(GRAPHIQL_CACHED).staging && mkdir -p $(GRAPHIQL_CACHED).staging && \
	  cp graphiql/package.json graphiql/package-lock.json $(GRAPHIQL_CACHED).staging/ && \
	  echo "npm ci (graphiql/package-lock.json) into $(GRAPHIQL_CACHED)" && \
	  (cd $(GRAPHIQL_CACHED).staging && \
	   npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) && \
	  touch $(GRAPHIQL_CACHED).staging/node_modules/.installed-from-lock-file && \
	  rm -rf $(GRAPHIQL_CACHED) && mv $(GRAPHIQL_CACHED).staging $(GRAPHIQL_CACHED); \
	fi
	rm -rf $(GRAPHIQL_ASSETS)
	mkdir -p $(GRAPHIQL_ASSETS)/monacoeditorwork
	cp $(GRAPHIQL_DIST)/monacoeditorwork/*.js $(GRAPHIQL_ASSETS)/monacoeditorwork/
	cp $(GRAPHIQL_DIST)/graphiql.css $(GRAPHIQL_DIST)/../LICENSE $(GRAPHIQL_ASSETS)/
	cp $(GRAPHIQL_DIST)/yoga-graphiql.umd.js $(GRAPHIQL_ASSETS)/

# Re-installs only when the project's metadata changes. uv installs the same
# versions as pip from the same index (PyPI), in 2 s where pip took 17 s of
# every fresh clone's `make test`; pip takes over if uv cannot be had.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv && \
	  $(BIN)/uv pip install --python $(BIN)/python --quiet -e '.[dev]' || \
	  $(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

serve: install
	$(BIN)/smtp-mock serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

# mypy's cache is checked against each file's hash, so one cache serves every
# checkout: a fresh clone type-checks in seconds instead of a minute.
MYPY_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/smtp-custom-email-toolkit/mypy

typecheck: install
	$(BIN)/mypy --cache-dir $(MYPY_CACHE) mock_server contracts tests docs bench

# Two pytest workers a core: most test files spend their time waiting on
# servers, subprocesses, Node and Retry-After pauses, and while one waits the
# other uses the core.
TEST_WORKERS ?= $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) )))

test: lint typecheck
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir site
	rm -f .coverage .coverage.*
	$(BIN)/coverage run -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder
	$(BIN)/coverage combine --quiet
	$(BIN)/coverage report

# The documentation site (docs/, mkdocs.yml) into site/; `make test` builds it too.
.PHONY: docs
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# Benchmarks never run in `make test`. BENCH_QUICK=1 finishes in under 2 minutes.
bench: install
	$(BIN)/python -m bench.run $(if $(BENCH_QUICK),--quick,)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .coverage .mypy_cache .ruff_cache .pytest_cache
	rm -rf graphiql/node_modules $(GRAPHIQL_ASSETS)
