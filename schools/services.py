"""Writes on the schools side: teachers' requests and the sessions they book, teachers joining, and an
alliance's matching weights; each in one transaction."""
from datetime import timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from scheduling.engine import MAX_WEIGHT, is_weight
from scheduling.models import Match, Session, SessionInterval

from .models import DEFAULT_WEIGHTS, Alliance, MentorRequest, School, Teacher


class RequestRefused(Exception):
    """The teacher may not make this request (HTTP 409 / a form error)."""


def _queue_matching(alliance_id, window_start, window_end):
    from scheduling.services import queue_task
    from scheduling.tasks import run_matching

    queue_task(run_matching, alliance_id, window_start.isoformat(), window_end.isoformat())


def _default_kind(format):
    return MentorRequest.Kind.VIRTUAL_SESSION if format == "virtual" else MentorRequest.Kind.CLASSROOM_VISIT


@transaction.atomic
def create_request(*, teacher, topic, grade_band, format, student_count, intervals, skills=(),
                   mentors_needed=1, description="", language="", meeting_link="", kind=None):
    """A verified teacher asks for mentors; matching is queued once the request is saved.

    `intervals` is one or more (start, end) pairs of aware datetimes: one visit, or a weekly series.
    """
    if not teacher.is_verified:
        raise RequestRefused("A coordinator has to verify your account before you can request mentors.")
    intervals = sorted(intervals)
    check_horizon(intervals[-1][1])
    request = MentorRequest.objects.create(
        school=teacher.school, teacher=teacher, topic=topic, description=description, grade_band=grade_band,
        format=format, language=language, student_count=student_count, mentors_needed=mentors_needed,
        meeting_link=meeting_link,
        kind=kind or _default_kind(format),
    )
    request.skills.set(skills)
    session = Session.objects.create(
        request=request, alliance_id=teacher.school.alliance_id, starts_at=intervals[0][0],
        ends_at=intervals[-1][1], mentors_needed=mentors_needed,
    )
    SessionInterval.objects.bulk_create(SessionInterval(session=session, starts_at=s, ends_at=e) for s, e in intervals)
    transaction.on_commit(partial(
        _queue_matching, session.alliance_id, session.starts_at - timedelta(hours=1), session.ends_at
    ))
    return request


@transaction.atomic
def verify_teacher(*, teacher, actor):
    """A coordinator vouches for a teacher; only then may they request mentors."""
    if teacher.verified_at is None:
        teacher.verified_at = timezone.now()
        teacher.verified_by = actor
        teacher.save(update_fields=["verified_at", "verified_by"])
    return teacher


# --- request times ---------------------------------------------------------

MAX_SESSION_HOURS = 8
MAX_SERIES_WEEKS = 16


def horizon(now=None):
    """The latest moment anything may be booked or matched: REQUEST_HORIZON_DAYS from now."""
    return (now or timezone.now()) + timedelta(days=settings.REQUEST_HORIZON_DAYS)


def check_horizon(moment, *, now=None):
    """Refuse a time further ahead than the horizon (ValidationError); dates near year 9999 stop here."""
    if moment > horizon(now):
        months = round(settings.REQUEST_HORIZON_DAYS / 30.4)
        raise ValidationError(f"Pick a time within the next {months} months.", code="too_far_ahead")
    return moment


def series_intervals(*, first_start, first_end, weeks, tz):
    """A weekly series: the same local time each week for `weeks` weeks (so 3 pm stays 3 pm across DST).

    Raises ValidationError when the series would end past the horizon.
    """
    check_horizon(first_start)  # before any arithmetic: a start in year 9999 would overflow below
    start, end = first_start.astimezone(ZoneInfo(tz)), first_end.astimezone(ZoneInfo(tz))
    return [(start + timedelta(weeks=w), end + timedelta(weeks=w)) for w in range(weeks)]


def check_intervals(intervals, *, now=None):
    """The time rules every request obeys, whichever door it came in by. Raises ValidationError."""
    now = now or timezone.now()
    for start, end in intervals:
        if end <= start:
            raise ValidationError("The end time must be after the start time.", code="ends_before_start")
        if end - start > timedelta(hours=MAX_SESSION_HOURS):
            raise ValidationError(f"A session can last at most {MAX_SESSION_HOURS} hours.", code="too_long")
        if start <= now:
            raise ValidationError("Pick a time in the future.", code="in_the_past")
        check_horizon(end, now=now)
    ordered = sorted(intervals)
    if any(a[1] > b[0] for a, b in zip(ordered, ordered[1:], strict=False)):
        raise ValidationError("These times overlap; give times that don't.", code="overlap")
    return ordered


def format_of(kind):
    return MentorRequest.FORMAT_OF_KIND[kind]


