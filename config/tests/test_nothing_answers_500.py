"""Inputs that used to be a 500 (issue 11, point 5): each is now a 400 naming the field, and writes nothing."""
import io
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from twilio.request_validator import RequestValidator

from mentors.models import Mentor
from mentors.tests.factories import CompanyFactory, MentorFactory
from notifications.models import InboundMessage
from scheduling.models import MatchingRun
from schools.models import MentorRequest, Teacher
from schools.services import teacher_invite_link
from schools.tests.factories import CoordinatorFactory, SchoolFactory, TeacherFactory

pytestmark = pytest.mark.django_db

LONG_EMAIL = "a" * 140 + "@acme.example"  # 153 characters: a valid address no username can hold
REQUEST = {
    "topic": "Kitchen chemistry", "grade_band": "K-2", "format": "in_person", "student_count": 22,
    "mentors_needed": 1, "skills": ["chemistry"],
}
def _visit(days_ahead):
    """One hour at 10 AM (UTC-5) that many days from today, as the API takes it."""
    day = (timezone.now() + timedelta(days=days_ahead)).date()
    return [[f"{day}T10:00:00-05:00", f"{day}T11:00:00-05:00"]]


SIGNUP = {"first_name": "Ada", "last_name": "Lovelace", "password": "a-long-pass-phrase-42"}


@pytest.fixture
def teacher(db):
    return TeacherFactory(school__email_domain="lincoln.example")


@pytest.fixture
def coordinator(teacher):
    """A coordinator of the teacher's alliance."""
    return CoordinatorFactory(alliance=teacher.school.alliance, user__username="coordinator")


def accounts():
    return get_user_model().objects.count()


# --- email longer than 150 characters -------------------------------------------

def test_a_volunteer_signing_up_by_api_with_a_151_character_email_gets_400_on_email(api):
    CompanyFactory(email_domain="acme.example")
    before = accounts()
    response = api().post("/api/signup/volunteer/", {**SIGNUP, "email": LONG_EMAIL}, format="json")
    assert response.status_code == 400 and "email" in response.json()
    assert accounts() == before


def test_the_volunteer_signup_page_names_the_long_email(client):
    CompanyFactory(email_domain="acme.example")
    response = client.post("/volunteer/signup/", {**SIGNUP, "email": LONG_EMAIL})
    assert response.status_code == 200 and "at most 150 characters" in response.content.decode()
    assert not Mentor.objects.exists()


def test_a_teacher_signing_up_with_a_long_email_gets_400_on_email(api):
    school = SchoolFactory(email_domain="acme.example")
    response = api().post("/api/signup/teacher/", {**SIGNUP, "email": LONG_EMAIL, "school": school.pk},
                          format="json")
    assert response.status_code == 400 and "email" in response.json()
    assert not Teacher.objects.exists()


def test_the_teacher_signup_page_names_the_long_email(client):
    school = SchoolFactory(email_domain="acme.example")
    response = client.post("/teacher/signup/", {**SIGNUP, "email": LONG_EMAIL, "school": school.pk})
    assert response.status_code == 200 and "at most 150 characters" in response.content.decode()


def test_a_coordinator_inviting_a_teacher_with_a_long_email_gets_400_on_email(api, coordinator, teacher):
    response = api(coordinator.user).post("/api/coordinator/teacher-invites/",
                                          {"school": teacher.school.pk, "email": LONG_EMAIL}, format="json")
    assert response.status_code == 400 and "email" in response.json()


def test_accepting_an_invite_for_a_long_email_gets_400_on_email(api, coordinator, teacher):
    from django.core import signing

    from schools import services

    token = signing.dumps({"s": teacher.school.pk, "e": LONG_EMAIL, "by": coordinator.user.pk},
                          salt=services.INVITE_SALT)
    before = accounts()
    response = api().post("/api/teacher-invites/accept/", {**SIGNUP, "token": token}, format="json")
    assert response.status_code == 400 and "email" in response.json()
    assert accounts() == before


def test_a_csv_row_with_a_long_email_is_a_bad_row_not_a_crash(api, coordinator):
    company = CompanyFactory(alliance=coordinator.alliance, email_domain="acme.example")
    upload = io.BytesIO(f"email,first_name,last_name\n{LONG_EMAIL},Ada,Lovelace\n".encode())
    upload.name = "people.csv"
    response = api(coordinator.user).post("/api/coordinator/volunteers/import/",
                                          {"company": company.pk, "file": upload}, format="multipart")
    assert response.status_code == 200
    body = response.json()
    assert body["good_rows"] == [] and body["bad_rows"][0]["field"] == "email"


def test_the_invite_link_service_refuses_a_long_email(coordinator, teacher):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        teacher_invite_link(school=teacher.school, email=LONG_EMAIL, actor=coordinator.user)
    assert "email" in refused.value.message_dict


# --- NUL bytes -------------------------------------------------------------------

