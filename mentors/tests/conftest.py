"""Fixtures for the onboarding tests of both front doors (schools/tests/conftest.py reuses them)."""
import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def commit_callbacks_run_as_each_request_ends(request, monkeypatch):
    """A test transaction never commits, so what a request queued with `on_commit` (account emails) would
    never run: run it as the test client's request ends, as the real commit would, through the real path.

    Browser tests (live_server, real commits) need nothing.
    """
    if request.node.get_closest_marker("browser") or "transactional_db" in request.fixturenames:
        return
    request.getfixturevalue("redis_server")  # what the callbacks queue goes to this test's own Redis
    capture = request.getfixturevalue("django_capture_on_commit_callbacks")
    original = Client.request

    def request_then_commit(self, **kwargs):
        with capture(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request_then_commit)
