"""The match lifecycle. Every change of a match's status goes through `_move`.

Each service runs in one transaction, checks the transition with a compare-and-set
UPDATE, records who did it and why, and writes its notifications in the same transaction.
Rows are locked in the one order of `scheduling.locks` (request, session, match, booking).
"""
import logging
from datetime import UTC, timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from schools.models import MentorRequest
from schools.services import horizon

from . import messages, selectors, still_true
from .locks import lock_match, lock_matches, lock_mentor_bookings, lock_request, lock_sessions
from .matching import planning_weeks
from .models import Booking, Match, MatchTransition, Session
from .request_status import refresh_request_status

S = Match.Status
# Messages that ask the mentor for an answer: their clock starts when one goes out.
ASKING = ("invitation", "reconfirm")
log = logging.getLogger(__name__)


class MatchError(DomainError):
    """A change the current state no longer allows (HTTP 409)."""

    code = "conflict"
    http_status = 409


class TransitionNotAllowed(MatchError):
    def __init__(self, match, target):
        super().__init__(
            f"This match is {match.status} and can no longer become {target}.", code="transition_not_allowed"
        )


def _lock(match_id):
    """The match, with its request and session locked first (the lock order of `scheduling.locks`)."""
    return lock_match(match_id)


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
    lock_mentor_bookings(match.mentor_id)
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
    session = match.session  # locked by `_lock`, so no other approval can take the seat meanwhile
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
    messages.queue_invitation(match)
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
    match = _lock(match_id)
    candidates = {mentor.pk: (score, reasons) for mentor, score, reasons in selectors.ranked_candidates(match.session)}
    if mentor_id not in candidates:
        raise MatchError("That volunteer cannot take this session.", code="not_a_candidate")
    _move(match, S.REJECTED, actor=actor, reason=f"swapped for volunteer {mentor_id}")
    score, reasons = candidates[mentor_id]
    return Match.objects.create(session=match.session, mentor_id=mentor_id, score=score, reasons=reasons)


def mark_match_invited(*, match_id, channel=None):
    """The invitation went out: start the clock for an answer. Quietly does nothing if already past it,
    or if the safety gate now refuses the mentor (the daily sweep, `scheduling.vetting`, withdraws them).

    The answer window runs from when the text went out: an email sent at night moves the match to invited,
    and the text held until morning restarts the clock when it goes (`channel="sms"`)."""
    with transaction.atomic():
        match = _lock(match_id)
        respond_by = _respond_by(match)
        if match.status == S.INVITED and channel == "sms" and (match.respond_by is None or
                                                               match.respond_by < respond_by):
            Match.objects.filter(pk=match.pk, status=S.INVITED).update(respond_by=respond_by)
            match.respond_by = respond_by
            return match
        if match.status != S.APPROVED:
            return match
        try:
            check_safety(match)
        except MatchError as refused:
            log.warning("match %s not moved to invited: %s", match.pk, refused.code)
            return match
        return _move(match, S.INVITED, via="system", respond_by=respond_by)


def ask_to_reconfirm(match, *, actor=None, reason="the session moved; asked to reconfirm"):
    """A confirmed match whose session moved by more than the margin (or to a place beyond the mentor's travel
    range) goes back to invited: the mentor is asked to confirm it again (YES keeps the place, NO or silence
    frees it). Caller holds the locks."""
    return _move(match, S.INVITED, actor=actor, via="system", reason=reason, respond_by=_respond_by(match))


def _respond_by(match):
    respond_by = timezone.now() + timedelta(hours=settings.INVITATION_TTL_HOURS)
    return min(respond_by, match.session.starts_at - timedelta(hours=2))


def lock_before_sent(notification):
    """NOTIFICATIONS_BEFORE_SENT: lock an invitation's request, session and match before the outbox row,
    in the order of `scheduling.locks`, so recording the send cannot deadlock with a reschedule."""
    if notification.kind in ASKING and notification.match_id:
        lock_match(notification.match_id)


