"""Thin Celery adapters: take ids, re-fetch, call one service."""
from datetime import datetime

from celery import shared_task
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from alliances.models import Alliance
from mentors.models import Mentor

from . import digests, matching, reminders, services, vetting
from .models import Match, Session

HORIZON_WEEKS = matching.HORIZON_WEEKS


def horizon_weeks(weeks=HORIZON_WEEKS):
    """`matching.planning_weeks` as ISO pairs, the form a task's arguments take."""
    return [(start.isoformat(), end.isoformat()) for start, end in matching.planning_weeks(weeks)]


# A task that finds its alliance locked (a backfill, a coordinator's re-run) goes back to the
# queue for this long instead of holding a worker; the hourly plan catches up after the last try.
BUSY_RETRY_SECONDS = 2
BUSY_RETRIES = 60


@shared_task(name="scheduling.match_alliance", bind=True, acks_late=True, max_retries=BUSY_RETRIES)
def match_alliance(self, alliance_id, windows, session_ids=None):
    """Match one alliance's windows (ISO pairs) in order, its mentors read once for all of them.

    Every matching run goes through here: the hourly plan, a coordinator's re-run or window, a new
    request, and a freed seat (`session_ids`: only those sessions, as a backfill). Never waits on
    the alliance's lock: when it is held, the windows not yet run go back to the queue. Acknowledged
    after it finishes, so a worker lost mid-run hands it to another (runs are idempotent).
    """
    if not Alliance.objects.filter(pk=alliance_id).exists():
        return None
    try:
        runs = matching.run_weeks(alliance_id=alliance_id, session_ids=session_ids, windows=[
            (datetime.fromisoformat(start), datetime.fromisoformat(end)) for start, end in windows
        ])
    except matching.AllianceBusy as busy:
        raise self.retry(args=(alliance_id, windows[busy.done:]), kwargs={"session_ids": session_ids},
                         countdown=BUSY_RETRY_SECONDS) from busy
    return len(runs)


# Nothing queues these two any more (every run goes through match_alliance); they stay registered
# so messages queued before an upgrade still run, and run_matching is bench_scale's "before" plan.
@shared_task(name="scheduling.run_matching")
def run_matching(alliance_id, window_start, window_end):
    """Match one alliance over one window (ISO datetimes), waiting for the alliance's lock."""
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


def plan_order():
    """Alliance ids, the most approved mentors first: the longest tasks start first, so the last
    worker to finish is not the one that drew the biggest alliance at the end."""
    sizes = dict(
        Mentor.objects.filter(status=Mentor.Status.APPROVED).values("company__alliance_id")
        .annotate(n=Count("pk")).values_list("company__alliance_id", "n")
    )
    return sorted(Alliance.objects.values_list("pk", flat=True), key=lambda pk: (-sizes.get(pk, 0), pk))


@shared_task(name="scheduling.plan_matching")
def plan_matching(weeks=HORIZON_WEEKS):
    """Fan out: one match_alliance task per alliance for all its weeks, biggest first.

    An alliance's runs must be serialised (mentors' monthly caps span weeks), so one task per
    alliance is the finest split that never leaves a worker waiting on another's lock; N workers
    finish about N times sooner while there are at least N alliances of similar size.
    """
    windows = horizon_weeks(weeks)
    order = plan_order()
    for alliance_id in order:
        match_alliance.delay(alliance_id, windows)
    return len(order)


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


@shared_task(name="scheduling.send_signup_digests")
def send_signup_digests():
    """Daily: each coordinator hears of the sign-ups awaiting them, in one email."""
    with transaction.atomic():
        return digests.queue_signup_digests()
