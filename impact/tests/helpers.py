"""Completed sessions made through the real services, for the figures' tests."""
from scheduling import services
from scheduling.tests.factories import book_match, held


def completed(teacher, coordinator, mentor, *, students=20, hours="1", mentor_hours=None, days_ago=0, **fields):
    """A match booked, confirmed, held `days_ago` days ago and completed by the teacher."""
    match = held(book_match(teacher, coordinator, mentor, student_count=max(students, 1), **fields),
                 hours_ago=2 + 24 * days_ago)
    services.complete_match(match_id=match.pk, actor=teacher.user, hours=hours, students_reached=students)
    if mentor_hours is not None:
        services.report_mentor_hours(match_id=match.pk, actor=mentor.user, hours=mentor_hours)
    return match
