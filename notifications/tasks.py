"""Thin Celery adapters over notifications.services: take ids, re-fetch, call one service."""
from celery import shared_task
from django.db import transaction

from . import reminders, services


# A hard limit (prefork pools) well inside the claim timeout, so a settle never races a live send.
@shared_task(name="notifications.send_notification", time_limit=60)
def send_notification(notification_id):
    delay = services.deliver_notification(notification_id)
    if delay is not None:
        services.enqueue_send(notification_id, countdown=delay)


@shared_task(name="notifications.settle_notification")
def settle_notification_task(notification_id):
    """Ask the provider what became of a send that got no clear answer."""
    return services.settle_notification(notification_id)


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox():
    """Settle sends a dead worker left behind, then re-queue rows whose task was lost."""
    settled = services.settle_interrupted_sends()
    requeued = services.requeue_pending()
    return {"settled": settled, "requeued": requeued}


@shared_task(name="notifications.queue_due_reminders")
def queue_due_reminders():
    """Reminders 24 h and 2 h before confirmed sessions, each once (run by beat every few minutes)."""
    with transaction.atomic():
        return reminders.queue_due_reminders()
