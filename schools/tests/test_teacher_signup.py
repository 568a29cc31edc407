"""Teachers join by a coordinator's invitation, or sign up with a school email and wait to be verified."""
import re

import pytest
from django.core import mail

from core.accounts import SIGNUP_SENT_MESSAGE
from schools.models import MentorRequest, Teacher
from schools.tests.factories import CoordinatorFactory, SchoolFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = {"first_name": "Teresa", "last_name": "Lopez", "email": "teresa@lincoln.k12.example",
        "password": "chalk-and-cheese-9", "phone": ""}


@pytest.fixture
def school():
    return SchoolFactory(email_domain="lincoln.k12.example")


@pytest.fixture
def coordinator(school):
    return CoordinatorFactory(alliance=school.alliance)


def link_in(message):
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_a_school_email_signup_makes_an_unverified_teacher_who_cannot_request(client, school):
    response = client.post("/teacher/signup/", {**GOOD, "school": school.pk})
    assert SIGNUP_SENT_MESSAGE in response.content.decode()
    teacher = Teacher.objects.get()
    assert teacher.school == school and not teacher.is_verified and not teacher.user.is_active
    client.get(link_in(mail.outbox[0]))
    teacher.refresh_from_db()
    assert teacher.email_verified_at is not None and not teacher.is_verified
    client.login(username=GOOD["email"], password=GOOD["password"])
    page = client.get("/teach/requests/new/").content.decode()
    assert "verified your account yet" in page and "<form method=\"post\" class=\"stack\"" not in page


def test_an_address_outside_the_schools_domain_is_an_error_on_the_email_field(client, school):
    response = client.post("/teacher/signup/", {**GOOD, "email": "teresa@gmail.example", "school": school.pk})
    assert "ending in @lincoln.k12.example" in str(response.context["form"].errors["email"])
    assert not Teacher.objects.exists()


def test_a_repeat_teacher_signup_looks_the_same_and_emails_the_owner(client, api, school):
    TeacherFactory(school=school, user=UserFactory(username="t", email=GOOD["email"]))
    response = client.post("/teacher/signup/", {**GOOD, "school": school.pk})
    assert SIGNUP_SENT_MESSAGE in response.content.decode()
    via_api = api().post("/api/signup/teacher/", {**GOOD, "school": school.pk}, format="json")
    assert via_api.status_code == 202 and via_api.json() == {"detail": SIGNUP_SENT_MESSAGE}
    assert Teacher.objects.count() == 1 and len(mail.outbox) == 2


def test_a_coordinator_verifies_a_teacher_then_they_may_request(client, api, coordinator, school):
    teacher = TeacherFactory(school=school, verified_at=None)
    client.force_login(coordinator.user)
    assert str(teacher) in client.get("/coordinator/teachers/").content.decode()
    client.post(f"/coordinator/teachers/{teacher.pk}/verify/")
    teacher.refresh_from_db()
    assert teacher.is_verified and teacher.verified_by == coordinator.user


def test_a_coordinator_cannot_verify_teachers_of_another_alliance(client, api, coordinator):
    other = TeacherFactory(verified_at=None)
    client.force_login(coordinator.user)
    assert client.post(f"/coordinator/teachers/{other.pk}/verify/").status_code == 404
    assert api(coordinator.user).post(f"/api/coordinator/teachers/{other.pk}/verify/").status_code == 404
    other.refresh_from_db()
    assert not other.is_verified


def test_an_invited_teacher_joins_verified_and_can_request_at_once(client, coordinator, school):
    client.force_login(coordinator.user)
    client.post("/coordinator/teachers/invite/", {"school": school.pk, "email": "Marcus@Lincoln.k12.example"})
    client.logout()
    link = link_in(mail.outbox[0])
    assert "Join" in client.get(link).content.decode()
    response = client.post(link, {"first_name": "Marcus", "last_name": "Green", "password": "gravity-well-77"})
    assert response.status_code == 302
    teacher = Teacher.objects.get()
    assert teacher.user.email == "marcus@lincoln.k12.example" and teacher.is_verified
    assert teacher.verified_by == coordinator.user and teacher.email_verified_at is not None
    assert client.post(link, {"first_name": "M", "last_name": "G", "password": "gravity-well-77"}).status_code == 200
    assert Teacher.objects.count() == 1


def test_a_tampered_invitation_is_refused(client, coordinator, school):
    client.force_login(coordinator.user)
    client.post("/coordinator/teachers/invite/", {"school": school.pk, "email": "m@lincoln.k12.example"})
    client.logout()
    assert client.get(link_in(mail.outbox[0])[:-4] + "zz/").status_code == 400


def test_the_api_invite_and_accept(api, coordinator, school):
    created = api(coordinator.user).post("/api/coordinator/teacher-invites/",
                                         {"school": school.pk, "email": "ruth@lincoln.k12.example"}, format="json")
    assert created.status_code == 201
    token = created.json()["invite_url"].rstrip("/").rsplit("/", 1)[1]
    weak = api().post("/api/teacher-invites/accept/",
                      {"token": token, "first_name": "Ruth", "last_name": "Adler", "password": "123"}, format="json")
    assert weak.status_code == 400 and "password" in weak.json()
    joined = api().post("/api/teacher-invites/accept/", {"token": token, "first_name": "Ruth", "last_name": "Adler",
                                                         "password": "long-enough-pass-1"}, format="json")
    assert joined.status_code == 201 and joined.json()["verified_at"]
    other = SchoolFactory()
    refused = api(coordinator.user).post("/api/coordinator/teacher-invites/",
                                         {"school": other.pk, "email": "x@y.example"}, format="json")
    assert refused.status_code == 400 and "school" in refused.json()


def test_the_api_lists_and_verifies_waiting_teachers(api, coordinator, school):
    teacher = TeacherFactory(school=school, verified_at=None)
    TeacherFactory(school=school)
    waiting = api(coordinator.user).get("/api/coordinator/teachers/?verified=false").json()["results"]
    assert [t["id"] for t in waiting] == [teacher.pk]
    assert api(coordinator.user).post(f"/api/coordinator/teachers/{teacher.pk}/verify/").status_code == 200
    assert api(teacher.user).post(f"/api/coordinator/teachers/{teacher.pk}/verify/").status_code == 403
    assert not MentorRequest.objects.exists()


def test_inviting_a_personal_address_for_a_school_with_a_domain_asks_to_confirm(client, coordinator, school):
    client.force_login(coordinator.user)
    data = {"school": school.pk, "email": "marcus@gmail.example"}
    warned = client.post("/coordinator/teachers/invite/", data)
    assert "personal_ok" in warned.context["form"].errors and not mail.outbox
    assert "uses @lincoln.k12.example addresses" in warned.content.decode()
    client.post("/coordinator/teachers/invite/", {**data, "personal_ok": "on"})
    assert [m.to for m in mail.outbox] == [["marcus@gmail.example"]]
