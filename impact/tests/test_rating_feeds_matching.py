"""Teachers' ratings reach matching only when the alliance weighs them, with a prior for new volunteers."""
import pytest

from alliances.models import Alliance
from impact.feedback import mentor_ratings, rating_fit
from impact.models import Feedback
from mentors.tests.factories import MentorFactory
from scheduling import matching
from scheduling.tests.factories import make_request

from .helpers import completed

pytestmark = pytest.mark.django_db


def test_the_prior_keeps_a_new_volunteer_level_with_a_steady_one():
    assert rating_fit(0, 0) == 0.75
    assert rating_fit(4 * 10, 10) == 0.75
    assert rating_fit(1, 1) < 0.75 < rating_fit(5, 1)
    assert rating_fit(1, 1) > rating_fit(10, 10)  # one poor first session weighs less than a poor record


def test_ratings_are_read_per_volunteer_of_the_alliance(teacher, coordinator, mentor):
    match = completed(teacher, coordinator, mentor)
    Feedback.objects.create(match=match, interval=match.session.intervals.get(), side="teacher", happened=True,
                            students_reached=20, rating=5)
    ratings, unrated = mentor_ratings(teacher.school.alliance_id)
    assert ratings == {mentor.pk: rating_fit(5, 1)} and unrated == 0.75


def test_build_problem_carries_ratings_only_when_the_alliance_weighs_them(teacher, coordinator, mentor):
    match = completed(teacher, coordinator, mentor)
    Feedback.objects.create(match=match, interval=match.session.intervals.get(), side="teacher", happened=True,
                            students_reached=20, rating=2)
    newcomer = MentorFactory(company__alliance=teacher.school.alliance)
    request = make_request(teacher, hour=15)
    window = dict(alliance_id=teacher.school.alliance_id, window_start=request.sessions.get().starts_at,
                  window_end=request.sessions.get().ends_at)
    unweighed = {m.id: m.rating for m in matching.build_problem(**window).mentors}
    assert set(unweighed.values()) == {None}
    Alliance.objects.filter(pk=teacher.school.alliance_id).update(weight_rating=1.0)
    weighed = {m.id: m.rating for m in matching.build_problem(**window).mentors}
    assert weighed[matching.mentor_key(mentor.pk)] == rating_fit(2, 1)
    assert weighed[matching.mentor_key(newcomer.pk)] == 0.75
