# Sikker By — the two commands:
#   make run    set up everything (virtualenv, SQLite, the Copenhagen programme, demo users) and serve on :8000
#   make test   run the whole test suite (PostgreSQL/Redis when DATABASE_URL/CELERY_BROKER_URL are set)
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test setup env demo-data lint messages clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Writes .env with new random keys, or adds a key an older .env lacks; never changes one that is there.
env: $(STAMP)
	$(PY) scripts/make_env.py

setup: $(STAMP) env
	$(PY) manage.py migrate --noinput
	$(MAKE) demo-data

# Reference data (the programmes, Copenhagen's areas), the demo users and the demo data: one timeline
# (docs/demo.md). The safety index is published before the key-figure report is made, so the report of
# the last recent year carries it. tests/test_demo_walk.py runs exactly these commands.
demo-data:
	$(PY) manage.py load_programme copenhagen albertslund
	$(PY) manage.py load_areas
	$(PY) manage.py load_demo_users
	$(PY) manage.py load_evaluations_demo
	$(PY) manage.py load_demo_safety_index
	$(PY) manage.py load_demo_ssp_cases
	$(PY) manage.py load_key_figures_demo
	$(PY) manage.py load_demo_indicators
	$(PY) manage.py load_demo_exit_cases
	$(PY) manage.py load_demo_safety_walks
	$(PY) manage.py load_demo_partners

run: setup
	$(PY) manage.py runserver 127.0.0.1:8000

# Two pytest-xdist workers (each its own test database and broker database; tests/conftest.py keeps the
# topology tests and the demo walk each on one worker). PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
test: $(STAMP)
	sh scripts/ensure_chromium.sh
	sh scripts/ensure_sso_test_idp.sh
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --no-loadscope-reorder --durations=20 $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# Regenerate the translation catalogues (needs GNU gettext) — see "Language" in docs/architecture.md.
messages: $(STAMP)
	sh scripts/makemessages.sh

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
