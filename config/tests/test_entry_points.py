"""Every way in (manage.py, wsgi, asgi, a Celery worker) defaults to the same settings: production, which
refuses to start without its environment, so a process started bare never runs local settings (console
texts, tasks in-process) against production data."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
BARE = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}


def bare_python(code):
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=BARE, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("entry", ["config.celery", "config.wsgi", "config.asgi"])
def test_every_entry_point_defaults_to_the_production_settings(entry):
    found = bare_python(f"import os\ntry:\n    import {entry}\nexcept Exception:\n    pass\n"
                        "print(os.environ['DJANGO_SETTINGS_MODULE'])")
    assert found.stdout.strip() == "config.settings.production", found.stderr


def test_manage_py_defaults_to_the_production_settings():
    found = bare_python("import os, manage\nos.environ.pop('DJANGO_SETTINGS_MODULE', None)\n"
                        "manage.execute_from_command_line = lambda argv: None\n"
                        "try:\n    manage.main()\nexcept SystemExit:\n    pass\n"
                        "print(os.environ['DJANGO_SETTINGS_MODULE'])")
    assert found.stdout.strip() == "config.settings.production", found.stderr


def test_a_worker_started_without_settings_refuses_to_run_without_the_production_environment():
    started = bare_python("from config.celery import app\napp.loader.import_default_modules()\n"
                          "from django.conf import settings\n"
                          "print(settings.SMS_BACKEND, settings.CELERY_TASK_ALWAYS_EAGER)")
    assert started.returncode != 0
    assert "DJANGO_SECRET_KEY" in started.stderr
    assert "console" not in started.stdout


@pytest.mark.parametrize("command", [["check"], ["makemigrations", "--check", "--dry-run"], ["migrate"]])
def test_manage_py_without_its_environment_says_what_to_set_in_one_line(command):
    # As a fresh login shell would start it: only PATH and HOME (the whole test environment hid a traceback).
    fresh = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/")}
    ran = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=fresh, capture_output=True,
                         text=True, timeout=120)
    assert ran.returncode == 2
    assert "Traceback" not in ran.stderr
    assert "DJANGO_SECRET_KEY" in ran.stderr and "config.settings.local" in ran.stderr
