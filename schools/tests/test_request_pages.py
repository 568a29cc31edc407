"""The teacher's request form, dashboard, edit and cancel; and the same rules through the API."""
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from mentors.tests.factories import MentorFactory
from notifications.models import Notification
from scheduling import requests as request_flow
from scheduling import services as lifecycle
from scheduling.models import Booking, Match
from scheduling.tests.factories import make_request, next_weekday
from schools.models import MentorRequest
from schools.tests.factories import CoordinatorFactory, TeacherFactory

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def teacher():
    return TeacherFactory()


@pytest.fixture
def signed_in(client, teacher):
    client.force_login(teacher.user)
    return client


def form(day, **extra):
    return {"topic": "Kitchen chemistry", "description": "", "grade_band": "K-2", "kind": "classroom_visit",
            "language": "", "student_count": "22", "mentors_needed": "1", "schedule": "options",
            "option1_date": day.isoformat(), "option1_start": "10:00", "option1_end": "11:00",
            "meeting_link": "", **extra}


def test_one_to_three_options_book_the_first_and_keep_the_others(signed_in, teacher):
    day = next_weekday(14)
    later = day + timedelta(days=2)
    response = signed_in.post("/teach/requests/new/", form(day, option2_date=later.isoformat(),
                                                            option2_start="13:00", option2_end="14:00"))
    assert response.status_code == 302
    request = MentorRequest.objects.get()
    assert (request.kind, request.format) == ("classroom_visit", "in_person")
    interval = request.sessions.get().intervals.get()
    assert interval.starts_at == datetime.combine(day, time(10), NEW_YORK)
    assert request.alternative_times == [[datetime.combine(later, time(13), NEW_YORK).isoformat(),
                                          datetime.combine(later, time(14), NEW_YORK).isoformat()]]
    assert "Kitchen chemistry" in signed_in.get("/teach/requests/").content.decode()


def test_a_weekly_series_is_one_session_at_the_same_local_time_each_week_across_dst(signed_in, teacher):
    year = datetime.now(UTC).year + 1
    first = datetime(year, 10, 15).date()  # five weeks always straddle the first Sunday of November
    first += timedelta(days=max(0, 7 - first.weekday()) if first.weekday() >= 5 else 0)  # a school day, no warning
    response = signed_in.post("/teach/requests/new/", form(
        first, schedule="series", option1_date="", option1_start="", option1_end="",
        series_date=first.isoformat(), series_start="15:00", series_end="16:00", series_weeks="5"))
    assert response.status_code == 302
    intervals = list(MentorRequest.objects.get().sessions.get().intervals.all())
    assert [i.starts_at.astimezone(NEW_YORK).time() for i in intervals] == [time(15)] * 5
    assert {i.starts_at.astimezone(UTC).hour for i in intervals} == {19, 20}


@pytest.mark.parametrize("extra, field", [
    ({"option1_end": "09:00"}, "option1_end"),
    ({"option1_date": "2001-01-02"}, "option1_date"),
    ({"option1_start": ""}, "option1_start"),
    ({"option2_date": "2099-01-01"}, "option2_start"),
    ({"kind": "virtual_session"}, "meeting_link"),
    ({"student_count": "0"}, "student_count"),
    ({"schedule": "series", "series_date": "2099-01-06", "series_start": "10:00", "series_end": "11:00"},
     "series_weeks"),
])
def test_bad_request_input_is_an_error_on_its_own_field_and_writes_nothing(signed_in, field, extra):
    response = signed_in.post("/teach/requests/new/", form(next_weekday(14), **extra))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not MentorRequest.objects.exists()


def test_an_unverified_teacher_sees_no_form_and_cannot_post(client):
    teacher = TeacherFactory(verified_at=None)
    client.force_login(teacher.user)
    client.post("/teach/requests/new/", form(next_weekday(14)))
    assert not MentorRequest.objects.exists()


