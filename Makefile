# SFO quality assurance. `make run` to try it, `make test` to test it.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test migrate seed lint format worker beat assets lock clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements/base.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.lock
	@touch $@

$(VENV)/.installed-test: requirements/test.lock $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements/test.lock
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The demo: development settings, two-factor sign-in off, demo data loaded.
run: export DEBUG ?= true
run: export REQUIRE_2FA ?= false
run: export STATICFILES_BACKEND ?= django.contrib.staticfiles.storage.StaticFilesStorage
# Links in emails lead to the address the demo is reached on.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "SFO quality assurance is starting at http://$(HOST):$(PORT)/sign-in/"
	@echo "Press Ctrl+C to stop it."
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=false SECRET_KEY=test-only-secret-key-not-for-use $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: install
	$(BIN)/python manage.py migrate --no-input

seed: migrate
	$(BIN)/python manage.py seed_demo

# With REDIS_URL set: the Celery worker and the scheduler.
worker: install
	$(BIN)/celery -A sfoqa worker --loglevel=INFO --concurrency=2

beat: install
	$(BIN)/celery -A sfoqa beat --loglevel=INFO --schedule=var/celerybeat-schedule

# Rebuild the committed GOV.UK and MoJ Frontend files under static/ (needs node).
assets:
	bash frontend/build.sh

clean:
	rm -rf $(VENV) staticfiles
