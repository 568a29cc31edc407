"""After each occurrence both sides get a signed one-tap link; an answer is recorded once, within bounds."""
import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.utils import timezone

from impact import feedback
from impact.models import Feedback, FeedbackRequest
from notifications.models import Notification
from scheduling.models import Match
from scheduling.tests.factories import book_match, held
from schools.tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db


def ended(match, hours_ago=2):
    """The session ended: its (one-hour) last occurrence started `hours_ago` hours ago."""
    return held(match, hours_ago=hours_ago)


@pytest.fixture
def match(teacher, coordinator, mentor):
    return ended(book_match(teacher, coordinator, mentor, student_count=24))


def links(to):
    bodies = Notification.objects.filter(to=to, kind="feedback_ask").values_list("body", flat=True)
    return [re.search(r"/impact/answer/(\S+?)/", body).group(1) for body in bodies]


def ask(match):
    feedback.queue_feedback_requests()
    return {fr.side: feedback.token_for(fr) for fr in FeedbackRequest.objects.filter(match=match)}


def post(client, token, **data):
    return client.post(f"/impact/answer/{token}/", data)


def test_when_an_occurrence_ends_teacher_and_mentor_each_get_a_text_and_an_email(match, teacher, mentor):
    assert feedback.queue_feedback_requests() == (2, 0)
    asks = Notification.objects.filter(kind="feedback_ask")
    assert sorted(asks.values_list("channel", "to")) == sorted([
        ("email", teacher.user.email), ("sms", teacher.phone), ("email", mentor.user.email), ("sms", mentor.phone)])
    assert len(set(links(teacher.user.email) + links(teacher.phone))) == 1
    assert feedback.queue_feedback_requests() == (0, 0)
    assert asks.count() == 4


def test_nobody_is_asked_before_the_occurrence_ended(teacher, coordinator, mentor):
    book_match(teacher, coordinator, mentor)
    assert feedback.queue_feedback_requests() == (0, 0)
    assert not Notification.objects.filter(kind="feedback_ask").exists()


def test_the_teachers_one_tap_completes_the_match_with_the_headcount(client, match, teacher):
    token = ask(match)["teacher"]
    page = client.get(f"/impact/answer/{token}/")
    assert page.status_code == 200 and b'value="24"' in page.content
    response = post(client, token, happened="yes", students_reached="22", rating="5", comment="Great robots")
    assert response.status_code == 200 and b"Thank you" in response.content
    match.refresh_from_db()
    assert (match.status, match.students_reached, match.hours) == ("completed", 22, 1)
    assert Feedback.objects.get(match=match, side="teacher").rating == 5


def test_a_used_link_says_it_was_already_recorded_and_changes_nothing(client, match):
    token = ask(match)["teacher"]
    post(client, token, happened="yes", students_reached="22", rating="4")
    again = post(client, token, happened="no", rating="1")
    assert again.status_code == 409 and b"Already recorded" in again.content
    assert client.get(f"/impact/answer/{token}/").status_code == 409
    assert list(Feedback.objects.values_list("happened", "rating")) == [(True, 4)]


def test_an_expired_link_says_so(client, match):
    token = ask(match)["teacher"]
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 15 * 86400):
        response = client.get(f"/impact/answer/{token}/")
    assert response.status_code == 410 and b"expired" in response.content


@pytest.mark.parametrize("token", ["nonsense", signing.TimestampSigner(salt="other").sign("1")])
def test_a_forged_or_broken_link_is_not_found(client, match, token):
    ask(match)
    assert client.get(f"/impact/answer/{token}/").status_code == 404


@pytest.mark.parametrize("field,value", [("rating", "6"), ("rating", "0"), ("students_reached", "35"),
                                         ("students_reached", "-1"), ("students_reached", "")])