@pytest.fixture
def confirmed(teacher):
    request = make_request(teacher)
    mentor = MentorFactory(company__alliance=teacher.school.alliance)
    match = Match.objects.create(session=request.sessions.get(), mentor=mentor, score=0.9)
    lifecycle.approve_match(match_id=match.pk, actor=CoordinatorFactory(alliance=teacher.school.alliance).user)
    lifecycle.confirm_match(match_id=match.pk, actor=mentor.user)
    return match


def test_the_dashboard_names_confirmed_mentors(signed_in, confirmed):
    page = signed_in.get("/teach/requests/").content.decode()
    assert "Confirmed" in page and str(confirmed.mentor) in page


def test_moving_the_time_raises_the_revision_moves_the_booking_and_sends_an_update(signed_in, confirmed, settings):
    settings.RECONFIRM_MARGIN_MINUTES = 60 * 24 * 365  # a move the mentor is not asked to reconfirm
    request = confirmed.session.request
    day = next_weekday(21)
    response = signed_in.post(f"/teach/requests/{request.pk}/", {
        "topic": request.topic, "description": "", "student_count": "30", "date": day.isoformat(),
        "start": "13:00", "end": "14:00", "meeting_link": ""})
    assert response.status_code == 302
    session = confirmed.session
    session.refresh_from_db()
    assert session.revision == 1 and session.starts_at == datetime.combine(day, time(13), NEW_YORK)
    assert Booking.objects.get(match=confirmed, active=True).starts_at == session.starts_at
    update = Notification.objects.get(kind="update", channel="email", to=confirmed.mentor.user.email)
    assert "SEQUENCE:1" in update.ics and "is now" in update.body
    confirmed.refresh_from_db()
    assert confirmed.status == Match.Status.CONFIRMED
    request.refresh_from_db()
    assert request.student_count == 30


def test_a_booked_mentor_busy_at_the_new_time_is_released_and_told(teacher, confirmed):
    day = next_weekday(28)
    other = make_request(TeacherFactory(school=teacher.school), day=day, hour=13)
    clash = Match.objects.create(session=other.sessions.get(), mentor=confirmed.mentor, score=0.5)
    lifecycle.approve_match(match_id=clash.pk, actor=CoordinatorFactory(alliance=teacher.school.alliance).user)
    start = datetime.combine(day, time(13), NEW_YORK)
    request_flow.reschedule_request(request_id=confirmed.session.request_id, actor=teacher.user,
                                intervals=[(start, start + timedelta(hours=1))])
    confirmed.refresh_from_db()
    assert confirmed.status == Match.Status.CANCELLED
    assert Notification.objects.filter(match=confirmed, kind="cancelled").exists()


def test_cancelling_calls_off_the_request_and_tells_the_booked_mentor(signed_in, confirmed):
    request = confirmed.session.request
    page = signed_in.get(f"/teach/requests/{request.pk}/").content.decode()
    assert "1 mentor is booked" in page
    signed_in.post(f"/teach/requests/{request.pk}/cancel/", {"reason": "School closed for snow"})
    request.refresh_from_db()
    confirmed.refresh_from_db()
    assert request.status == "cancelled" and confirmed.status == "cancelled"
    assert Notification.objects.filter(match=confirmed, kind="cancelled", channel="email").exists()


def test_another_teachers_request_is_not_found(client, confirmed):
    client.force_login(TeacherFactory(school=confirmed.session.request.school).user)
    request = confirmed.session.request
    assert client.get(f"/teach/requests/{request.pk}/").status_code == 404
    assert client.post(f"/teach/requests/{request.pk}/cancel/", {"reason": "x"}).status_code == 404


# --- API parity ----------------------------------------------------------------------------

def iso(day, hour):
    return datetime.combine(day, time(hour), NEW_YORK).isoformat()


