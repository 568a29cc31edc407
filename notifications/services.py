"""Writing notifications into the outbox, and sending one claimed row.

A row is written in the transaction of the change that caused it; a task is queued
only after commit; a worker sends a row only after winning a conditional UPDATE.

The promise: at most one text per notification, and none silently lost. Twilio's
create call is not idempotent, so a send that was cut off (worker killed, timeout,
5xx) is never blindly repeated: it stays "sending" until `settle_notification` asks
Twilio what was actually sent. Every row ends sent / delivered, suppressed, failed
with a reason, or needs attention (which coordinators see).
"""
import logging
import random
import time
from datetime import timedelta
from functools import lru_cache, partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.constants import OnConflict
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.errors import DomainError

from . import calendar, hooks, quiet_hours, ratelimit, sms, sms_text
from .errors import EmailError
from .models import Notification, SmsOptOut

log = logging.getLogger(__name__)
N = Notification.Status

MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 5
# Well below the broker's visibility timeout: a longer countdown is redelivered in a loop (kombu#337).
BACKOFF_CAP_SECONDS = 600
# Before asking Twilio about an answer-less create, give it time to list the message.
SETTLE_DELAY_SECONDS = 30
# Twilio's clock and ours may disagree; look this far before the claim for the message.
CLOCK_SKEW = timedelta(minutes=10)
# Longest a worker waits for a send slot inside a task, and how soon it tries again if none came.
RATE_WAIT_SECONDS = 5
RATE_RETRY_SECONDS = 2
# A row Twilio cannot be asked about for this long is handed to a coordinator.
SETTLE_GIVE_UP = timedelta(days=1)
# Rows written together (a transaction's, a sweep's) go to the workers this many to a task: a backlog then
# costs the broker and the worker a task per batch, not per text. Small, so a larger burst still spreads
# over the workers (rows of a batch are sent one after the other by one worker).
SEND_BATCH_SIZE = 20
# A batch begins no new send after this long and hands the rest to another task, well inside its time limit.
SEND_BATCH_SECONDS = 20


def claim_timeout():
    """A row still "sending" after this was cut off mid-send: longer than any live send can take."""
    return timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS)


def queue_notification(*, key, channel, kind, to, body, subject="", ics="", ics_method="", match=None,
                       recipient_tz=None, urgent=False, not_before=None, stands_for="", html=""):
    """Write one outbox row (once per key) and queue its send after the transaction commits.

    A text is made GSM-7 where possible, must fit in two segments and, unless `urgent`, is held
    through the recipient's quiet hours (`recipient_tz`). `stands_for` is what the domain wrote the
    message for; it is asked again at send time (NOTIFICATIONS_STILL_STANDS) whether that still holds.
    """
    subject = _shorten(subject, Notification._meta.get_field("subject").max_length)
    if channel == Notification.Channel.SMS:
        body = sms_text.check_routine(sms_text.to_gsm7(body))
        if not urgent:
            not_before = max(filter(None, [not_before, quiet_hours.hold_until(timezone.now(), recipient_tz)]),
                             default=None)
    notification, created = _write_once(Notification(
        key=key, channel=channel, kind=kind, to=to, body=body, subject=subject, ics=ics, ics_method=ics_method,
        match=match, not_before=not_before, stands_for=stands_for, html=html,
    ))
    if created and not_before is None:
        _send_after_commit(notification.pk, channel)
    return notification


def _write_once(notification):
    """(row, created): `notification` inserted unless a row with its key exists, which is then read instead.

    One `INSERT ... ON CONFLICT DO NOTHING RETURNING id` (the insert Django's bulk_create builds, through the
    same manager method): a change that notifies many writes each row in one round trip, where get_or_create
    took four (SELECT, SAVEPOINT, INSERT, RELEASE) inside the domain's transaction.
    """
    fields = [field for field in Notification._meta.concrete_fields if not field.primary_key]
    inserted = Notification._base_manager._insert(
        [notification], fields=fields, returning_fields=[Notification._meta.pk], using="default",
        on_conflict=OnConflict.IGNORE)
    if inserted and inserted[0]:  # [None]: the key's row was there
        notification.pk = inserted[0][0]
        notification._state.adding, notification._state.db = False, "default"
        return notification, True
    return Notification.objects.get(key=notification.key), False


