"""Teacher-side writes: a request and the session it books, in one transaction."""
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from scheduling.models import Session, SessionInterval

from .models import MentorRequest


class RequestRefused(Exception):
    """The teacher may not make this request (HTTP 409 / a form error)."""


def _queue_matching(alliance_id, window_start, window_end):
    from scheduling.services import _enqueue
    from scheduling.tasks import run_matching

    _enqueue(run_matching, alliance_id, window_start.isoformat(), window_end.isoformat())


@transaction.atomic
def create_request(*, teacher, topic, grade_band, format, student_count, intervals, skills=(),
                   mentors_needed=1, description="", language="", meeting_link=""):
    """A verified teacher asks for mentors; matching is queued once the request is saved.

    `intervals` is one or more (start, end) pairs of aware datetimes: one visit, or a weekly series.
    """
    if not teacher.is_verified:
        raise RequestRefused("A coordinator has to verify your account before you can request mentors.")
    intervals = sorted(intervals)
    request = MentorRequest.objects.create(
        school=teacher.school, teacher=teacher, topic=topic, description=description, grade_band=grade_band,
        format=format, language=language, student_count=student_count, mentors_needed=mentors_needed,
        meeting_link=meeting_link,
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