def test_out_of_range_figures_are_field_errors_and_nothing_is_written(client, match, field, value):
    token = ask(match)["teacher"]
    data = {"happened": "yes", "students_reached": "20", "rating": "4"} | {field: value}
    response = post(client, token, **data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Feedback.objects.exists()
    assert Match.objects.get(pk=match.pk).status == "confirmed"
    assert FeedbackRequest.objects.get(match=match, side="teacher").answered_at is None


def test_the_mentor_reports_hours_without_completing_the_match(client, match):
    token = ask(match)["mentor"]
    assert b'value="1.00"' in client.get(f"/impact/answer/{token}/").content
    post(client, token, happened="yes", hours="1.5", rating="5")
    match.refresh_from_db()
    assert (match.status, match.mentor_hours) == ("confirmed", 1.5)


@pytest.mark.parametrize("hours", ["2.5", "0", "-1"])
def test_mentor_hours_beyond_the_session_and_an_hour_are_a_field_error(client, match, hours):
    token = ask(match)["mentor"]
    response = post(client, token, happened="yes", hours=hours, rating="5")
    assert response.status_code == 400 and "hours" in response.context["form"].errors
    assert Match.objects.get(pk=match.pk).mentor_hours is None


def test_it_did_not_happen_goes_to_the_coordinators_with_the_match(client, match, coordinator):
    token = ask(match)["mentor"]
    post(client, token, happened="no", comment="The school was closed for snow")
    alert = Notification.objects.get(kind="not_held_alert")
    assert alert.to == coordinator.user.email and alert.match_id == match.pk
    assert "snow" in alert.body and f"/matches/{match.pk}/" in alert.body
    assert Match.objects.get(pk=match.pk).status == "confirmed"


def test_a_weekly_series_is_recorded_per_occurrence(client, teacher, coordinator, mentor, settings):
    settings.FEEDBACK_LOOKBACK_DAYS = 14
    series = book_match(teacher, coordinator, mentor, weeks=3, student_count=24)
    held(series, hours_ago=-24 * 7 + 2)  # two occurrences are over, the last is a week away
    ask(series)
    tokens = {fr.interval_id: feedback.token_for(fr) for fr in FeedbackRequest.objects.filter(match=series,
                                                                                            side="teacher")}
    assert len(tokens) == 2
    for token in tokens.values():
        post(client, token, happened="yes", students_reached="20", rating="4")
    assert Match.objects.get(pk=series.pk).status == "confirmed"
    held(series, hours_ago=2)
    feedback.queue_feedback_requests()
    last = FeedbackRequest.objects.filter(match=series, side="teacher").order_by("-interval__starts_at").first()
    post(client, feedback.token_for(last), happened="yes", students_reached="23", rating="5")
    series.refresh_from_db()
    assert (series.status, series.students_reached, series.hours) == ("completed", 23, 3)
    assert Feedback.objects.filter(match=series, side="teacher").count() == 3


def test_one_reminder_goes_after_two_days_of_silence(match, teacher):
    ask(match)
    later = timezone.now() + timedelta(hours=49)
    assert feedback.queue_feedback_requests(later) == (0, 2)
    assert feedback.queue_feedback_requests(later) == (0, 0)
    assert Notification.objects.filter(kind="feedback_reminder", to=teacher.user.email).count() == 1


def test_a_coordinator_records_on_the_teachers_behalf(client, match, coordinator):
    ask(match)
    fr = FeedbackRequest.objects.get(match=match, side="teacher")
    client.force_login(coordinator.user)
    assert b"the teacher" in client.get("/coordinator/impact/awaiting/").content
    client.post(f"/coordinator/impact/awaiting/{fr.pk}/", {"happened": "yes", "students_reached": "18"})
    match.refresh_from_db()
    assert (match.status, match.students_reached) == ("completed", 18)
    assert Feedback.objects.get(match=match).via == "coordinator"


def test_another_alliances_coordinator_cannot_record(client, match):
    ask(match)
    fr = FeedbackRequest.objects.get(match=match, side="teacher")
    client.force_login(CoordinatorFactory().user)
    assert client.post(f"/coordinator/impact/awaiting/{fr.pk}/", {"happened": "yes",
                                                                  "students_reached": "18"}).status_code == 404
    assert Match.objects.get(pk=match.pk).status == "confirmed"
