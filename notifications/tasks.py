"""Thin Celery adapters over notifications.services."""
from celery import shared_task

from . import services


@shared_task(name="notifications.send_notification")
def send_notification(notification_id):
    delay = services.deliver_notification(notification_id)
    if delay is not None:
        services.enqueue_send(notification_id, countdown=delay)


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox():
    """Settle sends a dead worker left behind, then re-queue rows whose task was lost."""
    settled = services.settle_interrupted_sends()
    requeued = services.requeue_pending()
    return {"settled": settled, "requeued": requeued}
