"""The coordinator's profile peek (review queue) and volunteer page show what teachers said: the average rating,
how many ratings, and the newest comments; matching's layer reads them through REVIEW_MENTOR_RATINGS."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impact.models import Feedback
from mentors.tests.factories import MentorFactory
from scheduling.models import Match
from scheduling.tests.factories import make_request

from .helpers import completed

pytestmark = pytest.mark.django_db


def rate(match, rating, comment="", side="teacher"):
    return Feedback.objects.create(match=match, interval=match.session.intervals.get(), side=side, happened=True,
                                   students_reached=20, rating=rating, comment=comment)


def propose(teacher, mentor):
    return Match.objects.create(session=make_request(teacher, hour=14).sessions.get(), mentor=mentor, score=0.8,
                                reasons={"skills": 0.5})


def test_the_peek_shows_the_teachers_average_count_and_newest_comments(client, teacher, coordinator, mentor):
    for n, (rating, comment) in enumerate([(3, "Oldest comment, one too many"), (5, "Kids loved the robot arm"),
                                           (4, "Great with the quiet ones"), (4, ""), (5, "Came back twice")]):
        rate(completed(teacher, coordinator, mentor, days_ago=10 - n, topic=f"Robots {n}"), rating, comment)
    rate(completed(teacher, coordinator, mentor, days_ago=1), None, "The mentor's own note", side="mentor")
    unrated = MentorFactory(company__alliance=teacher.school.alliance)
    propose(teacher, mentor), propose(teacher, unrated)
    client.force_login(coordinator.user)
    page = client.get(reverse("scheduling:review-queue")).content.decode()
    assert "Rated 4.2 of 5 by teachers (5 ratings)" in page
    for newest in ("Came back twice", "Great with the quiet ones", "Kids loved the robot arm"):
        assert newest in page
    assert "Oldest comment" not in page  # the three newest only
    assert "own note" not in page  # teachers' words, not the mentor's
    assert "No teacher ratings yet" in page
    profile = client.get(reverse("volunteer-profile", args=[mentor.pk])).content.decode()
    assert "Rated 4.2 of 5 by teachers (5 ratings)" in profile and "Came back twice" in profile


def test_the_ratings_cost_the_same_queries_for_one_volunteer_or_many(client, teacher, coordinator, mentor):
    rate(completed(teacher, coordinator, mentor), 5, "Superb")
    propose(teacher, mentor)
    client.force_login(coordinator.user)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("scheduling:review-queue"))
    for _ in range(4):
        other = MentorFactory(company__alliance=teacher.school.alliance)
        rate(completed(teacher, coordinator, other, topic="Rockets"), 4, "Fine")
        propose(teacher, other)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("scheduling:review-queue")).content.decode()
    assert page.count("Rated 4 of 5 by teachers (1 rating)") == 4
    assert len(many.captured_queries) == len(one.captured_queries)


def test_volunteers_never_see_the_comments_coordinators_read(client, teacher, coordinator, mentor):
    rate(completed(teacher, coordinator, mentor), 2, "Arrived late and unprepared")
    client.force_login(mentor.user)
    assert client.get(reverse("volunteer-profile", args=[mentor.pk])).status_code == 404
    for path in ("/me/profile/", "/me/sessions/", reverse("impact:my-impact")):
        assert "Arrived late" not in client.get(path).content.decode()