def withdraw(notifications, *, reason):
    """Held or queued messages that are no longer true: never sent, with `reason` recorded. Returns how many.

    The one way a pending message is taken back, at the change that made it untrue or at send time.
    """
    return notifications.filter(status=N.PENDING).update(
        status=N.WITHDRAWN, withdrawn_reason=_shorten(reason, 200), updated_at=timezone.now()
    )


def _shorten(text, limit):
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


class _SendsAfterCommit(list):
    """The rows one transaction wrote, as (id, channel): queued together once it commits."""

    published = False

    def publish(self):
        self.published = True
        enqueue_sends(list(self))


def _send_after_commit(notification_id, channel):
    """Queue the row's send once the transaction commits, in the tasks of the rows it wrote beside it."""
    if not connection.in_atomic_block:
        enqueue_send(notification_id, channel=channel)
        return
    batch = getattr(connection, "_outbox_sends", None)
    # Django keeps the open transaction's callbacks in run_on_commit; a rolled-back savepoint drops its own.
    # A batch that was published, or whose callback is gone, is over: this row starts the next one.
    if batch is None or batch.published or not any(
            getattr(func, "__self__", None) is batch for _, func, _ in connection.run_on_commit):
        batch = connection._outbox_sends = _SendsAfterCommit()
        transaction.on_commit(batch.publish)
    batch.append((notification_id, channel))


def enqueue_sends(rows):
    """Hand rows (id, channel) to the workers: one row in its own task, more in tasks of SEND_BATCH_SIZE rows."""
    from .tasks import send_notifications  # noqa: PLC0415 -- tasks.py, the adapters, imports this module

    if len(rows) == 1:
        enqueue_send(rows[0][0], channel=rows[0][1])
        return
    for start in range(0, len(rows), SEND_BATCH_SIZE):
        _enqueue(send_notifications, (rows[start:start + SEND_BATCH_SIZE],), None)


def enqueue_send(notification_id, countdown=None, *, channel=None):
    """Hand a row to a worker. A broker outage loses nothing: the sweeper re-queues pending rows."""
    from .tasks import send_notification  # noqa: PLC0415 -- tasks.py, the adapters, imports this module

    _enqueue(send_notification, (notification_id, channel), countdown)


def enqueue_settle(notification_id, countdown):
    from .tasks import settle_notification_task  # noqa: PLC0415 -- tasks.py, the adapters, imports this module

    _enqueue(settle_notification_task, (notification_id,), countdown)


def _enqueue(task, args, countdown):
    try:
        task.apply_async(args, countdown=countdown)
    except Exception:  # noqa: BLE001 - any broker failure; the row waits in PostgreSQL for the sweeper
        log.warning("could not queue %s for %s; the outbox sweeper will", task.name, args[0])


def due(now=None):
    """Pending rows whose time has come."""
    now = now or timezone.now()
    return Notification.objects.filter(status=N.PENDING).filter(Q(not_before__isnull=True) | Q(not_before__lte=now))


def claim(notification_id):
    """Win the right to send a due row: one `UPDATE ... RETURNING`; only the worker whose UPDATE matched sends.

    The same statement settles a text that must not go out: to a number that opted out (suppressed) or
    that was flagged invalid (failed). Returns the row as claimed (status "sending", or already final),
    or None when it is gone, not yet due, or another worker has it.
    """
    sql, invalid_params = _claim_sql(settings.NOTIFICATIONS_INVALID_NUMBERS, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"now": timezone.now(), "id": notification_id, **invalid_params})
        row = cursor.fetchone()
    return Notification(**dict(zip(CLAIMED_COLUMNS, row, strict=True))) if row else None


@lru_cache(maxsize=8)
def _claim_sql(invalid_numbers_hook, vendor):
    """The claim's SQL and fixed parameters, built once per process (compiling the domain's query costs a
    quarter of a millisecond, as much as the statement itself); the hook's path is part of the key."""
    invalid_sql, invalid_params = _invalid_numbers_sql()
    qualify = "n." if vendor == "postgresql" else ""  # SQLite's RETURNING takes bare column names
    sql = CLAIM_SQL.format(table=Notification._meta.db_table, optout=SmsOptOut._meta.db_table,
                           invalid=invalid_sql, columns=", ".join(f'{qualify}"{c}"' for c in CLAIMED_COLUMNS),
                           # SQLite (the embedded default) has no row locks: it serialises every write anyway.
                           lock="FOR UPDATE SKIP LOCKED" if vendor == "postgresql" else "")
    return sql, invalid_params


