"""One harness for real `celery worker` processes, shared by the tests and `manage.py bench_notifications`.

Each worker is a subprocess (solo pool, as production's are) started with an environment that points
it at the caller's database and broker; `start()` returns once the worker says it is ready.
"""
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 60


class WorkerDidNotStart(RuntimeError):
    pass


def database_url():
    """The URL of the database this process is using right now (the test database under pytest)."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(**overrides):
    """The environment of a worker that sees this process's database and broker; `overrides` win."""
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local"),
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    })
    env.update({key: str(value) for key, value in overrides.items()})
    return env


class WorkerProcess:
    """A real `celery -A config worker` subprocess; its output is kept in `lines` for failure messages."""

    def __init__(self, env, *, name="worker", queues=None):
        self.env = env
        # The queues it consumes (`-Q`), as production runs one worker per queue; None: all of them.
        self.queues = queues
        self.name = f"{name}-{os.getpid()}-{id(self):x}"
        self.lines = []
        self.process = None
        self._ready = threading.Event()

    def start(self, timeout=READY_TIMEOUT):
        # Under `pytest --clock-ahead-days`, the worker runs with the tests' clock (config/testing/clock_ahead.py).
        ahead = ["-m", "config.testing.clock_ahead"] if self.env.get("CLOCK_AHEAD_SECONDS") else []
        self.process = subprocess.Popen(
            [sys.executable, *ahead, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{self.name}@%h",
             *(["-Q", ",".join(self.queues)] if self.queues else [])],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(timeout):
            self.stop()
            raise WorkerDidNotStart("celery worker did not start:\n" + "\n".join(self.lines[-40:]))
        return self

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip())
            if " ready." in line:
                self._ready.set()

    def finished(self, task_id):
        """True once this worker has logged the end (success or failure) of task `task_id`."""
        marker = f"[{task_id}]"
        return any(marker in line and (" succeeded in " in line or " raised " in line) for line in self.lines)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self):
        """SIGKILL, as the OOM killer would."""
        self.process.kill()
        self.process.wait()

    @property
    def log(self):
        return "\n".join(self.lines)


def wait_until(predicate, *, timeout, interval=0.05):
    """Poll `predicate()` until truthy; its last value (falsy on timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def publish_to(url):
    """Make this process's Celery app publish to `url` from now on (its connection pools are rebuilt).

    Celery reads a CELERY_BROKER_URL environment variable before its configuration, so that is set too.
    """
    from config.celery import app  # noqa: PLC0415 -- the harness must be importable before Django is set up

    os.environ["CELERY_BROKER_URL"] = url
    app.conf.CELERY_BROKER_URL = url  # config_from_object(namespace="CELERY"): the prefixed key counts
    app._pool = None
    app.amqp._producer_pool = None
