"""A teacher's request becomes sessions to match: creating one, and moving it to new times.

The request's own fields and its rules (times, place, who may ask) are the schools app's; booking its
session, re-matching and telling the booked mentors are scheduling's.
"""
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q

from schools.models import MentorRequest, School
from schools.services import RequestRefused, check_horizon, check_place, format_of, refuse_if_closed

from . import messages
from .locks import lock_matches, lock_request, lock_sessions
from .models import Match, Session, SessionInterval
from .services import MatchError, _book, _release, ask_to_reconfirm, cancel_match, queue_alliance_runs


def _queue_matching(alliance_id, window_start, window_end):
    queue_alliance_runs(alliance_id=alliance_id, windows=[(window_start, window_end)])


def _default_kind(format):
    return MentorRequest.Kind.VIRTUAL_SESSION if format == "virtual" else MentorRequest.Kind.CLASSROOM_VISIT


def _who_asks(*, teacher, partner_staff, site):
    """The requester and the site: a teacher asks for their own school; partner staff for their own site or
    a school of their alliance. Refuses anyone not yet vouched for."""
    if (teacher is None) == (partner_staff is None):
        raise ValueError("a request has exactly one requester: a teacher or partner staff")
    if teacher is not None:
        if not teacher.is_verified:
            raise RequestRefused("A coordinator has to verify your account before you can request mentors.")
        return teacher.school
    if not partner_staff.may_request_mentors:
        raise RequestRefused("A coordinator has to approve your organization and verify your account before you "
                             "can request mentors.")
    if site is None or site.pk not in set(partner_sites(partner_staff).values_list("pk", flat=True)):
        raise ValidationError({"site": "Choose your own site or one of the alliance's schools."})
    return site


def partner_sites(partner_staff):
    """Where a partner's programme may take place: its own site(s), or any school of its alliance."""
    member = partner_staff.member
    return School.objects.filter(alliance_id=member.alliance_id).filter(
        Q(kind=School.Kind.SCHOOL) | Q(kind=School.Kind.PARTNER_SITE, member=member))


@transaction.atomic
def create_request(*, teacher=None, partner_staff=None, site=None, setting=None, topic, grade_band, format,
                   student_count, intervals, skills=(), mentors_needed=1, description="", language="",
                   meeting_link="", kind=None, submission_key=None):
    """A verified teacher (for their school) or verified partner staff (for `site`) asks for mentors; matching
    is queued once the request is saved.

    `intervals` is one or more (start, end) pairs of aware datetimes: one visit, or a weekly series.
    """
    school = _who_asks(teacher=teacher, partner_staff=partner_staff, site=site)
    intervals = sorted(intervals)
    check_horizon(intervals[-1][1])
    kind = kind or _default_kind(format)
    request = MentorRequest.objects.create(
        school=school, teacher=teacher, partner_staff=partner_staff, topic=topic, description=description,
        grade_band=grade_band, format=format, language=language, student_count=student_count,
        mentors_needed=mentors_needed, meeting_link=meeting_link, submission_key=submission_key, kind=kind,
        setting=setting or _default_setting(kind),
    )
    request.skills.set(skills)
    session = Session.objects.create(
        request=request, alliance_id=school.alliance_id, starts_at=intervals[0][0],
        ends_at=intervals[-1][1], mentors_needed=mentors_needed,
    )
    SessionInterval.objects.bulk_create(SessionInterval(session=session, starts_at=s, ends_at=e) for s, e in intervals)
    transaction.on_commit(partial(
        _queue_matching, session.alliance_id, session.starts_at - timedelta(hours=1), session.ends_at
    ))
    return request


def _default_setting(kind):
    S = MentorRequest.Setting
    return S.AFTER_SCHOOL if kind == MentorRequest.Kind.AFTER_SCHOOL else S.IN_SCHOOL