CLAIMED_COLUMNS = ("id", "status", "channel", "kind", "to", "subject", "body", "html", "ics", "ics_method", "match_id",
                   "stands_for", "attempts", "claimed_at", "error", "error_code")
# Opted out: "suppressed"; flagged invalid: "failed"; else "sending". A final status is its own sent_at-less end.
# The row is found by its primary key alone and its status and time checked on the locked row (`t`): with
# "status = 'pending'" beside the id, the planner may walk the status index over every pending row (a
# burst of thousands made each claim cost milliseconds, O(n^2) over the burst).
CLAIM_SQL = """
WITH target AS (
    SELECT n.id, n.status, n.not_before, n.channel = 'sms' AS sms,
           (SELECT source FROM {optout} o WHERE o.phone = n."to") AS opted_out,
           n."to" IN ({invalid}) AS invalid
    FROM {table} n
    WHERE n.id = %(id)s
    {lock}
)
UPDATE {table} AS n SET
    attempts = n.attempts + 1, claimed_at = %(now)s, updated_at = %(now)s, error_code = '',
    status = CASE WHEN t.sms AND t.opted_out IS NOT NULL THEN 'suppressed'
                  WHEN t.sms AND t.invalid THEN 'failed' ELSE 'sending' END,
    error = CASE WHEN t.sms AND t.opted_out = 'carrier' THEN '{carrier}'
                 WHEN t.sms AND t.opted_out IS NOT NULL THEN '{replied}'
                 WHEN t.sms AND t.invalid THEN '{invalid_number}' ELSE '' END
FROM target t
WHERE n.id = t.id AND t.status = 'pending' AND (t.not_before IS NULL OR t.not_before <= %(now)s)
RETURNING {columns}
""".replace("{carrier}", "the recipient opted out at the carrier (Twilio 21610)").replace(
    "{replied}", "the recipient replied STOP").replace(
    "{invalid_number}", "the number on the profile was flagged invalid")


def _invalid_numbers_sql():
    """The domain's numbers flagged invalid (NOTIFICATIONS_INVALID_NUMBERS, a query of phone values) as SQL."""
    query = hooks.call("NOTIFICATIONS_INVALID_NUMBERS")
    sql, params = query.query.sql_with_params()
    names = {f"invalid_{n}": value for n, value in enumerate(params)}
    return sql % tuple(f"%({name})s" for name in names), names


def deliver_notification(notification_id, channel=None):
    """Send one pending notification at most once. Returns a delay in seconds to try again, or None.

    A text waits for a slot of the shared send rate first (before the claim, so a wait holds no claim).
    """
    if channel in (None, Notification.Channel.SMS) and not ratelimit.acquire_send_slot(RATE_WAIT_SECONDS):
        return RATE_RETRY_SECONDS
    notification = claim(notification_id)
    if notification is None or notification.status != N.SENDING:
        return None  # gone, not due, another worker's, or settled by the claim itself (opted out, invalid)
    if notification.stands_for and not _still_stands(notification):
        return None
    if notification.channel == Notification.Channel.SMS:
        return _deliver_sms(notification)
    return _deliver_email(notification)


def deliver_notifications(rows, *, budget=None):
    """Send a batch of rows (id, channel) one after the other, each exactly as `deliver_notification` does:
    claimed by its own committed UPDATE before its send, finished by its own commit after. A worker killed
    mid-batch leaves at most one row "sending" (settled by asking the provider) and the rest pending (re-queued
    by the sweeper), so at most once and none lost hold row by row.

    Returns (retries, rest): rows to try again with their delay in seconds, and rows not begun once `budget`
    seconds (SEND_BATCH_SECONDS) had passed, for another task.
    """
    deadline = time.monotonic() + (SEND_BATCH_SECONDS if budget is None else budget)
    retries = []
    for index, (notification_id, channel) in enumerate(rows):
        if time.monotonic() >= deadline:
            return retries, rows[index:]
        try:
            delay = deliver_notification(notification_id, channel)
        except Exception:  # noqa: BLE001 - one row's fault must not hold back the rest; the sweeper retries it
            log.exception("sending notification %s failed; the outbox sweeper will see to it", notification_id)
            continue
        if delay is not None:
            retries.append((notification_id, channel, delay))
    return retries, []