def notification_sent(notification):
    """A notification went out (NOTIFICATIONS_SENT_HANDLER): a sent invitation starts the clock for the
    mentor's answer. Never undoes the send."""
    if notification.kind not in ASKING or not notification.match_id:
        return
    try:
        with transaction.atomic():
            mark_match_invited(match_id=notification.match_id, channel=notification.channel)
    except MatchError:
        log.info("match %s moved on before its invitation was recorded as sent", notification.match_id)


@transaction.atomic
def confirm_match(*, match_id, actor=None, via="web"):
    """The mentor said yes: the teacher is told who is coming, with their contact details.

    The safety gate is checked again now (a check may have lapsed since approval); a mentor it refuses
    is told only that the invitation is no longer open, never why.
    """
    match = _lock(match_id)
    if S.CONFIRMED not in Match.TRANSITIONS.get(match.status, ()):
        raise TransitionNotAllowed(match, S.CONFIRMED)
    try:
        check_safety(match)
    except MatchError as refused:
        raise MatchError("This invitation is no longer open.", code="invitation_withdrawn") from refused
    _move(match, S.CONFIRMED, actor=actor, via=via)
    messages.supersede_held(match, kinds=("invitation", "reconfirm"), reason=f"the mentor accepted ({via})")
    messages.queue_confirmation_to_teacher(match)
    refresh_request_status(match.session.request_id)
    return match


@transaction.atomic
def decline_match(*, match_id, actor=None, via="web", reason=""):
    """The mentor said no: free the seat and look for the next best mentor."""
    match = _lock(match_id)
    _move(match, S.DECLINED, actor=actor, via=via, reason=reason)
    messages.supersede_held(match, reason=f"the mentor declined ({via})")
    _release(match)
    _after_seat_freed(match)
    return match


@transaction.atomic
def expire_match(*, match_id):
    """No answer in time: free the seat and look for the next best mentor."""
    match = _lock(match_id)
    _move(match, S.EXPIRED, via="system", reason="no answer before the deadline")
    messages.supersede_held(match, reason="the invitation expired")
    _release(match)
    _after_seat_freed(match)
    return match


@transaction.atomic
def cancel_match(*, match_id, actor=None, via="web", reason, backfill=True, tell_teacher=True):
    """Call off one match; tell the mentor if they were invited or booked, and withdraw the invite.

    Its held messages are withdrawn; the cancellation goes only where the mentor heard of the match.
    `tell_teacher=False` when the teacher called it off themselves."""
    match = _lock(match_id)
    was = match.status
    _move(match, S.CANCELLED, actor=actor, via=via, reason=reason)
    _release(match)
    messages.supersede_held(match, reason=f"the match was cancelled: {reason}")
    if was in (S.INVITED, S.CONFIRMED, S.APPROVED):
        messages.queue_cancellation(match, sequence=match.session.revision + 1, was_confirmed=was == S.CONFIRMED,
                                    tell_teacher=tell_teacher)
    if backfill:
        _after_seat_freed(match)
    else:
        refresh_request_status(match.session.request_id)
    return match


def withdraw_match(*, match_id, actor=None, via="system", reason):
    """Take a mentor the safety gate now refuses out of a booked (approved, invited, confirmed) match.

    Caller holds the transaction. The booking is released, held and queued messages to the mentor are
    withdrawn, the teacher is told a replacement is sought (never why), a mentor who had heard of the
    session is told neutrally, and backfill is queued. `reason` goes only into the audit row. Returns the
    cancelled match with `status_before` set, or None when the match is no longer booked or the gate
    still lets the mentor in.
    """
    match = _lock(match_id)
    if match.status not in Match.BOOKED:
        return None
    try:
        check_safety(match)
        return None
    except MatchError:
        pass
    was = match.status
    heard = was != S.APPROVED or still_true.heard_of(match)
    _move(match, S.CANCELLED, actor=actor, via=via, reason=f"withdrawn: {reason}")
    _release(match)
    messages.supersede_held(match, reason="the mentor was withdrawn from this session")
    messages.queue_withdrawal(match, sequence=match.session.revision + 1, tell_mentor=heard)
    _after_seat_freed(match)
    match.status_before = was
    return match


