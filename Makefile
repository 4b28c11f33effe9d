# Set-up and everyday commands. Each target makes .venv and installs the project into it first
# if that has not been done (or pyproject.toml has changed since), so a fresh clone needs only
# Python 3.11 and the package registries.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The port `make run` serves on: `make run PORT=5055`.
PORT ?= 5000

.PHONY: install run test lint format bench clean web-assets browser audit mutation

install: $(INSTALLED)

# WeasyPrint (letters as PDF) needs Pango and HarfBuzz from the operating system: install them
# from Debian's packages when they are missing and we may (root with apt-get).
SYSTEM_LIBRARIES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

# pip says one line a package it fetches ("Collecting ..."), and whether it succeeded; all it
# says is kept in .venv/pip.log, whose end is shown if it fails (bash's pipefail sees pip fail).
$(INSTALLED): SHELL := /bin/bash
$(INSTALLED): .SHELLFLAGS := -o pipefail -c

$(INSTALLED): pyproject.toml
	@if ! ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || ! ldconfig -p | grep -q 'libharfbuzz-subset.so.0'; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Pango and HarfBuzz from Debian's packages, for PDF letters..."; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_LIBRARIES) >/dev/null; \
	  else echo "note: install $(SYSTEM_LIBRARIES) for PDF letters"; fi; \
	fi
	@test -x $(BIN)/python || { echo "Creating the virtual environment $(VENV)..."; $(PYTHON) -m venv $(VENV); }
	@echo "Installing Python packages into $(VENV) (the first run takes about a minute)..."
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --progress-bar off -e '.[dev]' 2>&1 | tee $(VENV)/pip.log \
	  | { grep --line-buffered -E '^(Collecting|Successfully installed)' || true; } \
	  || { echo "pip failed; the end of $(VENV)/pip.log:"; tail -n 30 $(VENV)/pip.log; exit 1; }
	@touch $(INSTALLED)

# The web front end's browser assets: the GOV.UK Design System and Mermaid from the npm registry
# (web/frontend/package-lock.json pins them), copied into web/static; rebuilt when the package
# files change or the copy is missing. Node and npm come from Debian's packages if missing.
WEB_FRONTEND := web/frontend
WEB_ASSETS := web/static/govuk/.built

web-assets: $(WEB_ASSETS)

$(WEB_ASSETS): $(WEB_FRONTEND)/package.json $(WEB_FRONTEND)/package-lock.json
	@if ! command -v npm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Node.js and npm from Debian's packages..."; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "install Node.js and npm to build the web assets" >&2; exit 1; fi; \
	fi
	@echo "Installing the GOV.UK Design System and Mermaid from the npm registry..."
	cd $(WEB_FRONTEND) && npm ci --no-audit --no-fund --loglevel=error
	rm -rf web/static/govuk web/static/vendor
	mkdir -p web/static/govuk web/static/vendor
	cp $(WEB_FRONTEND)/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css \
	   $(WEB_FRONTEND)/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js web/static/govuk/
	cp -R $(WEB_FRONTEND)/node_modules/govuk-frontend/dist/govuk/assets web/static/govuk/assets
	cp $(WEB_FRONTEND)/node_modules/mermaid/dist/mermaid.min.js web/static/vendor/
	@touch $@

# The browser tests drive Debian's chromium: install it when it is missing and we may (root with
# apt-get), as for Pango above; without it they fail rather than skip.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: install Debian's chromium for the browser tests" >&2; fi; \
	fi

# Install, create the SQLite database under instance/, load the demo council (once), sweep its
# deadlines for alerts, and start the web front end on http://127.0.0.1:$(PORT) (waitress, with
# a scheduler embedded in the same process: only here; production runs `complaints scheduler`
# beside gunicorn), printing a demo sign-in for each role.
run: install web-assets
	@echo "Creating or upgrading the database..."
	@$(BIN)/complaints init-db
	@echo "Loading the demo council, unless it is there already..."
	@$(BIN)/complaints demo-data --if-empty
	@echo "Sweeping the deadlines for alerts..."
	@$(BIN)/complaints alerts sweep
	COMPLAINTS_SECURE_COOKIES=0 $(BIN)/python -m web.serve --demo-mail --port $(PORT)

test: install web-assets browser
	$(BIN)/pytest

# Known vulnerabilities in the installed dependencies, from PyPI's advisory data (the Python
# Packaging Advisory Database). Fails when any is found; a release PyPI does not know (a private
# mirror's build) is listed as not audited.
audit: install
	$(BIN)/pip-audit --skip-editable --progress-spinner off --desc off

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install web-assets
	$(BIN)/python benchmarks/bench_cli.py
	$(BIN)/python benchmarks/bench_calendar.py
	$(BIN)/python benchmarks/bench_lifecycle.py
	$(BIN)/python benchmarks/bench_sweep.py
	$(BIN)/python benchmarks/bench_web.py
	$(BIN)/python benchmarks/bench_reports.py

# Mutation testing of the deadline rules (docs/mutation-testing.md): mutmut changes effects,
# timers, holds and the workflow engine one small change at a time in a copy under mutants/, and
# runs the tests that reach each change ([tool.mutmut] in pyproject.toml); a change no test
# notices is listed at the end as survived. Runs again only what changed since the last run.
MUTATION_WORKERS ?= 2

mutation: install
	$(BIN)/mutmut run --max-children $(MUTATION_WORKERS)
	$(BIN)/mutmut export-cicd-stats
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache .hypothesis \
	  web/static/govuk web/static/vendor $(WEB_FRONTEND)/node_modules test-artefacts mutants