def _still_stands(notification):
    """Ask the domain whether the message is still true; withdraw it, with the reason, when it is not."""
    reason = hooks.call("NOTIFICATIONS_STILL_STANDS", notification)
    if reason:
        Notification.objects.filter(pk=notification.pk, status=N.SENDING).update(
            status=N.WITHDRAWN, withdrawn_reason=_shorten(reason, 200), error=""
        )
        log.info("notification %s withdrawn at send time: %s", notification.pk, reason)
        return False
    if not _still_claimed(notification):
        log.warning("notification %s was settled while this worker stalled; not sending", notification.pk)
        return False
    return True


def _deliver_sms(notification):
    try:
        sent = sms.send_sms(
            to=notification.to, body=notification.body, status_callback=status_callback_url(notification.pk),
        )
    except sms.SmsError as exc:
        return _failed(notification, exc)
    record_sent(notification, sent.provider_id, provider_status=sent.status)
    return None


def _still_claimed(notification):
    """Our claim still stands (a stalled worker's row may have been settled and re-sent meanwhile)."""
    return Notification.objects.filter(pk=notification.pk, status=N.SENDING,
                                       claimed_at=notification.claimed_at).exists()


def _deliver_email(notification):
    try:
        invitation_email(notification).send()
    except Exception as exc:  # noqa: BLE001 - SMTP and backend errors are all worth a retry
        return _failed(notification, EmailError(str(exc), retryable=True))
    with transaction.atomic():
        _lock_what_sent_starts(notification)
        _finish(notification, N.SENT)
        notify_sent(notification)
    return None


def record_sent(notification, provider_id, *, provider_status=""):
    """The provider accepted the message: the row is sent, whoever (worker, callback, settle) gets here first.

    A message about a match tells the domain in the same transaction (its locks first); any other is one
    UPDATE. Either way the row's old error is cleared.
    """
    if notification.match_id is None:
        updated = _mark_sent(notification, provider_id, provider_status)
        if updated:
            notify_sent(notification)
        return bool(updated)
    with transaction.atomic():
        _lock_what_sent_starts(notification)
        updated = _mark_sent(notification, provider_id, provider_status)
        if updated:
            notify_sent(notification)
    return bool(updated)


def _mark_sent(notification, provider_id, provider_status):
    now = timezone.now()
    try:
        # Already settled (by a callback or the sweep): only fill in the message id if it had none.
        return _finish_sent(notification.pk, provider_id, provider_status, now) or Notification.objects.filter(
            pk=notification.pk, provider_id__in=["", provider_id]).update(
            provider_id=provider_id, sent_at=Coalesce(F("sent_at"), now))
    except IntegrityError:
        log.error("message %s is already recorded for another notification than %s", provider_id, notification.pk)
        return 0


# The finish of a send, one statement. Outside a transaction it commits without waiting for the disk
# (synchronous_commit off for this one commit): should the database lose it in a crash, the row is still
# "sending" and the settling sweep finds the message at the provider, so nothing is sent twice or lost.
# Inside the domain's transaction the setting is left alone. Only the claim must be durable before a send.
FINISH_SQL = """
WITH quick AS (SELECT set_config('synchronous_commit', %(sync)s, true))
UPDATE {table} SET status = 'sent', provider_id = %(provider_id)s, provider_status = %(provider_status)s,
    sent_at = %(now)s, error = '', error_code = '', updated_at = %(now)s
FROM quick
WHERE id = %(id)s AND status IN ('sending', 'pending', 'needs_attention')
"""


def _finish_sent(notification_id, provider_id, provider_status, now):
    sync = "on" if connection.in_atomic_block else "off"
    sql = FINISH_SQL.format(table=Notification._meta.db_table)
    if connection.vendor != "postgresql":  # SQLite (the embedded default) has no such setting: a plain UPDATE
        sql = sql.replace("WITH quick AS (SELECT set_config('synchronous_commit', %(sync)s, true))\n", "").replace(
            "FROM quick\n", "")
    with connection.cursor() as cursor:
        cursor.execute(sql, {
            "sync": sync, "provider_id": provider_id, "provider_status": provider_status, "now": now,
            "id": notification_id})
        return cursor.rowcount


