"""The benchmark command runs end to end (figures only; nothing here asserts a time)."""
import re
from io import StringIO

import pytest
from django.core.management import call_command

from notifications.models import Notification


@pytest.mark.worker
def test_the_benchmark_drains_the_outbox_through_real_workers_and_prints_its_figures(transactional_db, redis_server):
    out = StringIO()
    call_command("bench_notifications", count=20, workers=2, invitations=50, scratch_db=False, stdout=out)
    report = out.getvalue()
    # One round with a new connection to the local Twilio for every call, one with connections kept open.
    assert "a new connection for every call" in report
    assert "connection kept open between calls" in report
    assert len(re.findall(r"bare SDK loop .* texts/s", report)) == 2
    assert len(re.findall(r"outbox, from commit to all sent +[0-9.]+ texts/s", report)) == 2
    assert len(re.findall(r"outbox, writing the rows included +[0-9.]+ texts/s", report)) == 2
    assert report.count("duplicates (texts beyond one per notification): 0") == 2
    assert report.count("lost (not sent when the run ended):              0") == 2
    assert len(re.findall(r"ratio outbox / bare loop +[0-9.]+ x", report)) == 2
    # The at-most-once promise costs two commits (the claim, the finish); the claim folds the checks in.
    statements = float(re.search(r"SQL statements per text +([0-9.]+)", report).group(1))
    commits = float(re.search(r"commits per text +([0-9.]+)", report).group(1))
    assert (statements, commits) == (2.0, 2.0)
    assert re.search(r"string-template baseline .* invitations/s", report)
    assert not Notification.objects.exists()  # it cleans up after itself