def test_a_nul_inside_a_json_list_is_400_naming_the_field(api):
    mentor = MentorFactory()
    response = api(mentor.user).patch("/api/me/mentor/", {"skills": ["a\u0000"]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"skills.0": ["Remove the NUL character (\\u0000); it is not allowed here."]}


def test_a_nul_in_a_request_topic_writes_nothing(api, teacher):
    body = {**REQUEST, "topic": "Chem\u0000istry", "intervals": _visit(7)}
    response = api(teacher.user).post("/api/requests/", body, format="json")
    assert response.status_code == 400 and "topic" in response.json()
    assert not MentorRequest.objects.exists()


@pytest.mark.parametrize("path", ["/api/matches/", "/api/coordinator/volunteers/", "/api/notifications/",
                                  "/api/inbox/"])
def test_a_nul_in_a_query_filter_is_400_naming_the_parameter(api, coordinator, path):
    response = api(coordinator.user).get(path, {"status": "\x00"})
    assert response.status_code == 400 and "status" in response.json()


@pytest.mark.parametrize("path", ["/api/matches/", "/api/coordinator/volunteers/", "/api/notifications/"])
def test_an_unknown_status_filter_is_400_not_an_empty_list(api, coordinator, path):
    response = api(coordinator.user).get(path, {"status": "sideways"})
    assert response.status_code == 400 and "status" in response.json()


def test_a_known_status_filter_still_filters(api, coordinator):
    MentorFactory(company__alliance=coordinator.alliance, status=Mentor.Status.PENDING)
    MentorFactory(company__alliance=coordinator.alliance, status=Mentor.Status.APPROVED)
    response = api(coordinator.user).get("/api/coordinator/volunteers/", {"status": "pending"})
    assert response.status_code == 200 and [m["status"] for m in response.json()["results"]] == ["pending"]


def signed_post(path, params):
    url = settings.PUBLIC_BASE_URL + path
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(url, params)
    return Client().post(path, urlencode(params), content_type="application/x-www-form-urlencoded",
                         HTTP_X_TWILIO_SIGNATURE=signature)


def test_a_signed_inbound_text_with_a_nul_is_400_and_stores_nothing():
    sid = "SM" + "a" * 32
    params = {"MessageSid": sid, "AccountSid": "AC" + "0" * 32, "From": "+15185550177", "To": "+15005550006",
              "Body": "YES\x00"}
    response = signed_post("/webhooks/twilio/inbound/", params)
    assert response.status_code == 400 and "Body" in response.json()
    assert not InboundMessage.objects.exists()


def test_a_signed_status_callback_with_a_nul_is_400():
    params = {"MessageSid": "SM" + "b" * 32, "MessageStatus": "deliv\x00ered"}
    response = signed_post("/webhooks/twilio/status/", params)
    assert response.status_code == 400 and "MessageStatus" in response.json()


# --- dates far ahead -------------------------------------------------------------

def test_a_weekly_series_starting_in_9999_is_400_on_series(api, teacher):
    body = {**REQUEST, "series": {"first_start": "9999-12-20T10:00:00Z", "first_end": "9999-12-20T11:00:00Z",
                                  "weeks": 4}}
    response = api(teacher.user).post("/api/requests/", body, format="json")
    assert response.status_code == 400 and "series" in response.json()
    assert not MentorRequest.objects.exists()


def test_a_single_session_in_9999_is_refused_not_accepted(api, teacher):
    body = {**REQUEST, "intervals": [["9999-06-01T10:00:00Z", "9999-06-01T11:00:00Z"]]}
    response = api(teacher.user).post("/api/requests/", body, format="json")
    assert response.status_code == 400 and "intervals" in response.json()
    assert not MentorRequest.objects.exists()


def test_a_session_just_past_the_horizon_is_refused(api, teacher, settings):
    settings.REQUEST_HORIZON_DAYS = 30
    body = {**REQUEST, "intervals": _visit(31)}
    response = api(teacher.user).post("/api/requests/", body, format="json")
    assert response.status_code == 400 and "1 months" in str(response.json())


def test_the_request_service_itself_enforces_the_horizon(teacher):
    from datetime import UTC, datetime

    from django.core.exceptions import ValidationError

    from scheduling import requests

    with pytest.raises(ValidationError):
        requests.create_request(teacher=teacher, topic="x", grade_band="6-8", format="in_person", student_count=3,
                                intervals=[(datetime(9999, 1, 1, 10, tzinfo=UTC), datetime(9999, 1, 1, 11,
                                                                                            tzinfo=UTC))])
    assert not MentorRequest.objects.exists()


def test_a_matching_run_window_of_0001_to_9999_is_400(api, coordinator):
    response = api(coordinator.user).post("/api/matching-runs/", {
        "window_start": "0001-01-01T00:00:00Z", "window_end": "9999-12-31T00:00:00Z"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) & {"window_start", "window_end"}
    assert not MatchingRun.objects.exists()


def test_a_nul_in_a_page_form_gets_a_page_naming_the_field(client):
    response = client.post("/volunteer/signup/", {**SIGNUP, "email": "ada@acme.example", "first_name": "A\x00"})
    assert response.status_code == 400 and "first_name" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert not Mentor.objects.exists()
