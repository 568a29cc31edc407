"""The match lifecycle. Every change of a match's status goes through `_move`.

Each service runs in one transaction, checks the transition with a compare-and-set
UPDATE, records who did it and why, and writes its notifications in the same transaction.
"""
import logging
from datetime import UTC, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications import compose
from schools.models import MentorRequest

from .models import Booking, Match, MatchTransition, Session

S = Match.Status
log = logging.getLogger(__name__)


class MatchError(Exception):
    """A change the current state no longer allows (HTTP 409)."""

    def __init__(self, message, *, code="conflict"):
        super().__init__(message)
        self.code = code


class TransitionNotAllowed(MatchError):
    def __init__(self, match, target):
        super().__init__(
            f"This match is {match.status} and can no longer become {target}.", code="transition_not_allowed"
        )


def _lock(match_id):
    return (
        Match.objects.select_for_update(of=("self",))
        .select_related("session__request__school__alliance", "session__request__teacher__user",
                        "mentor__user", "mentor__company")
        .get(pk=match_id)
    )


def _move(match, target, *, actor=None, via="web", reason="", **fields):
    """Compare-and-set `match` from its current status to `target`; audit it. Caller holds the transaction."""
    if target not in Match.TRANSITIONS.get(match.status, ()):
        raise TransitionNotAllowed(match, target)
    now = timezone.now()
    updated = Match.objects.filter(pk=match.pk, status=match.status).update(
        status=target, status_changed_at=now, **fields
    )
    if not updated:
        match.refresh_from_db(fields=["status"])
        raise TransitionNotAllowed(match, target)
    MatchTransition.objects.create(
        match=match, from_status=match.status, to_status=target, actor=actor, via=via, reason=reason
    )
    match.status = target
    for name, value in fields.items():
        setattr(match, name, value)
    return match


def check_safety(match):
    """Refuse a mentor who is not vetted for this session (the gate lives here, not only in pages)."""
    mentor, session = match.mentor, match.session
    if mentor.status != mentor.Status.APPROVED:
        raise MatchError(f"{mentor} is not an approved volunteer yet.", code="mentor_not_approved")
    if session.requires_background_check:
        cleared = mentor.cleared_through()
        if cleared is None:
            raise MatchError(f"{mentor} has no cleared background check.", code="background_check_missing")
        if cleared < session.ends_at.astimezone(UTC).date():
            raise MatchError(
                f"{mentor}'s background check expires {cleared:%Y-%m-%d}, before the session ends.",
                code="background_check_expires",
            )


def _book(match):
    """Hold the mentor's time; PostgreSQL's exclusion constraint refuses an overlapping booking."""
    intervals = list(match.session.intervals.all())
    clash = Booking.objects.filter(mentor_id=match.mentor_id, active=True).exclude(match=match)
    for interval in intervals:
        if clash.filter(starts_at__lt=interval.ends_at, ends_at__gt=interval.starts_at).exists():
            raise MatchError(f"{match.mentor} is already booked at that time.", code="mentor_double_booked")
    try:
        with transaction.atomic():
            Booking.objects.bulk_create(
                Booking(match=match, mentor_id=match.mentor_id, starts_at=i.starts_at, ends_at=i.ends_at)
                for i in intervals
            )
    except IntegrityError as exc:
        raise MatchError(f"{match.mentor} is already booked at that time.", code="mentor_double_booked") from exc


def _release(match):
    Booking.objects.filter(match=match, active=True).update(active=False)


def _check_seat(match):
    session = Session.objects.select_for_update().get(pk=match.session_id)
    booked = session.matches.filter(status__in=Match.BOOKED).exclude(pk=match.pk).count()
    if booked >= session.mentors_needed:
        raise MatchError("This session already has all the mentors it needs.", code="session_full")


