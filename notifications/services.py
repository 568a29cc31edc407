"""Writing notifications into the outbox, and sending one claimed row.

A row is written in the transaction of the change that caused it; a task is queued
only after commit; a worker sends a row only after winning a conditional UPDATE.
"""
import logging
import random
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import sms
from .models import Notification, SmsOptOut

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 5
BACKOFF_CAP_SECONDS = 600  # well below the broker's visibility timeout
# A row still "sending" after this was cut off mid-send: settle it by asking the provider.
CLAIM_TIMEOUT = timedelta(seconds=120)


def queue_notification(*, key, channel, kind, to, body, subject="", ics="", ics_method="", match=None):
    """Write one outbox row (once per key) and queue its send after the transaction commits."""
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "channel": channel, "kind": kind, "to": to, "body": body, "subject": subject,
            "ics": ics, "ics_method": ics_method, "match": match,
        },
    )
    if created:
        transaction.on_commit(partial(enqueue_send, notification.pk))
    return notification


def enqueue_send(notification_id, countdown=None):
    """Hand a row to a worker. A broker outage loses nothing: the sweeper re-queues pending rows."""
    from .tasks import send_notification

    try:
        send_notification.apply_async((notification_id,), countdown=countdown)
    except Exception:  # noqa: BLE001 - any broker failure; the row stays pending for the sweeper
        log.warning("could not queue notification %s; the outbox sweeper will retry", notification_id)


def due(now=None):
    """Pending rows whose time has come."""
    now = now or timezone.now()
    return Notification.objects.filter(status=Notification.Status.PENDING).filter(
        Q(not_before__isnull=True) | Q(not_before__lte=now)
    )


def claim(notification_id):
    """Win the right to send a due row. Only the worker whose UPDATE matched sends."""
    won = due().filter(pk=notification_id).update(
        status=Notification.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    return Notification.objects.filter(pk=notification_id).first() if won else None


def deliver_notification(notification_id):
    """Send one pending notification at most once. Returns a retry delay in seconds, or None."""
    notification = claim(notification_id)
    if notification is None:
        return None
    if notification.channel == Notification.Channel.SMS:
        return _deliver_sms(notification)
    return _deliver_email(notification)


def _deliver_sms(notification):
    if SmsOptOut.objects.filter(phone=notification.to).exists():
        return _finish(notification, Notification.Status.SUPPRESSED, error="recipient replied STOP")
    try:
        sent = sms.send_sms(
            to=notification.to, body=notification.body, status_callback=status_callback_url(),
            idempotency_key=notification.key,
        )
    except sms.SmsError as exc:
        return _failed(notification, exc)
    _finish(notification, Notification.Status.SENT, provider_id=sent.provider_id)
    _after_sent(notification)
    return None


def _deliver_email(notification):
    try:
        invitation_email(notification).send()
    except Exception as exc:  # noqa: BLE001 - SMTP and backend errors are all worth a retry
        return _failed(notification, sms.SmsError(str(exc), retryable=True))
    _finish(notification, Notification.Status.SENT)
    _after_sent(notification)
    return None


def _failed(notification, exc):
    if exc.ambiguous:
        # Leave it "sending": the sweeper asks the provider what was sent before any retry.
        Notification.objects.filter(pk=notification.pk).update(error=str(exc))
        return None
    if exc.retryable and notification.attempts < MAX_ATTEMPTS:
        delay = backoff_seconds(notification.attempts)
        Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
            status=Notification.Status.PENDING, error_code=exc.code, error=str(exc),
            not_before=timezone.now() + timedelta(seconds=delay),
        )
        return delay
    status = Notification.Status.SUPPRESSED if exc.opted_out else Notification.Status.FAILED
    if exc.retryable:
        status = Notification.Status.NEEDS_ATTENTION
    if exc.bad_number:
        _flag_bad_number(notification.to)
    if exc.opted_out:
        SmsOptOut.objects.get_or_create(phone=notification.to)
    return _finish(notification, status, error_code=exc.code, error=str(exc))


def _finish(notification, status, **fields):
    sent_at = timezone.now() if status == Notification.Status.SENT else None
    Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
        status=status, sent_at=sent_at, **fields
    )
    return None


def _after_sent(notification):
    if notification.kind == "invitation" and notification.match_id:
        from scheduling.services import mark_match_invited

        mark_match_invited(match_id=notification.match_id)


def _flag_bad_number(phone):
    from mentors.models import Mentor

    Mentor.objects.filter(phone=phone, phone_invalid_at__isnull=True).update(phone_invalid_at=timezone.now())


def backoff_seconds(attempt):
    """Full-jitter exponential backoff, capped below the broker's visibility timeout."""
    return random.uniform(0, min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt))


def status_callback_url():
    return settings.PUBLIC_BASE_URL.rstrip("/") + "/webhooks/twilio/status/"


class CalendarEmail(EmailMultiAlternatives):
    """An iMIP email: text/calendar alternative carrying `method=`, which Outlook and Gmail need."""

    def __init__(self, *args, ics_method="REQUEST", **kwargs):
        super().__init__(*args, **kwargs)
        self.ics_method = ics_method

    def _create_mime_attachment(self, content, mimetype):
        if not mimetype.startswith("text/calendar"):
            return super()._create_mime_attachment(content, mimetype)
        part = SafeMIMEText(content, "calendar", "utf-8")
        part.set_param("method", self.ics_method)
        return part


def invitation_email(notification):
    """The email for a row: plain text, plus the calendar as an alternative and an attachment."""
    email = CalendarEmail(
        subject=notification.subject, body=notification.body, to=[notification.to],
        ics_method=notification.ics_method or "REQUEST",
    )
    if notification.ics:
        email.attach_alternative(notification.ics, "text/calendar")
        email.attach("invite.ics", notification.ics, "application/ics")
    return email


def settle_interrupted_sends(now=None):
    """Rows left "sending" by a dead worker: sent if the provider has them, else back to pending."""
    cutoff = (now or timezone.now()) - CLAIM_TIMEOUT
    settled = 0
    for notification in Notification.objects.filter(status=Notification.Status.SENDING, claimed_at__lt=cutoff):
        settled += _settle(notification)
    return settled


def _settle(notification):
    found = []
    if notification.channel == Notification.Channel.SMS:
        try:
            found = sms.get_backend().find_sent(
                to=notification.to, body=notification.body, since=notification.claimed_at - timedelta(minutes=1)
            )
        except sms.SmsError:
            return 0  # cannot ask now; try at the next sweep
    sending = Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING)
    if found:
        updated = sending.update(status=Notification.Status.SENT, provider_id=found[0], sent_at=timezone.now())
        if updated:
            _after_sent(notification)
        return updated
    return sending.update(status=Notification.Status.PENDING)


def requeue_pending(now=None, older_than=timedelta(seconds=60)):
    """Queue again every pending row old enough that its task may have been lost."""
    now = now or timezone.now()
    ids = list(due(now).filter(updated_at__lt=now - older_than).values_list("pk", flat=True))
    for notification_id in ids:
        enqueue_send(notification_id)
    return len(ids)
