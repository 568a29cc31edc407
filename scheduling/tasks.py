"""Thin Celery adapters: take ids, re-fetch, call one service."""
from datetime import datetime, timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from alliances.models import Alliance

from . import matching, reminders, services, vetting
from .models import Match, Session

HORIZON_WEEKS = 8


@shared_task(name="scheduling.run_matching")
def run_matching(alliance_id, window_start, window_end):
    """Match one alliance over one window (ISO datetimes); one task per alliance-week scales out."""
    if not Alliance.objects.filter(pk=alliance_id).exists():
        return None
    run = matching.propose_matches(
        alliance_id=alliance_id,
        window_start=datetime.fromisoformat(window_start),
        window_end=datetime.fromisoformat(window_end),
    )
    return run.stats


@shared_task(name="scheduling.backfill_session")
def backfill_session(session_id):
    """A seat came free: propose the next best mentor for that session alone."""
    session = Session.objects.filter(pk=session_id, status=Session.Status.OPEN).first()
    if session is None:
        return None
    run = matching.propose_matches(
        alliance_id=session.alliance_id, window_start=session.starts_at, window_end=session.ends_at,
        session_ids=[session.pk],
    )
    return run.stats


def horizon_weeks(weeks=HORIZON_WEEKS):
    """(start, end) ISO datetimes of this week, from Monday 00:00 UTC, and of each of the `weeks - 1` after it."""
    start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    start -= timedelta(days=start.weekday())
    return [((start + timedelta(weeks=w)).isoformat(), (start + timedelta(weeks=w + 1)).isoformat())
            for w in range(weeks)]


@shared_task(name="scheduling.plan_matching")
def plan_matching(weeks=HORIZON_WEEKS):
    """Fan out: one run_matching task per alliance and week, so more workers finish sooner."""
    windows = horizon_weeks(weeks)
    queued = 0
    for alliance_id in Alliance.objects.values_list("pk", flat=True):
        for window_start, window_end in windows:
            run_matching.delay(alliance_id, window_start, window_end)
            queued += 1
    return queued


@shared_task(name="scheduling.expire_stale_invitations")
def expire_stale_invitations():
    """Invitations nobody answered in time become expired, which starts a backfill."""
    expired = 0
    stale = Match.objects.filter(status=Match.Status.INVITED, respond_by__lt=timezone.now())
    for match_id in stale.values_list("pk", flat=True):
        try:
            services.expire_match(match_id=match_id)
            expired += 1
        except services.MatchError:
            continue  # answered a moment ago
    return expired


@shared_task(name="scheduling.queue_due_reminders")
def queue_due_reminders():
    """Reminders 24 h and 2 h before confirmed sessions, each once (run by beat every few minutes)."""
    with transaction.atomic():
        return reminders.queue_due_reminders()


@shared_task(name="scheduling.withdraw_uncleared_mentors")
def withdraw_uncleared_mentors():
    """Daily: lapse checks past their date and withdraw volunteers from sessions their check will not cover."""
    return vetting.withdraw_uncleared_mentors()
