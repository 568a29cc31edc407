# One entry point. `make run` serves the demo on SQLite; `make test` runs everything on PostgreSQL and Redis.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/*.txt | md5sum | cut -c1-12)

export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mentorbridge
export CELERY_BROKER_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test lint venv browser worker beat clean

$(STAMP): requirements/base.txt requirements/local.txt requirements/production.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/local.txt -r requirements/production.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

# The embedded default: SQLite, tasks in-process, console SMS and email.
run: venv
	mkdir -p var
	env -u DATABASE_URL -u CELERY_BROKER_URL DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py migrate --noinput
	env -u DATABASE_URL -u CELERY_BROKER_URL DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py seed_demo
	env -u DATABASE_URL -u CELERY_BROKER_URL DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py runserver 127.0.0.1:8000

# Debian's Chromium for the Playwright browser tests (Playwright's own download cannot work offline).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: venv
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null
	# The deploy checklist against the production settings, with dummy values for what production requires.
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=deploy-check-dummy-key-0123456789-abcdefghijklmnopqrstuvwxyz \
	  DJANGO_ALLOWED_HOSTS=mentorbridge.example $(BIN)/python manage.py check --deploy --fail-level WARNING

test: venv browser lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest $(PYTEST_ARGS)

worker: venv
	$(BIN)/celery -A config worker --loglevel=info

beat: venv
	$(BIN)/celery -A config beat --loglevel=info

clean:
	rm -rf $(VENV) var staticfiles
