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
    assert re.search(r"bare SDK loop .* texts/s", report)
    assert re.search(r"outbox via celery workers .* texts/s", report)
    assert "duplicates (texts beyond one per notification): 0" in report
    assert "lost (not sent when the run ended):              0" in report
    assert re.search(r"ratio outbox / bare loop +[0-9.]+ x", report)
    # The at-most-once promise costs two commits (the claim, the finish); the claim folds the checks in.
    statements = float(re.search(r"SQL statements per text +([0-9.]+)", report).group(1))
    commits = float(re.search(r"commits per text +([0-9.]+)", report).group(1))
    assert (statements, commits) == (2.0, 2.0)
    assert re.search(r"string-template baseline .* invitations/s", report)
    assert not Notification.objects.exists()  # it cleans up after itself
