# Every target sets up .venv first (scripts/setup.sh: requirements.lock; test and lint add requirements-test.lock);
# a bare `make` lists them.
.DEFAULT_GOAL := help
PY := .venv/bin/python
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# nbval's workers: one per core (a kernel's start no longer waits 0.2 s for IOPub to fall silent, which two more
# workers than the cores had filled: on 2 cores 2 workers now beat 4 in six paired runs of six, 7.03 s against 7.49)
NBVAL_JOBS ?= $(JOBS)
# nbval's run also leaves out anyio's pytest plugin (installed with jupyter_client's dependencies) and pytest's
# assert rewriting: no notebook uses either, and each cost every one of its four pytest processes about 0.1 s
# (the plugins' modules are rewritten again in each process where PYTHONDONTWRITEBYTECODE is set)
# seconds a notebook's kernel may take to start under nbval (its default, 60, was once too short under load)
KERNEL_START_TIMEOUT ?= 180
SOURCE ?= ../shared/source/000_2bd6ca4ad038a17f.txt
export REPORT_SOURCE ?= $(abspath $(SOURCE))
export CITY_SOURCE ?= $(abspath ../shared/source/jinan_2022_communique_excerpt.txt)
# the extractor `make bench` times this one against: the last revision with the one-module extractor (src/helpers/extract.py)
BENCH_AGAINST ?= 3971f9e

.PHONY: help setup setup-test report test lint notebooks lab validate bench clean
#: What `make lint` checks (the whole tree by default).
LINT_PATHS ?= .

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## create .venv with what the notebooks and the site need (requirements.lock, fonts-noto-cjk)
	@bash scripts/setup.sh

setup-test: ## also install what the tests add (requirements-test.lock, Chromium)
	@bash scripts/setup.sh --test

report: setup ## the main job: validate data/, execute what changed (zh and en), publish build/site, build/notebooks, build/*.csv
	@$(PY) -m helpers validate
	@$(PY) -m helpers run --jobs $(JOBS)

test: setup-test ## run every test: lint (ruff, mypy), units, loader, audit, relations, notebooks (nbval strict + papermill), site in Chromium
	@$(PY) -m ruff check .
	@$(PY) -m ruff format --check .
	@$(PY) -m mypy
	@$(PY) -m pytest -n $(JOBS) --dist loadscope -p no:cacheprovider tests
	@$(PY) -m pytest -n $(NBVAL_JOBS) --dist loadscope --no-loadscope-reorder -p no:cacheprovider -p no:anyio --assert=plain --nbval --nbval-kernel-name helpers-forked --nbval-kernel-startup-timeout $(KERNEL_START_TIMEOUT) notebooks

lint: setup-test ## ruff check, ruff format --check and mypy (pinned in requirements-test.lock; configured in pyproject.toml)
	@$(PY) -m ruff check $(LINT_PATHS)
	@$(PY) -m ruff format --check $(LINT_PATHS)
	@$(PY) -m mypy

notebooks: setup ## re-execute the committed notebooks (00-08 and generic/) in place: outputs refreshed, metadata cleaned
	@$(PY) -m helpers run --refresh --jobs $(JOBS)
	@$(PY) -m helpers run --refresh --jobs $(JOBS) --notebooks notebooks/generic/*.ipynb

validate: setup ## audit a data package (DATA=DIR, default data) against its schema and source; exit 2 listing every problem
	@$(PY) -m helpers validate --data-dir $(or $(DATA),data)

lab: setup ## open the notebooks in JupyterLab, in the project's environment
	@$(PY) -m jupyter lab --notebook-dir=notebooks --ServerApp.contents_manager_class=helpers.build.lab.ContentsManager $(if $(filter 0,$(shell id -u)),--allow-root)

bench: setup-test ## measure the collection, the site's weight and the extractor, score the drafts of tests/journey/; writes bench/results.md
	@mkdir -p bench
	@{ echo "# Benchmarks"; echo; $(PY) bench/notebooks.py; echo; $(PY) bench/weights.py; echo; $(PY) bench/extract.py --against $(BENCH_AGAINST); echo; $(PY) bench/journey.py; } > bench/results.md.tmp
	@mv bench/results.md.tmp bench/results.md && cat bench/results.md

clean: ## remove build/ (the site, executed notebooks, tables and the cache of executed notebooks)
	rm -rf build
