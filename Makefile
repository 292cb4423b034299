# Shortcuts for people who have make. The README's commands are `python3 run.py lab` and
# `python3 run.py test`, which need nothing but Python.
PYTHON ?= python3

.PHONY: lab test bench lint format refresh-lessons clean

lab:
	$(PYTHON) run.py lab

test:
	$(PYTHON) run.py test

bench:
	.venv/bin/python bench/bench_detectors.py
	.venv/bin/python bench/bench_reanchor.py
	.venv/bin/python bench/bench_classview.py
	.venv/bin/python bench/bench_report.py
	.venv/bin/python bench/bench_compare.py

lint:
	.venv/bin/python -m ruff check kit tests bench scripts run.py conftest.py
	.venv/bin/python -m ruff format --check kit tests bench scripts run.py conftest.py

format:
	.venv/bin/python -m ruff format kit tests bench scripts run.py conftest.py

refresh-lessons:
	.venv/bin/python scripts/refresh_lessons.py lessons/*.ipynb

clean:
	rm -rf .venv .pytest_cache .ruff_cache build dist
