"""Fault tests on the real parts: PostgreSQL, Redis, `celery worker` processes and the Twilio SDK.

The promise under test: at most one text per notification, even when a worker is killed
in the middle of Twilio's HTTP call, and none lost when Redis restarts empty or is down
when the change that writes the notification commits. Each test kills and restarts its own
`redis-server` (the `redis_server` fixture), never the machine's.
"""
from collections import Counter

import pytest
import redis
from django.conf import settings
from django.db import transaction

from conftest import run_on_worker, wait_for
from mentors.tests.factories import MentorFactory
from notifications import services, tasks
from notifications.models import Notification
from scheduling import services as scheduling
from scheduling.models import Match
from scheduling.tests.factories import make_request
from schools.tests.factories import CoordinatorFactory, TeacherFactory

pytestmark = pytest.mark.worker
N = Notification.Status
CLAIM_TIMEOUT = 2
WORKER_SETTINGS = {
    "NOTIFICATION_CLAIM_TIMEOUT_SECONDS": CLAIM_TIMEOUT,
    "NOTIFICATION_REQUEUE_AFTER_SECONDS": 0,
    "TWILIO_MESSAGES_PER_SECOND": 100,
}


def text(n, phone="+15185550140"):
    return services.queue_notification(
        key=f"fault:{n}", channel="sms", kind="test", to=phone, body=f"Mentorbridge: message {n}"
    )


def creates(fake):
    return [r for r in fake.requests if r["method"] == "POST"]


def sweep_until(predicate, worker, message, timeout=40):
    """Run the outbox sweeper on the worker (as beat would), each sweep to its end, until `predicate()` holds."""
    def swept():
        if predicate():
            return True
        run_on_worker(tasks.sweep_outbox, worker)
        return predicate()

    return wait_for(swept, timeout=timeout, interval=0.2, message=f"{message}\n{worker.log[-3000:]}")


def status_of(notification):
    return Notification.objects.get(pk=notification.pk).status


@pytest.mark.parametrize("reached_twilio", [True, False], ids=["message-made", "nothing-made"])
def test_a_worker_killed_mid_send_leads_to_at_most_one_text_and_none_lost(
    fake_twilio, celery_worker_process, reached_twilio
):
    # The create call hangs: with create=True Twilio has made the message before answering.
    fake_twilio.script([{"kind": "hang", "seconds": 30, "create": reached_twilio}])
    first = celery_worker_process(**WORKER_SETTINGS)
    notification = text(1)
    wait_for(lambda: creates(fake_twilio), message=f"the worker to call Twilio\n{first.log}")
    first.kill()  # SIGKILL in the middle of the HTTP call
    assert status_of(notification) == N.SENDING
    assert len(fake_twilio.messages) == (1 if reached_twilio else 0)

    second = celery_worker_process(**WORKER_SETTINGS)
    # Sweeps within the claim timeout leave the row alone; the first one past it settles it.
    sweep_until(lambda: status_of(notification) == N.SENT, second, "the sweeper to settle the cut-off send")

    assert len(fake_twilio.messages) == 1
    assert len(creates(fake_twilio)) == (1 if reached_twilio else 2)
    assert Notification.objects.get(pk=notification.pk).provider_id == fake_twilio.messages[0]["sid"]


def test_a_worker_killed_mid_batch_sends_each_text_of_the_batch_once_and_loses_none(
    fake_twilio, celery_worker_process
):
    fake_twilio.script(["ok", "ok", {"kind": "hang", "seconds": 30, "create": True}])
    with transaction.atomic():  # written together: one task sends them one after the other
        notifications = [text(n, phone=f"+151855503{n:02d}") for n in range(5)]
    first = celery_worker_process(**WORKER_SETTINGS)
    wait_for(lambda: len(creates(fake_twilio)) == 3, message=f"the third send of the batch\n{first.log}")
    first.kill()  # SIGKILL in the middle of the third text's HTTP call
    assert [status_of(n) for n in notifications] == [N.SENT, N.SENT, N.SENDING, N.PENDING, N.PENDING]

    second = celery_worker_process(**WORKER_SETTINGS)
    sweep_until(lambda: all(status_of(n) == N.SENT for n in notifications), second, "the rest of the batch")
    bodies = Counter(m["body"] for m in fake_twilio.messages)
    assert len(bodies) == 5
    assert set(bodies.values()) == {1}
    ids = set(Notification.objects.filter(pk__in=[n.pk for n in notifications]).values_list("provider_id", flat=True))
    assert ids == {m["sid"] for m in fake_twilio.messages}


