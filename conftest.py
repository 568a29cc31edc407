"""Fixtures shared by every app's tests: the real Celery worker, the local Twilio, API clients."""
import os
import time
from datetime import UTC, datetime, timedelta

import pytest
import redis
import time_machine
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from config.testing.redis_server import RedisServer
from config.testing.worker import WorkerProcess, publish_to, worker_env
from notifications.sms import locmem
from notifications.twilio_fake.server import FakeTwilio
from schools.tests.factories import CoordinatorFactory, TeacherFactory


def pytest_addoption(parser):
    parser.addoption("--clock-ahead-days", type=int, default=0,
                     help="run the whole suite with this process's clock moved this many days ahead (still ticking): "
                          "no test may depend on today's date")


def pytest_configure(config):
    days = config.getoption("--clock-ahead-days")
    if days:
        config._clock_ahead = time_machine.travel(datetime.now(UTC) + timedelta(days=days), tick=True)
        config._clock_ahead.start()
        os.environ["CLOCK_AHEAD_SECONDS"] = str(days * 86400)  # real workers the tests start follow it


def pytest_unconfigure(config):
    if getattr(config, "_clock_ahead", None) is not None:
        config._clock_ahead.stop()

_configured_broker = django_settings.CELERY_BROKER_URL


@pytest.fixture(autouse=True)
def _curated_skills(request):
    """A migration loads the curated skills; transactional tests flush them, so put them back for the next test."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if uses_db:
        for name in ("transactional_db", "db"):
            if name in request.fixturenames:
                request.getfixturevalue(name)
                break
        from core.models import Skill
        from mentors.skills import CURATED_SKILLS

        if Skill.objects.count() < len(CURATED_SKILLS):
            for slug, name in CURATED_SKILLS:
                Skill.objects.get_or_create(slug=slug, defaults={"name": name})


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle and lockout counters live in the shared cache: each test starts with none of them."""
    from django.core.cache import cache

    prefix = django_settings.CACHES["default"].get("KEY_PREFIX", "")
    if django_settings.CACHES["default"]["BACKEND"].endswith("RedisCache") and prefix:
        client = redis.Redis.from_url(django_settings.CACHES["default"]["LOCATION"])
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
def teacher(db):
    """A verified teacher of a school in a fresh alliance."""
    return TeacherFactory()


@pytest.fixture
def coordinator(teacher):
    """A coordinator of the teacher's alliance."""
    return CoordinatorFactory(alliance=teacher.school.alliance)


@pytest.fixture
def fake_twilio(settings):
    """The project's Twilio-compatible server, with the app's `twilio` backend pointed at it."""
    fake = FakeTwilio(account_sid=settings.TWILIO_ACCOUNT_SID, auth_token=settings.TWILIO_AUTH_TOKEN).start()
    settings.SMS_BACKEND = "notifications.sms.twilio.SmsBackend"
    settings.TWILIO_API_BASE_URL = fake.url
    yield fake
    fake.stop()


@pytest.fixture
def redis_server(settings, monkeypatch):
    """A private `redis-server` on a free port, the broker of this test's process and workers; killed after.

    Fault tests may kill, empty or restart it: nobody else's Redis is touched.
    """
    server = RedisServer().start()
    monkeypatch.setenv("CELERY_BROKER_URL", _configured_broker)  # so that it is put back after the test
    settings.CELERY_BROKER_URL = server.url()
    publish_to(server.url())
    yield server
    publish_to(_configured_broker)
    server.close()


@pytest.fixture(autouse=True)
def _commits_queue_on_a_private_redis(request):
    """Tests that really commit (or run on-commit callbacks) publish what they queue to their own Redis,
    never into a shared one."""
    marker = request.node.get_closest_marker("django_db")
    commits = {"transactional_db", "live_server", "django_capture_on_commit_callbacks"} & set(request.fixturenames)
    if commits or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("redis_server")


@pytest.fixture
def celery_worker_process(transactional_db, settings, tmp_path, redis_server):
    """`start(**settings_overrides)` a real worker on the test database and this test's own Redis.

    Call it after pointing settings at fakes; emails land in tmp_path/mail.
    """
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("the worker tests need PostgreSQL (DATABASE_URL)")
    workers = []

    def start(queues=None, **overrides):
        mail_dir = tmp_path / "mail"
        mail_dir.mkdir(exist_ok=True)
        env = worker_env(
            DJANGO_SETTINGS_MODULE="config.settings.test", SMS_BACKEND=settings.SMS_BACKEND,
            TWILIO_API_BASE_URL=settings.TWILIO_API_BASE_URL, TWILIO_ACCOUNT_SID=settings.TWILIO_ACCOUNT_SID,
            TWILIO_AUTH_TOKEN=settings.TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER=settings.TWILIO_FROM_NUMBER,
            PUBLIC_BASE_URL=settings.PUBLIC_BASE_URL, EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=mail_dir, **overrides,
        )
        worker = WorkerProcess(env, name="test", queues=queues).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def run_on_worker(task, worker, *args, timeout=60):
    """Queue `task(*args)` and wait until `worker` has finished it (as beat would queue it)."""
    result = task.delay(*args)
    wait_for(lambda: worker.finished(result.id), timeout=timeout,
             message=f"{task.name} to finish on the worker\n{worker.log[-3000:]}")


def wait_for(predicate, timeout=30, interval=0.1, message="condition"):
    """Poll until `predicate()` is truthy; fail the test with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {message}")
