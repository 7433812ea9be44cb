# cpevents: two commands on a fresh machine.
#   make run   serve the app with demo data on SQLite, plus a local mail viewer
#   make test  install everything the tests need and run the whole suite
#   make lock  re-pin requirements/*.lock after changing dependencies in pyproject.toml
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: run test lint lock install install-test browser assets bench bench-pages bench-tools clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Every dependency (the app's, the tests' and the linters') comes pinned, with its hashes, from
# requirements/dev.lock; then the app itself, without letting pip choose anything else.
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/dev.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

# The app refuses to start without CPEVENTS_ENV: `make run` is the development settings (demo data,
# a public secret key) and `make test` the test ones, each asked for here.
run: export CPEVENTS_ENV = development
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@echo "Open http://127.0.0.1:5000 – read the email the app sends at http://127.0.0.1:1080"
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/python -m cpevents.devmail & \
	$(BIN)/flask outbox work & \
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# Ruff, mypy and the layers contract (import-linter), all configured in pyproject.toml.
lint: install
	$(BIN)/ruff check cpevents tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

# The lock files, from pyproject.toml: requirements/dev.lock (runtime, test and lint) for make
# install and CI, requirements/app.lock (runtime only) for the container and the wheel smoke test.
# app.lock starts from dev.lock so both pin the same versions. Pins stay as they are unless
# pyproject.toml needs otherwise: `make lock LOCK_ARGS=--upgrade` (everything) or
# `LOCK_ARGS="--upgrade-package flask"` moves them on.
PIP_COMPILE = $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock: $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(PIP_COMPILE) --extra test --extra lint -o requirements/dev.lock pyproject.toml
	cp requirements/dev.lock requirements/app.lock
	$(PIP_COMPILE) -o requirements/app.lock pyproject.toml

# Headless Chromium from Debian for the browser tests (never a browser downloaded by a test tool).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi; }

test: export CPEVENTS_ENV = test
test: install browser
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

# Rebuild cpevents/static/ from the pinned npm packages (the output is committed).
assets:
	npm ci --no-audit --no-fund && npm run build

# wrk, the load generator of the throughput benches (not needed by the tests), from Debian like chromium.
bench-tools:
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; fi; }

bench: install bench-tools
	$(BIN)/python bench/http_bench.py

# Every page as every demo role sees it: p50/p95 and SQL statements per request (issue 19).
# make bench-pages BENCH_ARGS="--postgres --scale 10"
bench-pages: install
	$(BIN)/python bench/pages_bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance/*.sqlite3 .pytest_cache
