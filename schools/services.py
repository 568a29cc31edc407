"""Writes on the schools side: verifying and inviting teachers, a request's own details, and the rules every
request obeys (times, place, who may ask); each write in one transaction. Booking a request's session and
moving it are scheduling's (scheduling/requests.py)."""
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from alliances.models import ClosedDay
from core import accounts
from core.errors import DomainError
from core.validation import MAX_EMAIL_LENGTH
from notifications import emails

from .models import MentorRequest, School, SchoolClosedDay, Teacher


class RequestRefused(DomainError):
    """The teacher may not make this request or change (HTTP 403 in the API, a form error on pages)."""

    code = "not_allowed"
    http_status = 403


@transaction.atomic
def verify_teacher(*, teacher, actor):
    """A coordinator vouches for a teacher; only then may they request mentors. They are emailed, once."""
    if teacher.verified_at is None:
        with transaction.atomic():
            teacher.verified_at = timezone.now()
            teacher.verified_by = actor
            teacher.save(update_fields=["verified_at", "verified_by"])
            _email_verified(teacher)
    return teacher


def _email_verified(teacher):
    alliance = teacher.school.alliance
    emails.queue_email(
        key=f"teacher-verified:email:{teacher.user.email}", kind="teacher_verified", to=teacher.user.email,
        subject=f"You can now ask {alliance.name} for mentors", template="teacher_verified", alliance=alliance,
        context={"alliance_name": alliance.name, "name": str(teacher), "school": teacher.school.name,
                 "request_url": accounts.site_url(reverse("teacher-request-new")),
                 "why": f"You got this email because you signed up as a teacher with {alliance.name}."},
    )


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
def update_request_details(*, request_id, **fields):
    """Change what the class is about (topic, description, headcount); times go through reschedule_request."""
    allowed = {"topic", "description", "student_count"}
    request = MentorRequest.objects.select_for_update().get(pk=request_id)
    refuse_if_closed(request)
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be edited here")
        setattr(request, name, value)
    if fields:
        request.save(update_fields=sorted(fields))
    return request


EVENING_HOUR, MORNING_HOUR = 18, 7  # a time outside these hours is worth a second look


def time_warnings(intervals, *, school):
    """What a teacher should confirm before sending these times: weekends, evenings, the school's closed days
    (the alliance's and the school's own). Words, one line each; empty when nothing is unusual."""
    tz = ZoneInfo(school.timezone)
    local = [(s.astimezone(tz), e.astimezone(tz)) for s, e in intervals]
    days = {start.date() for start, _ in local}
    closed = dict(ClosedDay.objects.filter(alliance_id=school.alliance_id, date__in=days).values_list("date", "name"))
    closed.update(SchoolClosedDay.objects.filter(school=school, date__in=days).values_list("date", "name"))
    warnings = []
    for start, end in local:
        when = f"{start:%a %b} {start.day}"
        if start.date() in closed:
            warnings.append(f"{when} is a closed day ({closed[start.date()]}): no mentor will be matched for it.")
        if start.weekday() >= 5:
            warnings.append(f"{when} is a {start:%A}: few volunteers are free at weekends.")
        if start.hour >= EVENING_HOUR or end.hour >= EVENING_HOUR + 3 or start.hour < MORNING_HOUR:
            warnings.append(f"{when} at {start.hour % 12 or 12}:{start:%M %p} is outside school hours.")
    return warnings


def refuse_if_closed(request):
    """Raise RequestRefused when the request is cancelled or completed: nothing about it changes any more."""
    if request.status in (MentorRequest.Status.CANCELLED, MentorRequest.Status.COMPLETED):
        raise RequestRefused(f"This request is {request.status}; it can no longer be changed.")


# --- teachers joining --------------------------------------------------------

INVITE_SALT = "mentorbridge.teacher-invite"
INVITE_MAX_AGE = 60 * 60 * 24 * 14


def teacher_invite_link(*, school, email, actor):
    """A signed link that lets the owner of `email` join `school` already verified (valid 14 days)."""
    check_email_length(email)
    token = signing.dumps({"s": school.pk, "e": email.lower(), "by": actor.pk}, salt=INVITE_SALT)
    return accounts.site_url(f"/teacher/join/{token}/")


def check_email_length(email):
    """Refuse an address no account could hold (ValidationError on "email"), before anything is written."""
    if len(email or "") > MAX_EMAIL_LENGTH:
        raise ValidationError({"email": f"Use an email address of at most {MAX_EMAIL_LENGTH} characters."})
    return email


@transaction.atomic
def invite_teacher(*, school, email, actor):
    """A coordinator invites a teacher by email; the link is mailed to that address (and returned)."""
    link = teacher_invite_link(school=school, email=email, actor=actor)
    accounts.send_after_commit(
        subject=f"Join {school.name} on Mentorbridge",
        body=(f"Hello,\n\n{actor.get_full_name() or 'Your STEM alliance coordinator'} invites you to request "
              f"STEM mentors for your classes at {school.name}. Create your account here (the link works for "
              f"14 days):\n\n{link}\n"),
        to=email, alliance=school.alliance,
    )
    return link


def read_teacher_invite(token):
    """(school, email, inviter) of an invite link; raises RequestRefused when it is broken or expired."""
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=INVITE_MAX_AGE)
    except signing.BadSignature as exc:
        raise RequestRefused("This invitation link is broken or has expired. Ask your coordinator for a new one.") \
            from exc
    school = School.objects.select_related("alliance").filter(pk=data["s"], kind=School.Kind.SCHOOL).first()
    inviter = get_user_model().objects.filter(pk=data["by"]).first()
    if school is None or inviter is None:
        raise RequestRefused("This invitation is no longer valid. Ask your coordinator for a new one.")
    return school, data["e"], inviter


@transaction.atomic
def join_by_invite(*, token, password, first_name, last_name, phone=""):
    """Create the invited teacher's account: active, email verified, and verified by the inviter."""
    school, email, inviter = read_teacher_invite(token)
    check_email_length(email)
    if accounts.find_user_by_email(email) is not None:
        raise ValidationError({"email": "This email already has an account. Sign in instead."})
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(username=email, email=email, password=password,
                                                        first_name=first_name, last_name=last_name)
    except IntegrityError as exc:
        raise ValidationError({"email": "This email already has an account. Sign in instead."}) from exc
    now = timezone.now()
    teacher = Teacher.objects.create(user=user, school=school, phone=phone, email_verified_at=now)
    return verify_teacher(teacher=teacher, actor=inviter)


@transaction.atomic
def sign_up_teacher(*, email, password, first_name, last_name, school, phone=""):
    """A teacher signs up with their school email; they verify it by link, then a coordinator verifies them.

    Same answer whether or not the address already has an account (its owner is emailed instead).
    """
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
