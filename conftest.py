"""Fixtures shared by every app's tests: the real Celery worker, the local Twilio, API clients."""
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from rest_framework.test import APIClient

from notifications.sms import locmem
from notifications.twilio_fake.server import FakeTwilio

ROOT = Path(__file__).resolve().parent
WORKER_READY_TIMEOUT = 60


@pytest.fixture(autouse=True)
def _curated_skills(request):
    """A migration loads the curated skills; transactional tests flush them, so put them back for the next test."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if uses_db:
        for name in ("transactional_db", "db"):
            if name in request.fixturenames:
                request.getfixturevalue(name)
                break
        from mentors.models import Skill
        from mentors.skills import CURATED_SKILLS

        if Skill.objects.count() < len(CURATED_SKILLS):
            for slug, name in CURATED_SKILLS:
                Skill.objects.get_or_create(slug=slug, defaults={"name": name})


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle and lockout counters live in the shared cache: each test starts with none of them."""
    from django.core.cache import cache

    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache") and prefix:
        client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
        for key in client.scan_iter(match=f"{prefix}:*", count=500):
            client.delete(key)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    locmem.outbox.clear()
    yield
    locmem.outbox.clear()


@pytest.fixture
def api():
    """`api(user)` is a DRF test client signed in as `user` with a token (or anonymous)."""
    from rest_framework.authtoken.models import Token

    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return client

    return client_for


@pytest.fixture
def fake_twilio(settings):
    """The project's Twilio-compatible server, with the app's `twilio` backend pointed at it."""
    fake = FakeTwilio(account_sid=settings.TWILIO_ACCOUNT_SID, auth_token=settings.TWILIO_AUTH_TOKEN).start()
    settings.SMS_BACKEND = "notifications.sms.twilio.SmsBackend"
    settings.TWILIO_API_BASE_URL = fake.url
    yield fake
    fake.stop()


def purge_broker(url):
    """Drop whatever earlier tests queued on the test broker database."""
    redis.Redis.from_url(url).flushdb()


class WorkerProcess:
    """A real `celery worker` subprocess on the test database and the test Redis database."""

    def __init__(self, env):
        self.env = env
        self.lines = []
        self.process = None
        self._ready = threading.Event()

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"test-{os.getpid()}@%h"],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(WORKER_READY_TIMEOUT):
            self.stop()
            raise RuntimeError("celery worker did not start:\n" + "\n".join(self.lines[-40:]))
        return self

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip())
            if " ready." in line:
                self._ready.set()

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


def worker_env(**overrides):
    """The environment a worker needs to see exactly what the test process sees."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "SMS_BACKEND": settings.SMS_BACKEND,
        "TWILIO_API_BASE_URL": settings.TWILIO_API_BASE_URL,
        "TWILIO_ACCOUNT_SID": settings.TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": settings.TWILIO_AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": settings.TWILIO_FROM_NUMBER,
        "PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    })
    env.update({k: str(v) for k, v in overrides.items()})
    return env


@pytest.fixture
def celery_worker_process(transactional_db, settings, tmp_path):
    """Start a real worker (call it after pointing settings at fakes); emails land in tmp_path/mail."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("the worker tests need PostgreSQL (DATABASE_URL)")
    purge_broker(settings.CELERY_BROKER_URL)
    workers = []

    def start(**overrides):
        mail_dir = tmp_path / "mail"
        mail_dir.mkdir(exist_ok=True)
        worker = WorkerProcess(worker_env(EMAIL_FILE_PATH=mail_dir, **overrides)).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def wait_for(predicate, timeout=30, interval=0.1, message="condition"):
    """Poll until `predicate()` is truthy; fail the test with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {message}")
