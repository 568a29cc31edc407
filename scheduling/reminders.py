"""Reminders 24 hours and 2 hours before each confirmed session, found in the database.

A periodic task (Celery beat) asks "which reminders are due now?" instead of queueing
day-long countdown tasks, which Redis would redeliver in a loop past its visibility
timeout and lose on a restart. Each reminder is an outbox row with its own key: sent once.
"""
from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone

from notifications import quiet_hours
from notifications.models import Notification

from . import messages
from .models import Match, SessionInterval

LEADS = (("2h", timedelta(hours=2)), ("24h", timedelta(hours=24)))
# A text held for the night that would land this close to the start is not worth sending.
TOO_LATE_BEFORE_START = timedelta(minutes=30)


def lead_for(starts_at, now):
    """Which reminder is due for an interval starting at `starts_at`: "2h", "24h" or None."""
    for lead, ahead in LEADS:
        if now < starts_at <= now + ahead:
            return lead
    return None


def due_reminders(now=None):
    """(match, interval, lead) for each confirmed booking whose reminder time has come."""
    now = now or timezone.now()
    horizon = now + LEADS[-1][1]
    upcoming = SessionInterval.objects.filter(starts_at__gt=now, starts_at__lte=horizon)
    matches = (
        Match.objects.filter(status=Match.Status.CONFIRMED, session__status="open",
                             session__intervals__starts_at__gt=now, session__intervals__starts_at__lte=horizon)
        .distinct()
        .select_related("mentor__user", "session__request__school")
        .prefetch_related(Prefetch("session__intervals", queryset=upcoming, to_attr="upcoming"))
    )
    for match in matches:
        for interval in match.session.upcoming:
            lead = lead_for(interval.starts_at, now)
            if lead:
                yield match, interval, lead


def queue_due_reminders(now=None):
    """Queue every reminder that is due and not yet in the outbox; returns how many were queued."""
    now = now or timezone.now()
    due = list(due_reminders(now))
    keys = {messages.reminder_key(*item) for item in due}
    done = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
    queued = 0
    for match, interval, lead in due:
        if messages.reminder_key(match, interval, lead) in done or _lands_too_late(match, interval, now):
            continue
        messages.queue_reminder(match, interval, lead)
        queued += 1
    return queued


def _lands_too_late(match, interval, now):
    mentor = match.mentor
    if not mentor.can_be_texted:
        return False
    held = quiet_hours.hold_until(now, mentor.timezone)
    return held is not None and held > interval.starts_at - TOO_LATE_BEFORE_START
