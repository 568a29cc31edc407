"""Fixtures for the onboarding tests of both front doors (schools/tests/conftest.py reuses them)."""
import pytest
from django.core.mail import send_mail


@pytest.fixture(autouse=True)
def account_mail_sent_at_once(request, monkeypatch):
    """Account emails go out after commit; test transactions never commit, so send them at once here.

    Browser tests (live_server, real commits) keep the real on-commit path.
    """
    if request.node.get_closest_marker("browser"):
        return

    def send_now(*, subject, body, to):
        send_mail(subject, body, None, [to])

    monkeypatch.setattr("core.accounts.send_after_commit", send_now)
