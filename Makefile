# The two commands of the README's Quick start, and what they need. Works on a fresh machine with
# Python 3.11 or newer: the virtual environment is created (or refreshed) as needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format clean catalogs compiled-catalogs

demo: compiled-catalogs
	$(BIN)/python -m bot demo

test: compiled-catalogs
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The message catalogs (bot/i18n/locale/<language>/LC_MESSAGES/<part>.po): take in the keys the code uses
# (new ones arrive empty in every language, and the catalog tests fail until they are written), then compile.
catalogs: $(STAMP)
	$(BIN)/python -m bot.i18n.catalogs update compile

# The .mo files are built, not committed: compiling them all takes a fraction of a second.
compiled-catalogs: $(STAMP)
	$(BIN)/python -m bot.i18n.catalogs compile

$(STAMP): pyproject.toml setup.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Netwerkbot needs Python 3.11 or newer (set PYTHON=python3.11)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
