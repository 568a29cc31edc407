"""`make run`'s embedded default (SQLite, tasks in-process, console SMS and email) works end to end.

Every other test runs on PostgreSQL; this one runs the demo's own steps in a subprocess on a fresh SQLite file,
so SQL written for PostgreSQL alone (row locks, settings) shows up here as texts the demo never sends.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SENT_CHECK = """
import django; django.setup()
from notifications.models import Notification
rows = Notification.objects.values_list("status", flat=True)
print("statuses", sorted(set(rows)), len(rows))
"""


def manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture
def embedded(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
               EMAIL_FILE_PATH=str(tmp_path / "mail"))
    return env


def test_the_demo_seeds_and_sends_its_texts_and_emails_on_sqlite(embedded):
    for step in (["migrate", "--noinput"], ["seed_demo"], ["seed_impact"], ["seed_coalition"]):
        done = manage(embedded, *step)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "could not queue" not in done.stderr + done.stdout, (step, done.stderr[-2000:])
    checked = subprocess.run([sys.executable, "-c", SENT_CHECK], cwd=ROOT, env=embedded, capture_output=True,
                             text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr[-2000:]
    statuses = checked.stdout.split("statuses", 1)[1]
    assert "'sent'" in statuses and "'pending'" not in statuses and "'sending'" not in statuses, statuses
