# Two commands for a fresh machine with Python 3.10+:
#   make lab    set up (first time) and open the lessons in JupyterLab
#   make test   set up (first time) and run every test: unit, notebooks, real browser
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test setup lint format bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab lessons/

test: $(STAMP)
	$(BIN)/python -m ruff check kit tests bench
	$(BIN)/python -m pytest tests --nbval-lax lessons \
	    --nbval-sanitize-with tests/nbval_sanitize.cfg $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/python -m ruff check kit tests bench
	$(BIN)/python -m ruff format --check kit tests bench

format: $(STAMP)
	$(BIN)/python -m ruff format kit tests bench

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info
