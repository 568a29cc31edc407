"""Thin Celery adapters over notifications.services: take ids, re-fetch, call one service.

Sends run on the default queue; the sweeper and settling run on the `housekeeping` queue
(CELERY_TASK_ROUTES), so they never wait behind a backlog of sends.
"""
from celery import shared_task

from . import services


# A hard limit (prefork pools) well inside the claim timeout, so a settle never races a live send.
@shared_task(name="notifications.send_notification", time_limit=60)
def send_notification(notification_id, channel=None):
    delay = services.deliver_notification(notification_id, channel)
    if delay is not None:
        services.enqueue_send(notification_id, countdown=delay, channel=channel)


# The same limit: a batch begins no send after SEND_BATCH_SECONDS, and one send takes well under the rest.
@shared_task(name="notifications.send_notifications", time_limit=60)
def send_notifications(rows):
    """Send a batch of rows, [id, channel] each; each row is claimed and finished on its own."""
    retries, rest = services.deliver_notifications([tuple(row) for row in rows])
    for notification_id, channel, delay in retries:
        services.enqueue_send(notification_id, countdown=delay, channel=channel)
    if rest:
        services.enqueue_sends(rest)


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
