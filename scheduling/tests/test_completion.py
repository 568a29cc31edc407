"""A session is completed only after it happened, by the people entitled to, with believable figures."""
import pytest
from django.core.exceptions import ValidationError

from mentors.tests.factories import MentorFactory
from scheduling import services
from scheduling.models import Booking, Match, MatchTransition
from scheduling.tests.factories import book_match, held
from schools.tests.factories import CoordinatorFactory, TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(teacher, coordinator, mentor):
    """Confirmed, for a one-hour session of 24 students."""
    return book_match(teacher, coordinator, mentor, student_count=24)


def complete(match, actor, hours="1", students=20):
    return services.complete_match(match_id=match.pk, actor=actor.user, hours=hours, students_reached=students)


def test_a_session_weeks_away_cannot_be_completed(match, teacher):
    with pytest.raises(services.MatchError) as refused:
        complete(match, teacher)
    assert refused.value.code == "too_early"
    assert Match.objects.get(pk=match.pk).status == "confirmed"
    assert Booking.objects.filter(match=match, active=True).exists()


def test_a_series_is_completed_only_once_its_last_occurrence_has_started(teacher, coordinator, mentor):
    series = book_match(teacher, coordinator, mentor, weeks=3)
    held(series, hours_ago=-24 * 7)  # two occurrences are over, the last one starts in a week
    with pytest.raises(services.MatchError) as refused:
        complete(series, teacher, hours="2")
    assert refused.value.code == "too_early"
    held(series, hours_ago=1)
    complete(series, teacher, hours="3", students=24)
    assert Match.objects.get(pk=series.pk).status == "completed"


def test_the_requesting_teacher_completes_once_it_has_happened(match, teacher):
    complete(held(match), teacher, hours="1.25", students=24)
    match.refresh_from_db()
    assert (match.status, str(match.hours), match.students_reached) == ("completed", "1.25", 24)
    assert not Booking.objects.filter(match=match, active=True).exists()
    assert MatchTransition.objects.get(match=match, to_status="completed").actor == match.session.request.teacher.user


def test_a_coordinator_of_the_alliance_may_complete(match, coordinator):
    complete(held(match), coordinator)
    assert Match.objects.get(pk=match.pk).status == "completed"


@pytest.mark.parametrize("who", ["the mentor", "a colleague at the school", "another alliance's coordinator"])
def test_nobody_else_may_complete_or_mark_a_no_show(match, teacher, who):
    actor = {"the mentor": lambda: match.mentor, "a colleague at the school": lambda: TeacherFactory(
        school=teacher.school), "another alliance's coordinator": CoordinatorFactory}[who]()
    match = held(match)
    with pytest.raises(services.NotEntitled):
        complete(match, actor)
    with pytest.raises(services.NotEntitled):
        services.mark_no_show(match_id=match.pk, actor=actor.user)
    assert Match.objects.get(pk=match.pk).status == "confirmed"


def test_a_second_completion_is_refused_as_a_conflict(match, teacher):
    complete(held(match), teacher)
    with pytest.raises(services.TransitionNotAllowed):
        complete(match, teacher, hours="2")
    assert str(Match.objects.get(pk=match.pk).hours) == "1.00"


@pytest.mark.parametrize(("hours", "students", "field"), [
    ("100", 20, "hours"), ("2.01", 20, "hours"), ("0", 20, "hours"), ("1", 1000, "students_reached"),
    ("1", 35, "students_reached"),
])
def test_out_of_range_figures_are_field_errors_and_write_nothing(match, teacher, hours, students, field):
    """A one-hour session of 24: at most 2 hours (1 h allowance) and 34 students (10 allowance)."""
    with pytest.raises(ValidationError) as refused:
        complete(held(match), teacher, hours=hours, students=students)
    assert field in refused.value.message_dict
    assert Match.objects.get(pk=match.pk).status == "confirmed"