def test_the_api_takes_time_options_and_a_kind(api, teacher):
    day = next_weekday(14)
    response = api(teacher.user).post("/api/requests/", {
        "topic": "Careers in biotech", "grade_band": "9-12", "kind": "career_day", "student_count": 80,
        "time_options": [[iso(day, 9), iso(day, 10)], [iso(day, 13), iso(day, 14)]],
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "career_day" and body["format"] == "in_person" and len(body["alternative_times"]) == 1


def test_the_api_takes_a_weekly_series(api, teacher):
    day = next_weekday(14)
    response = api(teacher.user).post("/api/requests/", {
        "topic": "Robotics club", "grade_band": "6-8", "kind": "after_school", "student_count": 12,
        "series": {"first_start": iso(day, 15), "first_end": iso(day, 16), "weeks": 4},
    }, format="json")
    assert response.status_code == 201, response.content
    assert len(response.json()["sessions"][0]["intervals"]) == 4


@pytest.mark.parametrize("body, field", [
    ({"kind": "virtual_session"}, "meeting_link"),
    ({"kind": "career_day", "format": "virtual"}, "format"),
    ({"time_options": []}, "time_options"),
    ({"time_options": [["2001-01-01T10:00:00Z", "2001-01-01T11:00:00Z"]]}, "time_options"),
    ({"series": {"first_start": "2099-01-06T10:00:00Z", "first_end": "2099-01-06T11:00:00Z", "weeks": 40}}, "series"),
    ({"kind": None}, "kind"),
    ({"time_options": "overlap"}, "time_options"),
    ({"time_options": "late"}, "confirm_times"),
])
def test_the_api_refuses_bad_requests_with_400_naming_the_field(api, teacher, body, field):
    day = next_weekday(14)
    good = {"topic": "T", "grade_band": "6-8", "kind": "classroom_visit", "student_count": 20,
            "time_options": [[iso(day, 9), iso(day, 10)]]}
    payload = {k: v for k, v in {**good, **body}.items() if v is not None}
    if body.get("time_options") == "overlap":
        payload["time_options"] = [[iso(day, 9), iso(day, 10)], [iso(day, 9), iso(day, 11)]]
    if body.get("time_options") == "late":
        payload["time_options"] = [[iso(day, 22), iso(day, 23)]]
    if "series" in body:
        payload.pop("time_options")
    response = api(teacher.user).post("/api/requests/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not MentorRequest.objects.exists()


def test_the_api_edits_reschedules_and_cancels(api, teacher, confirmed):
    request = confirmed.session.request
    client = api(teacher.user)
    assert client.patch(f"/api/requests/{request.pk}/", {"student_count": 25}, format="json").json()[
        "student_count"] == 25
    day = next_weekday(35)
    moved = client.post(f"/api/requests/{request.pk}/reschedule/",
                        {"intervals": [[iso(day, 9), iso(day, 10)]]}, format="json")
    assert moved.status_code == 200 and moved.json()["sessions"][0]["revision"] == 1
    bad = client.post(f"/api/requests/{request.pk}/reschedule/", {"intervals": [[iso(day, 10), iso(day, 9)]]},
                      format="json")
    assert bad.status_code == 400 and "intervals" in bad.json()
    colleague = api(TeacherFactory(school=teacher.school).user)  # a colleague does not even see it
    assert colleague.post(f"/api/requests/{request.pk}/reschedule/", {"intervals": [[iso(day, 11), iso(day, 12)]]},
                          format="json").status_code == 404
    assert client.post(f"/api/requests/{request.pk}/cancel/", {"reason": "Field trip"},
                       format="json").json()["status"] == "cancelled"
    closed = client.post(f"/api/requests/{request.pk}/reschedule/", {"meeting_link": "https://meet.example/x"},
                         format="json")
    assert closed.status_code == 403


# --- the form on a phone: one way of giving times, no silent defaults, warnings, once only ----------------

@pytest.mark.parametrize("missing", ["grade_band", "kind", "schedule"])
def test_nothing_is_silently_defaulted(signed_in, missing):
    response = signed_in.post("/teach/requests/new/", form(next_weekday(14), **{missing: ""}))
    assert missing in response.context["form"].errors
    assert not MentorRequest.objects.exists()
    blank = signed_in.get("/teach/requests/new/").content.decode()
    assert "checked" not in blank.split('name="schedule"')[1].split(">")[0]
    assert '<option value="" selected>Choose a grade band</option>' in blank


def test_one_visit_ignores_the_extra_option_rows(signed_in):
    day = next_weekday(14)
    response = signed_in.post("/teach/requests/new/", form(day, schedule="one", option2_date="garbage"))
    assert response.status_code == 302
    assert MentorRequest.objects.get().alternative_times == []


def test_overlapping_alternative_times_are_a_field_error(signed_in):
    day = next_weekday(14)
    response = signed_in.post("/teach/requests/new/", form(day, option2_date=day.isoformat(), option2_start="10:30",
                                                            option2_end="11:30"))
    assert "overlaps option 1" in str(response.context["form"].errors["option2_start"])
    assert not MentorRequest.objects.exists()


@pytest.mark.parametrize("extra, words", [
    ({"option1_start": "22:00", "option1_end": "23:00"}, "outside school hours"),
    ({"weekday": 5}, "Saturday"),
    ({"closed": True}, "closed day (Snow day)"),
])
def test_evenings_weekends_and_closed_days_need_the_teachers_confirmation(signed_in, teacher, extra, words):
    from alliances.models import ClosedDay

    day = next_weekday(14, weekday=extra.pop("weekday", 1))
    if extra.pop("closed", False):
        ClosedDay.objects.create(alliance=teacher.school.alliance, date=day, name="Snow day")
    first = signed_in.post("/teach/requests/new/", form(day, **extra))
    assert first.status_code == 200 and words in first.content.decode()
    assert "confirm_times" in first.context["form"].errors and not MentorRequest.objects.exists()
    confirmed = signed_in.post("/teach/requests/new/", form(day, confirm_times="on", **extra))
    assert confirmed.status_code == 302 and MentorRequest.objects.count() == 1


def test_an_ordinary_school_day_asks_for_no_confirmation(signed_in):
    assert signed_in.post("/teach/requests/new/", form(next_weekday(14))).status_code == 302


def test_submitting_the_same_form_twice_creates_one_request(signed_in):
    data = form(next_weekday(14), submission_key="6f1c1f0e-4a44-4d7c-9a39-0f6f3d1f2a11")
    first = signed_in.post("/teach/requests/new/", data)
    second = signed_in.post("/teach/requests/new/", data)
    request = MentorRequest.objects.get()
    assert first.status_code == second.status_code == 302
    assert second["Location"] == f"/teach/requests/{request.pk}/"


def test_the_form_carries_a_fresh_submission_key(signed_in):
    one = signed_in.get("/teach/requests/new/").content.decode()
    two = signed_in.get("/teach/requests/new/").content.decode()
    key = 'name="submission_key" value="'
    assert one.split(key)[1][:36] != two.split(key)[1][:36]


def test_request_again_fills_in_everything_but_the_times(signed_in, teacher):
    earlier = make_request(teacher, topic="Bridges from straws", grade_band="3-5", student_count=18)
    page = signed_in.get(f"/teach/requests/new/?again={earlier.pk}").content.decode()
    assert 'value="Bridges from straws"' in page and 'value="18"' in page
    assert '<option value="3-5" selected>' in page
    assert f"?again={earlier.pk}" in signed_in.get(f"/teach/requests/{earlier.pk}/").content.decode()
    other = make_request(TeacherFactory(), topic="Not yours")
    assert "Not yours" not in signed_in.get(f"/teach/requests/new/?again={other.pk}").content.decode()


def test_the_api_sends_an_evening_request_once_confirmed(api, teacher):
    day = next_weekday(14)
    body = {"topic": "Star party", "grade_band": "6-8", "kind": "classroom_visit", "student_count": 20,
            "time_options": [[iso(day, 22), iso(day, 23)]]}
    refused = api(teacher.user).post("/api/requests/", body, format="json")
    assert refused.status_code == 400 and "outside school hours" in refused.json()["confirm_times"][0]
    assert api(teacher.user).post("/api/requests/", {**body, "confirm_times": True}, format="json").status_code == 201