@transaction.atomic
def approve_match(*, match_id, actor):
    """Approve a proposed match: vetted mentor, free seat, free time; invite the mentor."""
    match = _lock(match_id)
    if S.APPROVED not in Match.TRANSITIONS.get(match.status, ()):
        raise TransitionNotAllowed(match, S.APPROVED)
    check_safety(match)
    _check_seat(match)
    _book(match)
    _move(match, S.APPROVED, actor=actor)
    compose.queue_invitation(match)
    refresh_request_status(match.session.request_id)
    return match


@transaction.atomic
def reject_match(*, match_id, actor, reason):
    """Reject a proposal; the engine never proposes that pair again."""
    match = _lock(match_id)
    _move(match, S.REJECTED, actor=actor, reason=reason)
    refresh_request_status(match.session.request_id)
    return match


@transaction.atomic
def swap_match(*, match_id, mentor_id, actor):
    """Replace a proposal with another feasible mentor the coordinator picked from the ranked list."""
    from . import selectors

    match = _lock(match_id)
    candidates = {mentor.pk: (score, reasons) for mentor, score, reasons in selectors.ranked_candidates(match.session)}
    if mentor_id not in candidates:
        raise MatchError("That volunteer cannot take this session.", code="not_a_candidate")
    _move(match, S.REJECTED, actor=actor, reason=f"swapped for volunteer {mentor_id}")
    score, reasons = candidates[mentor_id]
    return Match.objects.create(session=match.session, mentor_id=mentor_id, score=score, reasons=reasons)


def mark_match_invited(*, match_id):
    """The invitation went out: start the clock for an answer. Quietly does nothing if already past it."""
    with transaction.atomic():
        match = _lock(match_id)
        if match.status != S.APPROVED:
            return match
        respond_by = timezone.now() + timedelta(hours=settings.INVITATION_TTL_HOURS)
        respond_by = min(respond_by, match.session.starts_at - timedelta(hours=2))
        return _move(match, S.INVITED, via="system", respond_by=respond_by)


@transaction.atomic
def confirm_match(*, match_id, actor=None, via="web"):
    """The mentor said yes: the teacher is told who is coming, with their contact details."""
    match = _lock(match_id)
    _move(match, S.CONFIRMED, actor=actor, via=via)
    compose.queue_confirmation_to_teacher(match)
    refresh_request_status(match.session.request_id)
    return match


@transaction.atomic
def decline_match(*, match_id, actor=None, via="web", reason=""):
    """The mentor said no: free the seat and look for the next best mentor."""
    match = _lock(match_id)
    _move(match, S.DECLINED, actor=actor, via=via, reason=reason)
    _release(match)
    _after_seat_freed(match)
    return match


@transaction.atomic
def expire_match(*, match_id):
    """No answer in time: free the seat and look for the next best mentor."""
    match = _lock(match_id)
    _move(match, S.EXPIRED, via="system", reason="no answer before the deadline")
    _release(match)
    _after_seat_freed(match)
    return match


@transaction.atomic
def cancel_match(*, match_id, actor=None, via="web", reason, backfill=True):
    """Call off one match; tell the mentor if they were invited or booked, and withdraw the invite."""
    match = _lock(match_id)
    was = match.status
    _move(match, S.CANCELLED, actor=actor, via=via, reason=reason)
    _release(match)
    if was in (S.INVITED, S.CONFIRMED, S.APPROVED):
        compose.queue_cancellation(match, sequence=match.session.revision + 1)
    if backfill:
        _after_seat_freed(match)
    else:
        refresh_request_status(match.session.request_id)
    return match


@transaction.atomic
def complete_match(*, match_id, actor, hours, students_reached):
    """The session happened: record hours and students reached for impact reports."""
    match = _lock(match_id)
    _release(match)
    return _move(match, S.COMPLETED, actor=actor, hours=hours, students_reached=students_reached)


@transaction.atomic
def mark_no_show(*, match_id, actor, reason=""):
    match = _lock(match_id)
    _release(match)
    return _move(match, S.NO_SHOW, actor=actor, reason=reason)