class NotEntitled(MatchError):
    """The person may see this match but not make this change (HTTP 403)."""

    http_status = 403

    def __init__(self, message):
        super().__init__(message, code="not_entitled")


def _require_closer(match, actor):
    """Only the person who made the request (teacher or partner staff) or a coordinator of its alliance says
    how a session went."""
    request = match.session.request
    if actor is not None and actor.pk == request.requester.user_id:
        return
    coordinator = getattr(actor, "coordinator", None)
    if coordinator is not None and coordinator.alliance_id == match.session.alliance_id:
        return
    raise NotEntitled("Only the person who asked for this session or a coordinator can record how it went.")


def _require_started(match):
    """Nothing is counted as held before it happened: the session's last occurrence must have started."""
    last = match.session.intervals.order_by("-starts_at").first()
    if last is not None and last.starts_at > timezone.now():
        raise MatchError("This session has not happened yet; record it once its last occurrence has started.",
                         code="too_early")


def session_hours(session):
    """The session's scheduled length in hours, every occurrence together."""
    seconds = sum((i.ends_at - i.starts_at).total_seconds() for i in session.intervals.all())
    return Decimal(seconds) / 3600


def _check_hours(session, hours, field="hours"):
    limit = (session_hours(session) + Decimal(str(settings.COMPLETION_EXTRA_HOURS))).quantize(Decimal("0.01"))
    hours = Decimal(str(hours))
    if hours <= 0 or hours > limit:
        raise ValidationError({field: f"Enter the hours mentored: more than 0 and at most {limit} (the session's "
                                      f"length plus {settings.COMPLETION_EXTRA_HOURS:g} h)."})
    return hours


def _check_students(request, students_reached):
    extra = settings.COMPLETION_EXTRA_STUDENTS
    limit = request.student_count + extra
    if students_reached < 0 or students_reached > limit:
        raise ValidationError({"students_reached": f"Enter the students reached: 0 to {limit} (the class of "
                                                   f"{request.student_count} plus {extra})."})


@transaction.atomic
def complete_match(*, match_id, actor, hours, students_reached):
    """The session happened: record hours and students reached for impact reports.

    Only a confirmed match, only once its last occurrence has started (409 otherwise, so a second
    completion is a 409 too), only by the requesting teacher or a coordinator (403); hours are at most
    the session's length plus COMPLETION_EXTRA_HOURS and students the headcount plus
    COMPLETION_EXTRA_STUDENTS (a field error otherwise). Nothing is written when any check fails.
    """
    match = _lock(match_id)
    if S.COMPLETED not in Match.TRANSITIONS.get(match.status, ()):
        raise TransitionNotAllowed(match, S.COMPLETED)
    _require_closer(match, actor)
    _require_started(match)
    hours = _check_hours(match.session, hours)
    _check_students(match.session.request, students_reached)
    _release(match)
    _move(match, S.COMPLETED, actor=actor, hours=hours, students_reached=students_reached)
    refresh_request_status(match.session.request_id)
    return match


@transaction.atomic
def mark_no_show(*, match_id, actor, reason=""):
    """The mentor did not come: same people and same moment as a completion."""
    match = _lock(match_id)
    if S.NO_SHOW not in Match.TRANSITIONS.get(match.status, ()):
        raise TransitionNotAllowed(match, S.NO_SHOW)
    _require_closer(match, actor)
    _require_started(match)
    _release(match)
    return _move(match, S.NO_SHOW, actor=actor, reason=reason)