def test_a_worker_killed_mid_send_beside_an_identical_text_sends_each_once(fake_twilio, celery_worker_process):
    same = "Mentorbridge reminder: Robotics Tue Mar 2, 10:00 AM EST."
    fake_twilio.script(["ok", {"kind": "hang", "seconds": 30, "create": True}])
    worker = celery_worker_process(**WORKER_SETTINGS)
    a = services.queue_notification(key="same:a", channel="sms", kind="t", to="+15185550141", body=same)
    wait_for(lambda: status_of(a) == N.SENT, message=worker.log)
    b = services.queue_notification(key="same:b", channel="sms", kind="t", to="+15185550141", body=same)
    wait_for(lambda: len(creates(fake_twilio)) == 2, message=worker.log)
    worker.kill()
    worker = celery_worker_process(**WORKER_SETTINGS)
    sweep_until(lambda: status_of(b) == N.SENT, worker, "the identical text to be settled")
    assert len(fake_twilio.messages) == 2
    ids = set(Notification.objects.filter(pk__in=[a.pk, b.pk]).values_list("provider_id", flat=True))
    assert ids == {m["sid"] for m in fake_twilio.messages}


def test_notifications_pending_when_redis_restarts_empty_are_each_sent_once(
    fake_twilio, celery_worker_process, redis_server
):
    notifications = [text(n, phone=f"+151855502{n:02d}") for n in range(12)]  # queued in Redis, no worker yet
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    assert broker.llen("celery") == 12

    redis_server.restart_empty()
    assert broker.llen("celery") == 0  # every task is gone; the rows are in PostgreSQL

    worker = celery_worker_process(**WORKER_SETTINGS)
    sweep_until(lambda: all(status_of(n) == N.SENT for n in notifications), worker, "all 12 texts")
    run_on_worker(tasks.sweep_outbox, worker)  # one sweep too many sends nothing twice
    bodies = Counter(m["body"] for m in fake_twilio.messages)
    assert len(bodies) == 12
    assert set(bodies.values()) == {1}


def test_a_worker_keeps_consuming_after_redis_restarts_under_it(fake_twilio, celery_worker_process, redis_server):
    worker = celery_worker_process(**WORKER_SETTINGS)
    before = text(1)
    wait_for(lambda: status_of(before) == N.SENT, message=worker.log)
    redis_server.restart_empty()
    after = text(2)
    sweep_until(lambda: status_of(after) == N.SENT, worker, "a text queued after the restart", timeout=50)
    assert len(fake_twilio.messages) == 2


def test_approving_with_redis_down_succeeds_and_the_invitation_goes_out_once_redis_is_back(
    fake_twilio, celery_worker_process, redis_server
):
    teacher = TeacherFactory()
    coordinator = CoordinatorFactory(alliance=teacher.school.alliance)
    mentor = MentorFactory(company__alliance=teacher.school.alliance, phone="+15185550160")
    request = make_request(teacher)
    match = Match.objects.create(session=request.sessions.get(), mentor=mentor, score=0.5)

    with redis_server.stopped():
        scheduling.approve_match(match_id=match.pk, actor=coordinator.user)
        rows = Notification.objects.filter(match=match)
        assert set(rows.values_list("channel", "status")) == {("sms", N.PENDING), ("email", N.PENDING)}
    assert Match.objects.get(pk=match.pk).status == "approved"

    worker = celery_worker_process(**WORKER_SETTINGS)
    sweep_until(lambda: not Notification.objects.filter(match=match).exclude(status=N.SENT).exists(), worker,
                "the invitation text and email once Redis is back")
    [message] = fake_twilio.messages
    assert message["to"] == "+15185550160"
    wait_for(lambda: Match.objects.get(pk=match.pk).status == "invited", message="the match to become invited")
