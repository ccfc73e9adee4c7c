# 影楼管理系统 – developer tasks. `make` (or `make help`) lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv/bin
PY := $(VENV)/python
# `run` and `demo` use the zero-setup stack: SQLite and the filesystem Celery
# broker, which settings pick when DATABASE_URL / REDIS_URL are unset.
LOCAL_ENV := env -u DATABASE_URL -u REDIS_URL PYTHONUNBUFFERED=1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help venv run serve test lint format messages demo bench clean

help: ## List the targets
	@grep -E '^[a-zA-Z_.-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'

venv: .venv/.installed ## Create .venv and install requirements-dev.txt (again when it changes)

$(PY):
	python3 -m venv .venv

# Order-only on $(PY): re-creating python must not force a reinstall by itself.
.venv/.installed: requirements.txt requirements-dev.txt | $(PY)
	$(VENV)/pip install -q -r requirements-dev.txt
	touch $@

# HOST=0.0.0.0 (or this machine's address) lets tablets on the network open it; PORT=8000.
run: venv ## Run web + Celery worker + beat on SQLite (HOST=0.0.0.0 for tablets; Ctrl-C stops all)
	@HOST=$(HOST) PORT=$(PORT) scripts/run.sh

# The production stack on this machine, DEBUG off: needs DATABASE_URL, REDIS_URL,
# DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS (docs/deploy.md lists the rest).
serve: venv ## Production stack: migrate, collectstatic, gunicorn + worker + one beat (DEBUG off)
	@scripts/serve.sh

# One shell line, so the URLs printed by ensure-services.sh reach every step.
# They are captured before eval: `eval "$(cmd)"` alone would hide cmd's failure.
# pytest's own exit code decides, so "no tests collected" (5) fails too.
test: venv ## Start/check PostgreSQL + Redis, then ruff, the import contracts, mypy, migrations check and pytest
	@set -e; \
	services=$$(scripts/ensure-services.sh); \
	eval "$$services"; export DATABASE_URL REDIS_URL; \
	$(VENV)/ruff check .; \
	$(VENV)/ruff format --check .; \
	$(VENV)/lint-imports --no-cache; \
	$(VENV)/mypy; \
	$(PY) manage.py makemigrations --check --dry-run; \
	$(VENV)/pytest

lint: venv ## ruff check, ruff format --check and the import contracts (the layers)
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/lint-imports --no-cache

format: venv ## Reformat with ruff and apply ruff's safe fixes
	$(VENV)/ruff format .
	$(VENV)/ruff check --fix .

# scripts/messages.sh runs makemessages -l zh_Hans per catalogue (locale/ for
# the core, <app>/locale/ for each app), then compilemessages --ignore=.venv.
messages: venv ## Update and compile the zh_Hans translations
	scripts/messages.sh

demo: venv ## Migrate the local SQLite db and (re)load the demo data
	$(LOCAL_ENV) $(PY) manage.py migrate --noinput
	$(LOCAL_ENV) $(PY) manage.py seed_demo

# On PostgreSQL (as production; the search relies on its trigram indexes), on the server
# ensure-services.sh finds or starts. First the customer search in the "studio" database
# (the demo's branch sh1 filled to 200,000 couples; BENCH_ARGS="--branch sh2 --count 50000"),
# then the chain: python -m bench builds a chain of 20 branches and 5 years in its own
# database (BENCH_DB, studio_bench_chain; once, then reused: BENCH_REBUILD=1 builds it
# again), times every page of issue 11 against gunicorn with DEBUG off at 1 and 8 clients
# (BENCH_SECONDS each) and the periodic jobs, then runs a busy day on a throwaway copy (every
# branch's staff through the pages at once, BENCH_BUSY_SECONDS; errors and broken
# invariants fail it): var/bench/pages.json, jobs.json and busy.json.
BENCH_ARGS ?= --branch sh1
bench: venv ## Time the customer search, the chain's pages and jobs, a busy day (var/bench/*.json)
	@set -e; \
	services=$$(scripts/ensure-services.sh); \
	eval "$$services"; export DATABASE_URL REDIS_URL; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py seed_demo --if-empty; \
	$(PY) manage.py bench_search $(BENCH_ARGS); \
	PYTHONUNBUFFERED=1 $(PY) -m bench

clean: ## Remove caches, collected static and test output; stop throw-away test servers (keeps .venv, db.sqlite3, media/)
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache .mypy_cache .hypothesis staticfiles test-artifacts var
	scripts/ensure-services.sh --stop
