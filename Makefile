# Quick start:  make run   (set up and serve on http://127.0.0.1:5000)
#               make test  (set up and run the whole suite)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=
export FLASK_APP := app

.PHONY: run serve setup install test test-deps browser-deps bench-deps translations extract-messages bench reliability clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# constraints.txt pins the versions the suite last passed with (refresh: pip freeze after an upgrade).
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

$(VENV)/.installed-bench: pyproject.toml constraints.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[bench]'
	touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d tracker/translations > /dev/null

# Refresh the message catalogue after changing user-facing text; then translate ko's new entries.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o tracker/translations/messages.pot .
	$(BIN)/pybabel update -i tracker/translations/messages.pot -d tracker/translations --width 100

instance/secret_key: | $(BIN)/python
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@
	chmod 600 $@

# Migrate the database (DATABASE_URL, or SQLite in instance/), load the programme data and the
# demo accounts (a local try-out only: a production server runs db upgrade and load-programme).
setup: install instance/secret_key
	$(BIN)/flask db upgrade
	$(BIN)/flask tracker load-programme
	$(BIN)/flask tracker load-demo

# Served by gunicorn, as in production (Flask's development server names its versions to everyone).
run: setup
	$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) --access-logfile - app:app

# As in production: gunicorn with several workers (set SECRET_KEY and DATABASE_URL there).
WORKERS ?= 2
serve: install
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - app:app

# Debian's Chromium and Korean fonts for the browser tests; axe-core from the npm registry.
browser-deps:
	@command -v chromium > /dev/null && fc-list | grep -qi nanum || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo "sudo -n"); \
		export DEBIAN_FRONTEND=noninteractive; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-nanum > /dev/null; }
	@[ -f node_modules/axe-core/axe.min.js ] || npm ci --silent --no-audit --no-fund

test-deps: $(VENV)/.installed-test translations browser-deps

# The whole suite on SQLite; TEST_DATABASE_URL=postgresql+psycopg://... runs it on PostgreSQL.
test: test-deps
	$(BIN)/pytest --durations=15 $(PYTEST_ARGS)

# Debian's wrk, the load generator of the benchmark (written in C, so the app is what is measured).
bench-deps:
	@command -v wrk > /dev/null || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo "sudo -n"); \
		export DEBIAN_FRONTEND=noninteractive; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk > /dev/null; }

# Pages drawn afresh beside a bare Flask route, wrk through gunicorn, a mixed 50-person run:
# BENCH_SIZES, BENCH_SECONDS, BENCH_MIXED_SECONDS, DATABASE_URL. Writes bench/results/; exits
# non-zero when a target is missed (see README, Benchmark).
bench: $(VENV)/.installed-bench translations bench-deps
	$(BIN)/python bench/run.py

# Concurrency, a database cut, two servers on one PostgreSQL and Redis, and a load test
# (reliability/run.py; see README, Production). Needs PostgreSQL and Redis on 127.0.0.1;
# RELIABILITY_DATABASE_URL names a database of its own (emptied), RELIABILITY_REDIS_URL a Redis
# database (flushed). Exits non-zero on any failure.
reliability: $(VENV)/.installed-bench translations
	$(BIN)/python reliability/run.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache
