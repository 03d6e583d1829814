# Portal Karier ASN: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/asn_portal
REDIS ?= redis://127.0.0.1:6379
DEMO_EMPLOYEES ?= 300
BENCH_EMPLOYEES ?= 50000

.PHONY: run test venv messages lint types importlint pytest smoke services chromium bench mutate guide worker beat clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

messages: venv
	@$(PY) manage.py compilemessages -v0 --ignore=.venv

## make run: serve the portal at http://127.0.0.1:8000 with demo data, a Celery worker and beat, on an embedded
## PostgreSQL 18 (data in .pgdata/, reused next time; DATABASE_URL=... uses another server). Ctrl-C stops everything.
run: venv
	$(PY) scripts/run_portal.py --employees $(DEMO_EMPLOYEES)

services:
	@scripts/ensure_services.sh

chromium:
	@scripts/ensure_chromium.sh

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: venv
	$(VENV)/bin/mypy .

importlint: venv
	$(VENV)/bin/lint-imports

pytest: venv services chromium messages
	DATABASE_URL=$${TEST_DATABASE_URL:-$(PG_URL)} CELERY_TEST_BROKER_URL=$(REDIS)/14 \
	  $(VENV)/bin/pytest -q -n 2 --dist loadgroup $(PYTEST_ARGS)

## The embedded PostgreSQL of make run must keep working: a throw-away embedded server, migrate + small seed,
## each role's pages answer 200, a real worker runs a job through the embedded broker.
smoke: venv messages
	$(PY) scripts/run_portal.py --smoke

## make test: everything CI runs (lint, types, layers, unit + integration on PostgreSQL/Redis, worker, browser, smoke).
test: venv services chromium lint types importlint pytest smoke
	@echo "make test: all checks passed."

## make bench: load-test the main pages and API lists at BENCH_EMPLOYEES employees (not part of make test).
bench: venv services
	$(PY) bench/run.py --employees $(BENCH_EMPLOYEES)

## make mutate: mutation testing of every */rules.py against the pure rule tests (not part of make test).
## Survivors: `.venv/bin/mutmut results`; one mutant's diff: `.venv/bin/mutmut show <name>`.
MUTATE_CHILDREN ?= 2
mutate: venv
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children $(MUTATE_CHILDREN)
	$(VENV)/bin/mutmut results

## make guide: re-take the user guide's screenshots (docs/panduan/img/) on a throw-away embedded PostgreSQL with the
## demo data, in both languages (Chromium from Debian); commit the PNGs. GUIDE_ARGS="--only kalibrasi" re-takes one.
guide: venv chromium
	$(PY) scripts/guide_screenshots.py $(GUIDE_ARGS)

worker: venv
	CELERY_BROKER_URL=$(REDIS)/0 $(VENV)/bin/celery -A asn_portal worker -l info

beat: venv
	CELERY_BROKER_URL=$(REDIS)/0 $(VENV)/bin/celery -A asn_portal beat -l info

clean:
	rm -rf $(VENV) .broker staticfiles test-artifacts mutants
