PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install lint

# One command from a fresh clone: install, migrate, load demo data, serve on SQLite.
run: install .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 0.0.0.0:8000

# Settings for the checks below; mypy needs them as well (django-stubs' plugin loads the settings).
TEST_ENV := SECRET_KEY=test-only-secret-key-0123456789abcdef-0123456789abcdef DEBUG=false \
	ALLOWED_HOSTS=testserver,localhost PUBLIC_BASE_URL=http://localhost:8000

# Lint, type-check the typed modules (listed in pyproject.toml), then the whole test suite;
# pytest exits non-zero when a test fails or none ran.
test: install
	$(BIN)/ruff check .
	$(TEST_ENV) $(BIN)/mypy
	$(TEST_ENV) $(BIN)/pytest

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

.env:
	sed -e 's/^DEBUG=false/DEBUG=true/' -e 's/^ALLOWED_HOSTS=.*/ALLOWED_HOSTS=localhost,127.0.0.1/' \
		-e 's|^DATABASE_URL=.*|# DATABASE_URL=|' -e 's|^MEDIA_ROOT=.*|# MEDIA_ROOT=|' \
		-e 's|^DATABASE_CONN_MAX_AGE=.*|# DATABASE_CONN_MAX_AGE=|' \
		-e 's|^PUBLIC_BASE_URL=.*|PUBLIC_BASE_URL=http://localhost:8000|' \
		-e 's/^\(SECURE_[A-Z_]*\)=true/\1=false/' -e 's/^SECURE_HSTS_SECONDS=.*/SECURE_HSTS_SECONDS=0/' \
		.env.example > .env
	@echo "Created .env for development (DEBUG=true)."
