# The two set-up commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
# `make test` spreads the suite over this many processes (pytest-xdist); 1 runs it in one.
TEST_WORKERS ?= 2
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test e2e integration lint check ci install migrate demo messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

## Serve the site with daphne on http://127.0.0.1:$(PORT) (HTTP, WebSocket and static files).
run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/  (demo accounts: see README.md)"
	$(BIN)/daphne -b 127.0.0.1 -p $(PORT) config.asgi:application

## The whole suite, on whatever DATABASE_URL / REDIS_URL say (none: SQLite + in-memory).
## Ends with the 15 slowest steps, so the next slow fixture is seen (docs/testing.md).
test: $(TEST_STAMP)
	$(BIN)/python -m pytest -m "not e2e and not integration" -q -n $(TEST_WORKERS) --durations=15

## The production topology through nginx (deploy/local-cluster), on the local PostgreSQL and
## Redis; installs nginx with apt-get if missing.
integration: $(TEST_STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/biosafety_integration} \
	  $(BIN)/python -m pytest -m integration -q -p no:cacheprovider --create-db

## Browser journeys in Debian's chromium (installed with apt-get if missing), with axe-core.
e2e: $(TEST_STAMP)
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-noto-core)
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent
	$(BIN)/python -m pytest -m e2e -q

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: $(TEST_STAMP)
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

## Regenerate the message catalogues after changing strings (needs gettext's xgettext).
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l zh_Hans -l ar -l fr -l ru -l es --no-obsolete --ignore=.venv --ignore=node_modules --ignore=tests --ignore=.cluster --ignore=deploy --ignore=courses --ignore=forums --ignore=consultations --ignore=search
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=.cluster --ignore=courses --ignore=forums --ignore=consultations --ignore=search
	# each feature app keeps its own catalogue in <app>/locale/
	for app in courses forums consultations search; do $(BIN)/python manage.py app_messages $$app; done

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) node_modules db.sqlite3