def check_place(*, kind, meeting_link):
    """A virtual session needs a meeting link; the others happen at the school."""
    if format_of(kind) == "virtual" and not meeting_link:
        raise ValidationError({"meeting_link": "A virtual session needs a meeting link (Zoom, Meet or Teams)."})


@transaction.atomic
def create_teacher_request(*, teacher, kind, time_options=None, series=None, **fields):
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
    request = create_request(teacher=teacher, intervals=intervals, format=format_of(kind), kind=kind, **fields)
    if alternatives:
        MentorRequest.objects.filter(pk=request.pk).update(alternative_times=alternatives)
        request.alternative_times = alternatives
    return request


@transaction.atomic
def update_request_details(*, request_id, actor, **fields):
    """Change what the class is about (topic, description, headcount); times go through reschedule_request."""
    allowed = {"topic", "description", "student_count"}
    request = MentorRequest.objects.select_for_update().get(pk=request_id)
    _refuse_if_closed(request)
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be edited here")
        setattr(request, name, value)
    if fields:
        request.save(update_fields=sorted(fields))
    return request


def _refuse_if_closed(request):
    if request.status in (MentorRequest.Status.CANCELLED, MentorRequest.Status.COMPLETED):
        raise RequestRefused(f"This request is {request.status}; it can no longer be changed.")


@transaction.atomic
def reschedule_request(*, request_id, actor, intervals=None, meeting_link=None):
    """Move a request's session to new times and/or a new meeting link.

    The session's revision goes up, so every calendar invitation already sent is replaced (same UID, higher
    SEQUENCE). Booked mentors keep their place and get the updated invitation, unless they are booked
    elsewhere at the new time: then their match is cancelled (they are told) and a replacement is sought.
    Matching runs again for the new time.
    """
    request = MentorRequest.objects.select_for_update().get(pk=request_id)
    _refuse_if_closed(request)
    session = request.sessions.exclude(status=Session.Status.CANCELLED).order_by("starts_at").first()
    if session is None:
        raise RequestRefused("This request has no open session to move.")
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
    for match in _booked_matches(session):
        _rebook(match, actor=actor, moved=moved)
    transaction.on_commit(partial(
        _queue_matching, session.alliance_id, session.starts_at - timedelta(hours=1), session.ends_at
    ))
    request.refresh_from_db()
    return request


def _move_intervals(session, intervals):
    intervals = sorted(intervals)
    if intervals == [(i.starts_at, i.ends_at) for i in session.intervals.all()]:
        return False
    session.intervals.all().delete()
    SessionInterval.objects.bulk_create(
        SessionInterval(session=session, starts_at=s, ends_at=e) for s, e in intervals
    )
    Session.objects.filter(pk=session.pk).update(starts_at=intervals[0][0], ends_at=intervals[-1][1])
    return True


def _booked_matches(session):
    return list(
        Match.objects.select_for_update(of=("self",)).filter(session=session, status__in=Match.BOOKED)
        .select_related("mentor__user", "mentor__company", "session__request__school__alliance",
                        "session__request__teacher__user")
    )


def _rebook(match, *, actor, moved):
    from scheduling.services import MatchError, _book, _release, cancel_match

    if moved:
        _release(match)
        try:
            _book(match)
        except MatchError:
            cancel_match(match_id=match.pk, actor=actor, reason="moved to a time the mentor is booked elsewhere")
            return
    from notifications import compose

    compose.queue_update(match)


# --- teachers joining --------------------------------------------------------

INVITE_SALT = "mentorbridge.teacher-invite"
INVITE_MAX_AGE = 60 * 60 * 24 * 14


def teacher_invite_link(*, school, email, actor):
    """A signed link that lets the owner of `email` join `school` already verified (valid 14 days)."""
    from mentors.services import site_url

    check_email_length(email)
    token = signing.dumps({"s": school.pk, "e": email.lower(), "by": actor.pk}, salt=INVITE_SALT)
    return site_url(f"/teacher/join/{token}/")


# An account's username is its email; Django's username holds at most 150 characters.
MAX_EMAIL_LENGTH = 150


def check_email_length(email):
    """Refuse an address no account could hold (ValidationError on "email"), before anything is written."""
    if len(email or "") > MAX_EMAIL_LENGTH:
        raise ValidationError({"email": f"Use an email address of at most {MAX_EMAIL_LENGTH} characters."})
    return email


@transaction.atomic
def invite_teacher(*, school, email, actor):
    """A coordinator invites a teacher by email; the link is mailed to that address (and returned)."""
    from mentors.services import _send_after_commit

    link = teacher_invite_link(school=school, email=email, actor=actor)
    _send_after_commit(
        subject=f"Join {school.name} on Mentorbridge",
        body=(f"Hello,\n\n{actor.get_full_name() or 'Your STEM alliance coordinator'} invites you to request "
              f"STEM mentors for your classes at {school.name}. Create your account here (the link works for "
              f"14 days):\n\n{link}\n"),
        to=email,
    )
    return link