def _after_seat_freed(match):
    refresh_request_status(match.session.request_id)
    from .tasks import backfill_session

    transaction.on_commit(partial(queue_task, backfill_session, match.session_id))


def queue_matching_run(*, alliance_id, window_start, window_end, now=None):
    """Queue a coordinator's matching run; True if the broker took it.

    Raises ValidationError (by field) for a window reaching past the request horizon either way: no
    request can be booked there, and a window of centuries would only exhaust the worker.
    """
    from schools.services import horizon

    now = now or timezone.now()
    if window_end > horizon(now):
        raise ValidationError({"window_end": "The window must end within the booking horizon "
                                             f"({settings.REQUEST_HORIZON_DAYS} days from now)."})
    if window_start < now - timedelta(days=settings.REQUEST_HORIZON_DAYS):
        raise ValidationError({"window_start": "The window may start at most "
                                               f"{settings.REQUEST_HORIZON_DAYS} days ago."})
    from .tasks import run_matching

    return queue_task(run_matching, alliance_id, window_start.isoformat(), window_end.isoformat())


def queue_task(task, *args):
    """Queue a matching task; True if the broker took it. A broker outage is logged, not raised:
    the hourly `scheduling.plan_matching` run catches up with whatever was missed."""
    try:
        task.delay(*args)
        return True
    except Exception:  # noqa: BLE001 - any broker failure
        log.warning("could not queue %s%s", task.name, args)
        return False


def queue_alliance_matching(*, alliance_id):
    """Queue the alliance's weekly runs over the planning horizon now, as the hourly plan would;
    False if the broker would not take them (the hourly plan still catches up)."""
    from .tasks import horizon_weeks, run_matching

    return all(queue_task(run_matching, alliance_id, start, end) for start, end in horizon_weeks())


def refresh_request_status(request_id):
    """Derive the request's status from its sessions' matches."""
    request = MentorRequest.objects.select_for_update().get(pk=request_id)
    if request.status == MentorRequest.Status.CANCELLED:
        return request
    statuses = list(Match.objects.filter(session__request=request).values_list("status", flat=True))
    needed = sum(request.sessions.exclude(status=Session.Status.CANCELLED).values_list("mentors_needed", flat=True))
    status = _derive_status(statuses, needed)
    if status != request.status:
        MentorRequest.objects.filter(pk=request.pk).update(status=status)
        request.status = status
    return request


def _derive_status(statuses, needed):
    R = MentorRequest.Status
    if needed and statuses.count(S.COMPLETED) >= needed:
        return R.COMPLETED
    if needed and statuses.count(S.CONFIRMED) + statuses.count(S.COMPLETED) >= needed:
        return R.CONFIRMED
    if any(s in (S.PROPOSED, S.APPROVED, S.INVITED, S.CONFIRMED) for s in statuses):
        return R.PROPOSED
    return R.MATCHING if statuses else R.SUBMITTED


@transaction.atomic
def cancel_request(*, request_id, actor, reason):
    """The teacher calls off a request: every live match is cancelled and its mentor told."""
    request = MentorRequest.objects.select_for_update().get(pk=request_id)
    if request.status in (MentorRequest.Status.CANCELLED, MentorRequest.Status.COMPLETED):
        raise MatchError(f"This request is already {request.status}.", code="transition_not_allowed")
    live = Match.objects.filter(session__request=request, status__in=[S.PROPOSED, *Match.BOOKED])
    for match_id in live.values_list("pk", flat=True):
        cancel_match(match_id=match_id, actor=actor, reason=reason, backfill=False)
    request.sessions.update(status=Session.Status.CANCELLED)
    MentorRequest.objects.filter(pk=request.pk).update(status=MentorRequest.Status.CANCELLED)
    request.status = MentorRequest.Status.CANCELLED
    return request