def _failed(notification, exc):
    if exc.ambiguous:
        # Twilio may or may not have made the message: stay "sending", ask it before any retry.
        Notification.objects.filter(pk=notification.pk, status=N.SENDING).update(error_code=exc.code, error=str(exc))
        enqueue_settle(notification.pk, max(SETTLE_DELAY_SECONDS, backoff_seconds(notification.attempts)))
        return None
    if exc.retryable and notification.attempts < MAX_ATTEMPTS:
        return _retry_later(notification, exc)
    if exc.bad_number:
        flag_bad_number(notification.to)
    if exc.opted_out:
        record_carrier_opt_out(notification.to)
    status = N.SUPPRESSED if exc.opted_out else N.NEEDS_ATTENTION if exc.retryable else N.FAILED
    return _finish(notification, status, error_code=exc.code, error=str(exc))


def _retry_later(notification, exc):
    # A provider that says when to come back (Retry-After on a 429) is believed, over our own backoff.
    delay = max(backoff_seconds(notification.attempts), getattr(exc, "retry_after", 0) or 0)
    Notification.objects.filter(pk=notification.pk, status=N.SENDING).update(
        status=N.PENDING, error_code=exc.code, error=str(exc), not_before=timezone.now() + timedelta(seconds=delay),
    )
    return delay


def _finish(notification, status, **fields):
    sent_at = timezone.now() if status == N.SENT else None
    Notification.objects.filter(pk=notification.pk, status=N.SENDING).update(status=status, sent_at=sent_at, **fields)
    return None


def notify_sent(notification):
    """Tell the domain a notification went out (NOTIFICATIONS_SENT_HANDLER)."""
    hooks.call("NOTIFICATIONS_SENT_HANDLER", notification)


def _lock_what_sent_starts(notification):
    """Let the domain lock what the send will change before the outbox row itself
    (NOTIFICATIONS_BEFORE_SENT): its lock order puts request, session and match before their notifications."""
    hooks.call("NOTIFICATIONS_BEFORE_SENT", notification)


def record_carrier_opt_out(phone):
    """The carrier says the number opted out (Twilio 21610): no text goes to it until it replies START."""
    SmsOptOut.objects.get_or_create(phone=phone, defaults={"source": SmsOptOut.Source.CARRIER})


def flag_bad_number(phone):
    """Twilio says the number cannot get texts: the domain marks it, which stops all texts until it is fixed."""
    hooks.call("NOTIFICATIONS_BAD_NUMBER_HANDLER", phone)


def backoff_seconds(attempt):
    """Full-jitter exponential backoff, capped below the broker's visibility timeout."""
    return random.uniform(0, min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(attempt, 0)))


def status_callback_url(notification_id=None):
    """Where Twilio reports delivery; `?n=` names the row, so a report that beats our own write still lands."""
    url = settings.PUBLIC_BASE_URL.rstrip("/") + "/webhooks/twilio/status/"
    return f"{url}?n={notification_id}" if notification_id else url


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
    """The email for a row: plain text, plus the calendar as an alternative and an attachment (RFC 6047)."""
    email = CalendarEmail(
        subject=notification.subject, body=notification.body, to=[notification.to],
        ics_method=notification.ics_method or "REQUEST",
    )
    if notification.html:
        email.attach_alternative(notification.html, "text/html")
    if notification.ics:
        email.attach_alternative(notification.ics, "text/calendar")
        # Bytes, not text: Django would write a str attachment of a non-text type as Latin-1 escapes.
        email.attach("invite.ics", calendar.to_bytes(notification.ics), "application/ics")
    return email


# Sending again what needs attention


class CannotResend(DomainError):
    code = "not_needing_attention"
    http_status = 409