def read_teacher_invite(token):
    """(school, email, inviter) of an invite link; raises RequestRefused when it is broken or expired."""
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=INVITE_MAX_AGE)
    except signing.BadSignature as exc:
        raise RequestRefused("This invitation link is broken or has expired. Ask your coordinator for a new one.") \
            from exc
    school = School.objects.select_related("alliance").filter(pk=data["s"]).first()
    inviter = get_user_model().objects.filter(pk=data["by"]).first()
    if school is None or inviter is None:
        raise RequestRefused("This invitation is no longer valid. Ask your coordinator for a new one.")
    return school, data["e"], inviter


@transaction.atomic
def join_by_invite(*, token, password, first_name, last_name, phone=""):
    """Create the invited teacher's account: active, email verified, and verified by the inviter."""
    from mentors.services import find_user_by_email

    school, email, inviter = read_teacher_invite(token)
    check_email_length(email)
    if find_user_by_email(email) is not None:
        raise ValidationError({"email": "This email already has an account. Sign in instead."})
    from django.contrib.auth import get_user_model

    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(username=email, email=email, password=password,
                                                        first_name=first_name, last_name=last_name)
    except IntegrityError as exc:
        raise ValidationError({"email": "This email already has an account. Sign in instead."}) from exc
    now = timezone.now()
    teacher = Teacher.objects.create(user=user, school=school, phone=phone, email_verified_at=now)
    return verify_teacher(teacher=teacher, actor=inviter)


def schools_for_email(email, alliance=None):
    schools = School.objects.filter(email_domain__iexact=email.rsplit("@", 1)[-1])
    return schools.filter(alliance=alliance) if alliance else schools


@transaction.atomic
def sign_up_teacher(*, email, password, first_name, last_name, school, phone=""):
    """A teacher signs up with their school email; they verify it by link, then a coordinator verifies them.

    Same answer whether or not the address already has an account (its owner is emailed instead).
    """
    from mentors import services as accounts

    domain = (school.email_domain or "").lower()
    if not domain or email.rsplit("@", 1)[-1].lower() != domain:
        raise ValidationError({"email": (
            f"Use your {school.name} email address (ending in @{domain})." if domain else
            f"{school.name} joins by invitation only. Ask your STEM alliance coordinator for an invite link."
        )})
    existing = accounts.find_user_by_email(email)
    if existing is not None:
        accounts.tell_owner_about_repeat_signup(existing)
        return None
    user = accounts.create_inactive_user(email=email, password=password, first_name=first_name,
                                         last_name=last_name)
    if user is None:
        accounts.tell_owner_about_repeat_signup(accounts.find_user_by_email(email))
        return None
    teacher = Teacher.objects.create(user=user, school=school, phone=phone)
    accounts.send_verification_email(user)
    return teacher


# --- matching weights ------------------------------------------------------------

def check_matching_weights(weights):
    """Each weight a finite number from 0 to MAX_WEIGHT, and not all zero; raises ValidationError naming the field."""
    errors = {
        part: f"Give a number from 0 to {MAX_WEIGHT:g}."
        for part, value in weights.items()
        if not is_weight(value)
    }
    if errors:
        raise ValidationError(errors)
    if not any(weights.values()):
        raise ValidationError("Give at least one weight above zero: with all of them at zero every volunteer "
                              "would score the same.", code="all_zero")


@transaction.atomic
def set_matching_weights(*, alliance, by, skills, distance, fairness, language, continuity):
    """The score weights every later matching run of `alliance` uses; records who changed them and when."""
    weights = {"skills": skills, "distance": distance, "fairness": fairness, "language": language,
               "continuity": continuity}
    check_matching_weights(weights)
    Alliance.objects.filter(pk=alliance.pk).update(
        **{f"weight_{part}": float(value) for part, value in weights.items()},
        weights_changed_at=timezone.now(), weights_changed_by=by,
    )
    alliance.refresh_from_db()
    return alliance


def update_matching_weights(*, alliance, by, **changes):
    """Change some of the weights and keep the others as they stand when the change lands.

    The alliance row is locked while the change is merged in, so two
    coordinators changing different weights at once both keep their change.
    """
    with transaction.atomic():
        current = Alliance.objects.select_for_update().get(pk=alliance.pk)
        return set_matching_weights(alliance=current, by=by, **(current.matching_weights().as_dict() | changes))


def reset_matching_weights(*, alliance, by):
    """Back to the engine's default weights (recorded as a change like any other)."""
    return set_matching_weights(alliance=alliance, by=by, **DEFAULT_WEIGHTS.as_dict())