@transaction.atomic
def report_mentor_hours(*, match_id, actor, hours):
    """The mentor says how many hours they gave. It never completes the match (the teacher does);
    a later report replaces an earlier one. Same moment and bounds as a completion."""
    match = _lock(match_id)
    if actor is None or match.mentor.user_id != actor.pk:
        raise NotEntitled("Only the mentor of this session can report their hours.")
    if match.status not in (S.CONFIRMED, S.COMPLETED):
        raise MatchError(f"This match is {match.status}; hours are reported for sessions you were confirmed for.",
                         code="transition_not_allowed")
    _require_started(match)
    hours = _check_hours(match.session, hours)
    now = timezone.now()
    Match.objects.filter(pk=match.pk).update(mentor_hours=hours, mentor_hours_reported_at=now)
    match.mentor_hours, match.mentor_hours_reported_at = hours, now
    return match


def _after_seat_freed(match):
    refresh_request_status(match.session.request_id)
    session = match.session
    transaction.on_commit(partial(queue_session_backfill, alliance_id=session.alliance_id, session_id=session.pk,
                                  starts_at=session.starts_at, ends_at=session.ends_at))


def queue_alliance_runs(*, alliance_id, windows, session_ids=None):
    """Queue matching of the alliance over `windows` ((start, end) aware datetimes, in order) as one
    `scheduling.match_alliance` task, the way every run is queued, so an alliance's runs stay
    serialised without a worker waiting on its lock; only `session_ids` when given. True if the
    broker took it. A broker outage is logged, not raised: the hourly plan catches up."""
    from .tasks import match_alliance  # noqa: PLC0415 -- tasks.py, the adapters, imports this module

    windows = [[start.isoformat(), end.isoformat()] for start, end in windows]
    extra = {} if session_ids is None else {"session_ids": list(session_ids)}
    try:
        match_alliance.delay(alliance_id, windows, **extra)
        return True
    except Exception:  # noqa: BLE001 - any broker failure
        log.warning("could not queue matching of alliance %s over %s", alliance_id, windows)
        return False


def queue_session_backfill(*, alliance_id, session_id, starts_at, ends_at):
    """A seat came free: queue a run proposing the next best mentor for that session alone."""
    return queue_alliance_runs(alliance_id=alliance_id, windows=[(starts_at, ends_at)], session_ids=[session_id])


def queue_matching_run(*, alliance_id, window_start, window_end, now=None):
    """Queue a coordinator's matching run; True if the broker took it.

    Raises ValidationError (by field) for a window reaching past the request horizon either way: no
    request can be booked there, and a window of centuries would only exhaust the worker.
    """
    now = now or timezone.now()
    if window_end > horizon(now):
        raise ValidationError({"window_end": "The window must end within the booking horizon "
                                             f"({settings.REQUEST_HORIZON_DAYS} days from now)."})
    if window_start < now - timedelta(days=settings.REQUEST_HORIZON_DAYS):
        raise ValidationError({"window_start": "The window may start at most "
                                               f"{settings.REQUEST_HORIZON_DAYS} days ago."})
    return queue_alliance_runs(alliance_id=alliance_id, windows=[(window_start, window_end)])


def queue_alliance_matching(*, alliance_id):
    """Queue the alliance's weekly runs over the planning horizon now, as the hourly plan would;
    False if the broker would not take them (the hourly plan still catches up)."""
    return queue_alliance_runs(alliance_id=alliance_id, windows=planning_weeks())


@transaction.atomic
def cancel_request(*, request_id, actor, reason):
    """The teacher calls off a request: every live match is cancelled and its mentor told."""
    request = lock_request(request_id)
    if request.status in (MentorRequest.Status.CANCELLED, MentorRequest.Status.COMPLETED):
        raise MatchError(f"This request is already {request.status}.", code="transition_not_allowed")
    lock_sessions(request.sessions.values_list("pk", flat=True))
    live = lock_matches(Match.objects.filter(session__request=request, status__in=[S.PROPOSED, *Match.BOOKED]))
    for match in live:
        cancel_match(match_id=match.pk, actor=actor, reason=reason, backfill=False, tell_teacher=False)
    request.sessions.update(status=Session.Status.CANCELLED)
    MentorRequest.objects.filter(pk=request.pk).update(status=MentorRequest.Status.CANCELLED)
    request.status = MentorRequest.Status.CANCELLED
    return request
