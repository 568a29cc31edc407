from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from alliances.models import MemberStaff
from core.models import Skill
from notifications.models import Notification
from scheduling import requests as request_flow
from scheduling import services as lifecycle
from scheduling.models import Booking, Match, Session, SessionInterval
from schools.tests.factories import TeacherFactory

NEW_YORK = ZoneInfo("America/New_York")


def next_weekday(days_ahead=7, weekday=1):
    """A date at least `days_ahead` days away that falls on `weekday` (Tuesday by default)."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def class_time(day, hour=10, minutes=60):
    start = datetime.combine(day, time(hour), NEW_YORK)
    return start, start + timedelta(minutes=minutes)


def make_request(teacher=None, *, weeks=1, day=None, hour=10, skills=("robotics",), **fields):
    """A verified teacher's request with one session (a weekly series when weeks > 1). Given partner staff
    (a MemberStaff) instead, theirs: after school at their organisation's own site."""
    teacher = teacher or TeacherFactory()
    if isinstance(teacher, MemberStaff):
        fields = {"partner_staff": teacher, "site": teacher.member.places.get(), "setting": "after_school"} | fields
        teacher = None
    day = day or next_weekday()
    intervals = [class_time(day + timedelta(weeks=w), hour) for w in range(weeks)]
    values = {
        "topic": "Build a line-following robot", "grade_band": "6-8", "format": "in_person", "student_count": 24,
        "mentors_needed": 1,
    } | fields
    return request_flow.create_request(
        teacher=teacher, intervals=intervals, skills=list(Skill.objects.filter(slug__in=skills)), **values
    )


def book_match(teacher, coordinator, mentor, *, status="confirmed", **request_fields):
    """A match of `mentor` in `status` (approved, invited or confirmed) for a new request of `teacher`,
    moved there by the services; in invited or confirmed, the invitation counts as sent."""
    request = make_request(teacher, **request_fields)
    match = Match.objects.create(session=request.sessions.get(), mentor=mentor, score=0.5)
    lifecycle.approve_match(match_id=match.pk, actor=coordinator.user)
    if status in ("invited", "confirmed"):
        Notification.objects.filter(match=match).update(status=Notification.Status.SENT)
        lifecycle.mark_match_invited(match_id=match.pk)
    if status == "confirmed":
        lifecycle.confirm_match(match_id=match.pk, actor=mentor.user)
    return Match.objects.get(pk=match.pk)


def held(match, *, hours_ago=1):
    """Move the match's session back in time so that its last occurrence started `hours_ago` hours ago
    (the services never book the past, so a session that happened is made by moving one)."""
    session = match.session
    last = session.intervals.order_by("-starts_at").first()
    shift = last.starts_at - timezone.now() + timedelta(hours=hours_ago)
    Session.objects.filter(pk=session.pk).update(starts_at=session.starts_at - shift, ends_at=session.ends_at - shift)
    for model, field in ((SessionInterval, "session"), (Booking, "match__session")):
        for row in model.objects.filter(**{field: session}):
            model.objects.filter(pk=row.pk).update(starts_at=row.starts_at - shift, ends_at=row.ends_at - shift)
    return Match.objects.get(pk=match.pk)