def resend_notification(*, notification_id, visible=None):
    """A coordinator sends again a row that needs attention. At most once still holds: the row goes back to
    "sending" with a fresh count of tries and is settled as a cut-off send would be (a text is first looked
    for at the provider and recorded as sent if it went out after all; else it is queued again).

    `visible` limits which rows the caller may touch (Http404 otherwise); CannotResend (409) for a row that
    does not need attention.
    """
    notification = get_object_or_404(visible if visible is not None else Notification.objects, pk=notification_id)
    taken = Notification.objects.filter(pk=notification.pk, status=N.NEEDS_ATTENTION).update(
        status=N.SENDING, attempts=0, claimed_at=Coalesce(F("claimed_at"), timezone.now()),
        error="sent again by a coordinator",
    )
    if not taken:
        raise CannotResend(f"This message is {notification.status}; only one that needs attention is sent again.")
    settle_notification(notification.pk, now=timezone.now() + claim_timeout())
    notification.refresh_from_db()
    return notification


# Settling sends that were cut off


def settle_interrupted_sends(now=None):
    """Rows left "sending" past the claim timeout (a dead worker): settle each by asking the provider."""
    cutoff = (now or timezone.now()) - claim_timeout()
    stale = Notification.objects.filter(status=N.SENDING, claimed_at__lt=cutoff).values_list("pk", flat=True)
    return sum(1 for notification_id in stale if settle_notification(notification_id, now=now))


def settle_notification(notification_id, now=None):
    """Decide a "sending" row whose send was cut off. Returns True when it was settled now.

    Sent when the provider has a message for it, back to pending when it provably has none,
    needs attention after too many tries. A text is never repeated on a guess.
    """
    now = now or timezone.now()
    notification = Notification.objects.filter(pk=notification_id, status=N.SENDING).first()
    if notification is None:
        return False
    if notification.channel == Notification.Channel.EMAIL:
        # SMTP cannot be asked. A repeated invitation carries the same UID and SEQUENCE: calendars merge it.
        return _back_to_pending(notification, "email send cut off; sending again")
    if _identical_text_in_flight(notification, now):
        return False  # its message could be the one we would find: wait for that send to finish
    try:
        found = sms.get_backend().find_sent(
            to=notification.to, body=notification.body, since=notification.claimed_at - CLOCK_SKEW
        )
    except sms.SmsError as exc:
        return _cannot_ask(notification, exc, now)
    return _settle_with(notification, found)


def _identical_text_in_flight(notification, now):
    return Notification.objects.filter(
        status=N.SENDING, channel=notification.channel, to=notification.to, body=notification.body,
        claimed_at__gte=now - claim_timeout(), error="",
    ).exclude(pk=notification.pk).exists()


def _settle_with(notification, found):
    sids = [message.provider_id for message in found]
    taken = set(Notification.objects.filter(provider_id__in=sids).values_list("provider_id", flat=True))
    free = [message for message in found if message.provider_id not in taken]
    if free:
        return record_sent(notification, free[0].provider_id, provider_status=free[0].status)
    if notification.attempts >= MAX_ATTEMPTS:
        _finish(notification, N.NEEDS_ATTENTION, error=f"nothing was sent after {MAX_ATTEMPTS} tries")
        return True
    return _back_to_pending(notification, "the provider has no such message; sending again")


def _back_to_pending(notification, reason):
    settled = Notification.objects.filter(pk=notification.pk, status=N.SENDING).update(
        status=N.PENDING, not_before=None, error=reason
    )
    if settled:
        transaction.on_commit(partial(enqueue_send, notification.pk, channel=notification.channel))
    return bool(settled)


def _cannot_ask(notification, exc, now):
    if notification.claimed_at < now - SETTLE_GIVE_UP:
        _finish(notification, N.NEEDS_ATTENTION, error=f"could not ask the provider what was sent: {exc}")
        return True
    log.warning("cannot settle notification %s now: %s", notification.pk, exc)
    return False


def requeue_pending(now=None, older_than=None):
    """Queue again every due pending row whose task may have been lost (Redis restarted empty, broker down)."""
    now = now or timezone.now()
    if older_than is None:
        older_than = timedelta(seconds=settings.NOTIFICATION_REQUEUE_AFTER_SECONDS)
    stale = due(now).filter(updated_at__lt=now - older_than)
    rows = list(stale.values_list("pk", "channel"))
    # Touch them, so the next sweep waits its turn instead of queueing them again at once.
    Notification.objects.filter(pk__in=[pk for pk, _ in rows], status=N.PENDING).update(updated_at=now)
    if rows:
        enqueue_sends(rows)
    return len(rows)
