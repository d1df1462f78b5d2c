# Bailanys — the two commands are `make demo` and `make test`; see README.md.
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup setup-dev demo serve test test-fast lint bench browser-deps

setup:            ## venv, packages, PostgreSQL, database, migrations (idempotent)
	@scripts/setup.sh

setup-dev:
	@scripts/setup.sh dev

demo: setup       ## set up, load the article's data and demo accounts, serve on http://127.0.0.1:8000/ with a background worker
	@$(PY) manage.py load_seed
	@DJANGO_DEBUG=1 $(PY) manage.py create_demo_accounts
	@echo "==> serving http://$(HOST):$(PORT)/  (Ctrl-C stops)"
	@DJANGO_DEBUG=1 scripts/with_worker.sh $(PY) manage.py runserver $(HOST):$(PORT)

serve: setup      ## the production shape: debug off, static files collected, gunicorn (portal/gunicorn_conf.py) and a background worker
	@HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

test: setup-dev browser-deps   ## set up, then lint, checks and the whole test suite on PostgreSQL
	@$(PY) -m ruff check .
	@.venv/bin/lint-imports --no-cache
	@$(PY) manage.py check --fail-level WARNING
	@$(PY) manage.py makemigrations --check --dry-run -v 0
	@$(PY) -m pytest -n 2 -p no:cacheprovider $(PYTEST_ARGS)

test-fast:        ## the suite without the set-up steps (after a `make test`)
	@$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint:
	@$(PY) -m ruff check . && $(PY) -m ruff format --check . && .venv/bin/lint-imports --no-cache

browser-deps:     ## Chromium (Debian package) and axe-core (npm) for the browser tests
	@scripts/browser_deps.sh

bench:            ## throughput (wrk against gunicorn, beside floors) on a separate database of 1,000,000 synthetic records (made once); bench/results/1m.json
	@scripts/setup.sh bench
	@DJANGO_SETTINGS_MODULE=bench.settings $(PY) manage.py bench $(BENCH_ARGS)    # e.g. make bench BENCH_ARGS="--records 100000 --duration 5"
	@DJANGO_SETTINGS_MODULE=bench.settings $(PY) manage.py soak $(SOAK_ARGS)      # e.g. make bench SOAK_ARGS="--seconds 600"
