from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from mentors.models import Skill
from notifications.models import Notification
from scheduling import services as lifecycle
from scheduling.models import Match
from schools import services
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
    """A verified teacher's request with one session (a weekly series when weeks > 1)."""
    teacher = teacher or TeacherFactory()
    day = day or next_weekday()
    intervals = [class_time(day + timedelta(weeks=w), hour) for w in range(weeks)]
    values = {
        "topic": "Build a line-following robot", "grade_band": "6-8", "format": "in_person", "student_count": 24,
        "mentors_needed": 1,
    } | fields
    return services.create_request(
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
