# Two commands on a fresh machine: `make serve` and `make test`. Every target installs what it needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# Where readers reach the site: `build` writes it into the catalog and the RDF, `serve` is told the same.
PUBLIC_URL ?= $(or $(AIREGISTER_PUBLIC_URL),http://$(HOST):$(PORT)/)

.PHONY: install serve validate test test-services lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

serve: install
	AIREGISTER_PUBLIC_URL=$(PUBLIC_URL) $(VENV)/bin/airegister build --root . --out dist
	AIREGISTER_PUBLIC_URL=$(PUBLIC_URL) $(VENV)/bin/airegister serve --dist dist --host $(HOST) --port $(PORT)

validate: install
	$(VENV)/bin/airegister validate --root .

test: install
	$(PY) -m pytest

# Tests that need a tool or service from Debian's packages (wrk for load); the target installs what is missing.
# Like every test target, it fails when no test ran.
test-services: install
	@command -v wrk >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }
	@log=$$(mktemp); { $(PY) -m pytest -m services -p no:cacheprovider; echo $$? > $$log.rc; } 2>&1 | tee $$log; \
	status=$$(cat $$log.rc); \
	if [ "$$status" = 0 ] && ! grep -Eq '[0-9]+ passed' $$log; then echo "make test-services: no test ran" >&2; status=1; fi; \
	rm -f $$log $$log.rc; exit $$status

lint: install
	$(VENV)/bin/ruff check src tests benchmarks e2e
	$(VENV)/bin/ruff format --check src tests benchmarks e2e
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache --no-logo  # the dependency rules in pyproject.toml

bench: install
	$(PY) benchmarks/run.py $(BENCH_ARGS)

# Browser tests: Debian's Chromium (never a browser download) driven by Playwright, axe-core from npm.
.PHONY: e2e
e2e: install
	@test -x /usr/bin/chromium || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }
	@$(PY) -c 'import playwright' 2>/dev/null || $(PY) -m pip install --quiet 'playwright>=1.49'
	@test -d e2e/node_modules/axe-core || { cd e2e && if [ -f package-lock.json ]; then npm ci; else npm install; fi; }
	rm -rf e2e-artifacts
	@log=$$(mktemp); { $(PY) -m pytest e2e -p no:cacheprovider; echo $$? > $$log.rc; } 2>&1 | tee $$log; \
	status=$$(cat $$log.rc); \
	if [ "$$status" = 0 ] && ! grep -Eq '[0-9]+ passed' $$log; then echo "make e2e: no test ran" >&2; status=1; fi; \
	rm -f $$log $$log.rc; exit $$status

clean:
	rm -rf $(VENV) dist .pytest_cache .mypy_cache .ruff_cache
