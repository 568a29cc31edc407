# One entry point. `make run` serves the demo on SQLite; `make test` runs everything on PostgreSQL and Redis.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# requirements/{base,local,production}.txt are the source; requirements/lock.txt, compiled from them with
# every hash (`make lock`), is what gets installed.
SOURCES := requirements/base.txt requirements/local.txt requirements/production.txt
LOCK := requirements/lock.txt
SOURCES_MD5 := $(shell cat $(SOURCES) | md5sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(shell cat $(LOCK) | md5sum | cut -c1-12)

export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mentorbridge
export CELERY_BROKER_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test lint venv lock browser worker beat clean

$(STAMP): $(LOCK) $(SOURCES)
	@grep -q "sources md5 $(SOURCES_MD5)" $(LOCK) || { echo "requirements/*.txt changed since $(LOCK) was compiled: run make lock" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(LOCK)
	rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

# Re-resolve requirements/*.txt (local and production, so base too) into the hashed lock.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/pip install --quiet --disable-pip-version-check "$$(grep '^uv==' requirements/local.txt)"
	{ echo "# Compiled by make lock from $(SOURCES), sources md5 $(SOURCES_MD5). Do not edit: edit those and run make lock."; \
	  $(BIN)/uv pip compile requirements/local.txt requirements/production.txt --generate-hashes --python-version 3.11 \
	    --python-platform x86_64-manylinux_2_28 --no-header --quiet; } > $(LOCK).tmp
	mv $(LOCK).tmp $(LOCK)

# The embedded default: SQLite, tasks in-process, console SMS and email.
run: venv
	mkdir -p var
	env -u DATABASE_URL -u CELERY_BROKER_URL DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py migrate --noinput
	env -u DATABASE_URL -u CELERY_BROKER_URL DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py seed_demo
	env -u DATABASE_URL -u CELERY_BROKER_URL DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py seed_impact
	env -u DATABASE_URL -u CELERY_BROKER_URL DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py seed_coalition
	env -u DATABASE_URL -u CELERY_BROKER_URL DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py runserver 127.0.0.1:8000

# Debian's Chromium for the Playwright browser tests (Playwright's own download cannot work offline).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: venv
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null
	# The deploy checklist against the production settings, with dummy values for what production requires.
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=deploy-check-dummy-key-0123456789-abcdefghijklmnopqrstuvwxyz \
	  DJANGO_ALLOWED_HOSTS=mentorbridge.example $(BIN)/python manage.py check --deploy --fail-level WARNING

test: venv browser lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest $(PYTEST_ARGS)

worker: venv
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local} $(BIN)/celery -A config worker --loglevel=info

beat: venv
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local} $(BIN)/celery -A config beat --loglevel=info

clean:
	rm -rf $(VENV) var staticfiles
