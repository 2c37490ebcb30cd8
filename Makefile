# The two commands of the README: `make test` and `make lab`. Everything else is set-up they share.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
PYTEST_WORKERS ?= 2

.PHONY: test lab app install lint unit notebooks browser hub bench clean

test: install lint unit notebooks browser hub

# JupyterLab on the trainee's own copy of the lessons (python -m helpers start), never notebooks/.
lab: install
	$(BIN)/python -m helpers lab

# The course as web pages with no code (Voilà on 127.0.0.1), starting at the course index.
app: install
	$(BIN)/python -m helpers app

install: $(STAMP) $(LAB_SETTINGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's dependencies change.
$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# Lab interface in Chinese; no news prompt covering the notebook.
$(LAB_SETTINGS): $(STAMP) helpers/course/lab_settings.py
	$(BIN)/python -m helpers.course.lab_settings

lint: install
	$(BIN)/ruff check .

unit: install
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadscope tests --ignore=tests/browser --ignore=tests/hub

# The lessons record quiz progress: into a throwaway folder, not the user's own.
notebooks: install
	DOUDIAN_COURSE_PROGRESS=$$(mktemp -d) $(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadscope --nbval-lax --nbval-current-env \
	  --nbval-cell-timeout=120 -p no:cacheprovider notebooks

browser: install
	$(BIN)/pytest -q -rs tests/browser

# A cohort on one JupyterHub with real unix users (tests/hub/): runs under CI=true as root
# (or COURSE_HUB_TEST=1), skipped with the reason elsewhere. deploy/hub/setup.sh, which the test
# calls, installs the shared user environment and configurable-http-proxy into a cache folder.
hub: install
	$(BIN)/pytest -q -rsP -p no:cacheprovider tests/hub

bench: install
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis tests/browser/screenshots tests/hub/screenshots
