"""Housekeeping never waits behind a send backlog: it has a Celery queue of its own (real worker and Redis)."""
import pytest
import redis
from django.conf import settings
from django.db import transaction

from conftest import run_on_worker, wait_for
from notifications import services, tasks
from notifications.models import Notification
from scheduling import tasks as scheduling_tasks

BACKLOG = 500


def queue_backlog():
    with transaction.atomic():
        for n in range(BACKLOG):
            services.queue_notification(key=f"backlog:{n}", channel="sms", kind="test", to=f"+1518555{n:04d}",
                                        body=f"Mentorbridge: message {n}")


def test_housekeeping_tasks_are_routed_to_their_own_queue():
    for task in (tasks.sweep_outbox, tasks.settle_notification_task, scheduling_tasks.queue_due_reminders,
                 scheduling_tasks.expire_stale_invitations, scheduling_tasks.plan_matching):
        assert settings.CELERY_TASK_ROUTES[task.name] == {"queue": "housekeeping"}, task.name
    assert tasks.send_notification.name not in settings.CELERY_TASK_ROUTES
    assert tasks.send_notifications.name not in settings.CELERY_TASK_ROUTES


@pytest.mark.worker
def test_a_sweep_and_reminders_run_while_the_send_queue_is_full(celery_worker_process):
    queue_backlog()
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    send_tasks = -(-BACKLOG // services.SEND_BATCH_SIZE)  # written in one transaction: sent in batches
    assert broker.llen("celery") == send_tasks
    # Production's housekeeping worker (README): it consumes only its own queue.
    housekeeping = celery_worker_process(queues=["housekeeping"])
    run_on_worker(tasks.sweep_outbox, housekeeping, timeout=30)
    run_on_worker(scheduling_tasks.queue_due_reminders, housekeeping, timeout=30)
    assert broker.llen("celery") == send_tasks  # every send still waiting: nothing went ahead of the sweep
    assert Notification.objects.filter(status=Notification.Status.PENDING).count() == BACKLOG


@pytest.mark.worker
def test_a_worker_started_without_q_consumes_both_queues(celery_worker_process):
    worker = celery_worker_process()
    run_on_worker(tasks.sweep_outbox, worker, timeout=30)
    notification = services.queue_notification(key="one", channel="sms", kind="test", to="+15185550199",
                                                body="Mentorbridge: hello")
    wait_for(lambda: Notification.objects.get(pk=notification.pk).status == Notification.Status.SENT, timeout=30,
             message=f"the send to go out\n{worker.log[-2000:]}")