def test_the_allowances_are_settings(match, teacher, settings):
    settings.COMPLETION_EXTRA_HOURS = 0
    settings.COMPLETION_EXTRA_STUDENTS = 0
    match = held(match)
    with pytest.raises(ValidationError):
        complete(match, teacher, hours="1.5", students=24)
    with pytest.raises(ValidationError):
        complete(match, teacher, hours="1", students=25)
    complete(match, teacher, hours="1", students=24)


def test_a_no_show_is_refused_before_the_session(match, teacher):
    with pytest.raises(services.MatchError) as refused:
        services.mark_no_show(match_id=match.pk, actor=teacher.user)
    assert refused.value.code == "too_early"
    services.mark_no_show(match_id=held(match).pk, actor=teacher.user, reason="never came")
    assert Match.objects.get(pk=match.pk).status == "no_show"


def test_the_mentor_reports_hours_without_completing(match):
    match = held(match)
    services.report_mentor_hours(match_id=match.pk, actor=match.mentor.user, hours="1.5")
    match.refresh_from_db()
    assert (match.status, str(match.mentor_hours)) == ("confirmed", "1.50")


def test_a_mentor_cannot_report_hours_for_a_session_to_come_or_beyond_its_length(match):
    with pytest.raises(services.MatchError):
        services.report_mentor_hours(match_id=match.pk, actor=match.mentor.user, hours="1")
    with pytest.raises(ValidationError):
        services.report_mentor_hours(match_id=held(match).pk, actor=match.mentor.user, hours="40")
    assert Match.objects.get(pk=match.pk).mentor_hours is None


def test_another_mentor_cannot_report_hours(match):
    with pytest.raises(services.NotEntitled):
        services.report_mentor_hours(match_id=held(match).pk, actor=MentorFactory().user, hours="1")


# --- over the API and the pages -------------------------------------------------------------------

def test_the_api_answers_400_naming_the_field_403_for_the_mentor_and_409_twice(match, teacher, api):
    url = f"/api/matches/{match.pk}/complete/"
    early = api(teacher.user).post(url, {"hours": "1", "students_reached": 20}, format="json")
    assert early.status_code == 409 and early.json()["code"] == "too_early"
    match = held(match)
    too_many = api(teacher.user).post(url, {"hours": "1", "students_reached": 999}, format="json")
    assert too_many.status_code == 400 and "students_reached" in too_many.json()
    by_mentor = api(match.mentor.user).post(url, {"hours": "1", "students_reached": 20}, format="json")
    assert by_mentor.status_code == 403
    assert api(teacher.user).post(url, {"hours": "1", "students_reached": 20}, format="json").status_code == 200
    again = api(teacher.user).post(url, {"hours": "1", "students_reached": 20}, format="json")
    assert again.status_code == 409
    assert Match.objects.get(pk=match.pk).students_reached == 20


def test_the_api_offers_no_show_and_the_mentors_hours_report(match, teacher, api):
    match = held(match)
    report = api(match.mentor.user).post(f"/api/matches/{match.pk}/report-hours/", {"hours": "1"}, format="json")
    assert report.status_code == 200 and report.json()["status"] == "confirmed"
    no_show = api(teacher.user).post(f"/api/matches/{match.pk}/no-show/", {}, format="json")
    assert no_show.status_code == 200 and no_show.json()["status"] == "no_show"


def test_the_completion_page_shows_a_field_error_for_too_many_hours(match, teacher, client):
    client.force_login(teacher.user)
    page = client.post(f"/matches/{held(match).pk}/complete/", {"hours": "9", "students_reached": "20"})
    assert page.status_code == 200 and "at most 2.00" in page.content.decode()
    assert Match.objects.get(pk=match.pk).status == "confirmed"


def test_the_teachers_list_and_the_mentors_page_link_to_a_held_session_only(match, teacher, client):
    client.force_login(teacher.user)
    url = f"/matches/{match.pk}/complete/"
    assert url not in client.get("/teach/requests/").content.decode()
    match = held(match)
    assert url in client.get("/teach/requests/").content.decode()
    client.force_login(match.mentor.user)
    assert "Report your hours" in client.get("/me/sessions/").content.decode()
