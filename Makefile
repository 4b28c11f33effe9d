# Set-up and everyday commands. Each target makes .venv and installs the project into it first
# if that has not been done (or pyproject.toml has changed since), so a fresh clone needs only
# Python 3.11 and the package registries.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install run test lint format bench clean

install: $(INSTALLED)

# WeasyPrint (letters as PDF) needs Pango and HarfBuzz from the operating system: install them
# from Debian's packages when they are missing and we may (root with apt-get).
SYSTEM_LIBRARIES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

$(INSTALLED): pyproject.toml
	@if ! ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || ! ldconfig -p | grep -q 'libharfbuzz-subset.so.0'; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_LIBRARIES) >/dev/null; \
	  else echo "note: install $(SYSTEM_LIBRARIES) for PDF letters"; fi; \
	fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(INSTALLED)

# Install, create the SQLite database under instance/, load the demo council (once), sweep its
# deadlines for alerts, and start the product: for now the daily work queue of every officer.
run: install
	$(BIN)/complaints init-db
	$(BIN)/complaints demo-data --if-empty
	$(BIN)/complaints alerts sweep
	$(BIN)/complaints queue

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python benchmarks/bench_calendar.py
	$(BIN)/python benchmarks/bench_lifecycle.py
	$(BIN)/python benchmarks/bench_sweep.py
	$(BIN)/python benchmarks/bench_reports.py

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache .hypothesis