@transaction.atomic
def create_teacher_request(*, kind, time_options=None, series=None, **fields):
    """A request from the request form or the API.

    Give either `time_options` (one to three acceptable (start, end) pairs: the first is booked now and
    the others are kept as alternatives a coordinator can move the session to) or `series` (the intervals
    of a weekly series, one session so the students keep one mentor).
    """
    check_place(kind=kind, meeting_link=fields.get("meeting_link", ""))
    if bool(time_options) == bool(series):
        raise ValidationError({"time_options": "Give one to three time options, or a weekly series."})
    intervals = [time_options[0]] if time_options else series
    alternatives = [[s.isoformat(), e.isoformat()] for s, e in (time_options or [])[1:]]
    request = create_request(intervals=intervals, format=format_of(kind), kind=kind, **fields)
    if alternatives:
        MentorRequest.objects.filter(pk=request.pk).update(alternative_times=alternatives)
        request.alternative_times = alternatives
    return request


@transaction.atomic
def reschedule_request(*, request_id, actor, intervals=None, meeting_link=None):
    """Move a request's session to new times and/or a new meeting link.

    The session's revision goes up, so every calendar invitation already sent is replaced (same UID, higher
    SEQUENCE). Booked mentors keep their place and get the updated invitation, unless they are booked
    elsewhere at the new time: then their match is cancelled (they are told) and a replacement is sought.
    Matching runs again for the new time.
    """
    request = lock_request(request_id)
    refuse_if_closed(request)
    session = request.sessions.exclude(status=Session.Status.CANCELLED).order_by("starts_at").first()
    if session is None:
        raise RequestRefused("This request has no open session to move.")
    [session] = lock_sessions([session.pk])
    before = [(i.starts_at, i.ends_at) for i in session.intervals.all()]
    moved = intervals is not None and _move_intervals(session, intervals)
    relinked = meeting_link is not None and meeting_link != request.meeting_link
    if relinked:
        check_place(kind=request.kind, meeting_link=meeting_link)
        MentorRequest.objects.filter(pk=request.pk).update(meeting_link=meeting_link)
        request.meeting_link = meeting_link
    if not (moved or relinked):
        return request
    Session.objects.filter(pk=session.pk).update(revision=F("revision") + 1)
    session.refresh_from_db()
    reconfirm = moved and _beyond_margin(before, session)
    for match in _booked_matches(session):
        _rebook(match, actor=actor, moved=moved, reconfirm=reconfirm, old_when=_when_before(match, before))
    transaction.on_commit(partial(
        _queue_matching, session.alliance_id, session.starts_at - timedelta(hours=1), session.ends_at
    ))
    request.refresh_from_db()
    return request


def _move_intervals(session, intervals):
    intervals = sorted(intervals)
    check_horizon(intervals[-1][1])
    if intervals == [(i.starts_at, i.ends_at) for i in session.intervals.all()]:
        return False
    session.intervals.all().delete()
    SessionInterval.objects.bulk_create(
        SessionInterval(session=session, starts_at=s, ends_at=e) for s, e in intervals
    )
    Session.objects.filter(pk=session.pk).update(starts_at=intervals[0][0], ends_at=intervals[-1][1])
    return True


def _booked_matches(session):
    return lock_matches(Match.objects.filter(session=session, status__in=Match.BOOKED))


def _beyond_margin(before, session):
    """Some new occurrence starts further than RECONFIRM_MARGIN_MINUTES from every old one (a moved or added
    week), so a confirmed mentor has not agreed to it."""
    margin = timedelta(minutes=settings.RECONFIRM_MARGIN_MINUTES)
    return any(all(abs(i.starts_at - start) > margin for start, _ in before) for i in session.intervals.all())


def _when_before(match, before):
    """The old time, as the mentor's texts say it."""
    local = messages.local_time(before[0][0], match.mentor.timezone)
    return local if len(before) == 1 else f"{len(before)} sessions from {local}"


def _rebook(match, *, actor, moved, reconfirm, old_when):
    if moved:
        _release(match)
        try:
            _book(match)
        except MatchError:
            cancel_match(match_id=match.pk, actor=actor, reason="moved to a time the mentor is booked elsewhere")
            return
    if reconfirm and match.status == Match.Status.CONFIRMED:
        ask_to_reconfirm(match, actor=actor)
        messages.queue_reconfirm(match, old_when=old_when)
        return
    messages.queue_update(match)
