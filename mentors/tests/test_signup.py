"""Volunteer sign-up and email verification, on the page and through the API."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from core.accounts import SIGNUP_SENT_MESSAGE
from mentors.models import Mentor
from mentors.tests.factories import CompanyFactory, MentorFactory
from schools.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {"first_name": "Ana", "last_name": "Ruiz", "email": "Ana.Ruiz@Acme.example", "password": "purple-robot-42"}


@pytest.fixture
def company():
    return CompanyFactory(email_domain="acme.example", invite_code="ACME-2026")


def link_in(message):
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_a_work_email_signup_makes_a_pending_volunteer_of_that_company_who_cannot_sign_in_yet(client, company):
    response = client.post("/volunteer/signup/", GOOD, follow=True)
    assert SIGNUP_SENT_MESSAGE in response.content.decode()
    mentor = Mentor.objects.get()
    assert mentor.company == company and mentor.status == Mentor.Status.PENDING
    assert mentor.user.email == "ana.ruiz@acme.example" and not mentor.user.is_active
    assert mentor.email_verified_at is None
    assert len(mail.outbox) == 1 and "/accounts/verify/" in mail.outbox[0].body


def test_following_the_link_verifies_the_email_and_lets_the_volunteer_sign_in(client, company):
    client.post("/volunteer/signup/", GOOD)
    response = client.get(link_in(mail.outbox[0]), follow=True)
    assert "your email is confirmed" in response.content.decode()
    mentor = Mentor.objects.get()
    assert mentor.user.is_active and mentor.email_verified_at is not None
    assert client.login(username="ana.ruiz@acme.example", password=GOOD["password"])


def test_following_the_link_signs_the_volunteer_straight_in_to_their_profile(client, company):
    client.post("/volunteer/signup/", GOOD)
    response = client.get(link_in(mail.outbox[0]), follow=True)
    assert response.wsgi_request.user.is_authenticated
    assert response.redirect_chain[-1][0].startswith("/me/profile/skills/")


def test_an_invite_code_picks_the_company_whatever_the_email_domain(client, company):
    client.post("/volunteer/signup/", {**GOOD, "email": "ana@gmail.example", "invite_code": "acme-2026"})
    assert Mentor.objects.get().company == company


def test_an_unknown_company_domain_is_an_error_on_the_email_field(client, company):
    response = client.post("/volunteer/signup/", {**GOOD, "email": "ana@elsewhere.example"})
    assert "We don&#x27;t recognise this company email domain" in response.content.decode()
    assert response.context["form"].errors.keys() == {"email"}
    assert not get_user_model().objects.exists() and not mail.outbox


def test_a_wrong_invite_code_is_an_error_on_the_invite_code_field(client, company):
    response = client.post("/volunteer/signup/", {**GOOD, "invite_code": "NOPE"})
    assert response.context["form"].errors.keys() == {"invite_code"}
    assert not Mentor.objects.exists()


def test_a_weak_password_is_an_error_on_the_password_field(client, company):
    response = client.post("/volunteer/signup/", {**GOOD, "password": "12345678"})
    assert "password" in response.context["form"].errors
    assert not Mentor.objects.exists()


def test_a_second_signup_with_the_same_email_looks_the_same_and_emails_the_owner(client, company):
    owner = MentorFactory(company=company, user=UserFactory(username="ana", email="ana.ruiz@acme.example"))
    response = client.post("/volunteer/signup/", GOOD)
    assert SIGNUP_SENT_MESSAGE in response.content.decode()
    assert Mentor.objects.get() == owner
    assert [m.to for m in mail.outbox] == [["ana.ruiz@acme.example"]]
    assert "already has one" in mail.outbox[0].body


def test_a_tampered_link_is_refused(client, company):
    client.post("/volunteer/signup/", GOOD)
    response = client.get(link_in(mail.outbox[0])[:-3] + "xx/")
    assert response.status_code == 400
    assert not Mentor.objects.get().user.is_active


def test_the_api_gives_the_same_answer_for_new_and_existing_addresses(api, company):
    first = api().post("/api/signup/volunteer/", GOOD, format="json")
    second = api().post("/api/signup/volunteer/", GOOD, format="json")
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json() == {"detail": SIGNUP_SENT_MESSAGE}
    assert Mentor.objects.count() == 1 and len(mail.outbox) == 2


@pytest.mark.parametrize("field, value", [("email", "not-an-email"), ("email", "ana@elsewhere.example"),
                                          ("password", "short"), ("invite_code", "NOPE"), ("first_name", "")])
def test_the_api_refuses_bad_signups_with_400_naming_the_field(api, company, field, value):
    response = api().post("/api/signup/volunteer/", {**GOOD, field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not get_user_model().objects.exists()


def test_the_api_verifies_an_email_by_token(api, company):
    api().post("/api/signup/volunteer/", GOOD, format="json")
    token = link_in(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    assert api().post("/api/verify-email/", {"token": token}, format="json").status_code == 200
    assert Mentor.objects.get().user.is_active
    bad = api().post("/api/verify-email/", {"token": "junk"}, format="json")
    assert bad.status_code == 400 and "token" in bad.json()


def test_a_sign_up_that_loses_a_race_for_the_address_answers_the_same_and_writes_nothing(client, company,
                                                                                        monkeypatch):
    owner = MentorFactory(company=company, user=UserFactory(username="ana.ruiz@acme.example",
                                                            email="ana.ruiz@acme.example"))
    lookups = iter([None, owner.user])  # the check misses the account created a moment later
    monkeypatch.setattr("mentors.services.find_user_by_email", lambda email: next(lookups))
    response = client.post("/volunteer/signup/", GOOD)
    assert SIGNUP_SENT_MESSAGE in response.content.decode()
    assert Mentor.objects.get() == owner and [m.to for m in mail.outbox] == [["ana.ruiz@acme.example"]]
