# Manassa: `make run` serves the app with demo data, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test test-db test-e2e bench lint messages migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]' --config-settings editable_mode=compat
	touch $@

run: $(VENV)/.installed
	$(BIN)/manassa migrate
	$(BIN)/manassa demo --if-empty
	@echo "Serving on http://127.0.0.1:$(PORT)  (mails: var/mail/*.eml and /admin/outbox)"
	$(BIN)/manassa serve --port $(PORT)

migrate: $(VENV)/.installed
	$(BIN)/manassa migrate

demo: $(VENV)/.installed
	$(BIN)/manassa demo --if-empty

# The whole suite; browser tests run when Chromium is installed and are reported as skipped
# (with the reason) when it is not. CI sets MANASSA_REQUIRE_BROWSER=1 to make a skip fail.
test: $(VENV)/.installed
	@if [ -z "$$MANASSA_CHROMIUM" ] && ! command -v chromium >/dev/null; then \
	  echo "NOTE: Chromium is not installed: the browser tests will be SKIPPED (apt-get install chromium)"; fi
	$(BIN)/pytest -q -ra

# Database-facing tests only (CI runs these again against PostgreSQL with TEST_DATABASE_URL).
test-db: $(VENV)/.installed
	$(BIN)/pytest -q -ra -m "not e2e"

test-e2e: $(VENV)/.installed
	$(BIN)/pytest -q -ra -m e2e

bench: $(VENV)/.installed
	$(BIN)/python -m bench

# mypy: core/ and the pure modules (strict for these: see [tool.mypy] in pyproject.toml)
MYPY_FILES := core judging/scoring.py judging/assignment.py awards/tabulation.py \
	awards/matching.py awards/voters.py awards/recount.py awards/bundle.py awards/timeline.py \
	awards/fraud.py \
	awards/vote_flags.py

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy $(MYPY_FILES)

messages: $(VENV)/.installed
	$(BIN)/manassa messages

clean:
	rm -rf $(VENV) var/manassa.sqlite3* tests/e2e/artifacts bench/results
