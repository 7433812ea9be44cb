# cpevents: two commands on a fresh machine.
#   make run   serve the app with demo data on SQLite, plus a local mail viewer
#   make test  install everything the tests need and run the whole suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: run test lint install install-test browser assets bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
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

$(VENV)/.lint-installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,lint]'
	touch $@

# Ruff, mypy and the layers contract (import-linter), all configured in pyproject.toml.
lint: $(VENV)/.lint-installed
	$(BIN)/ruff check cpevents tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

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

bench: install
	$(BIN)/python bench/http_bench.py

clean:
	rm -rf $(VENV) instance/*.sqlite3 .pytest_cache
