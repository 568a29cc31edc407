"""Joining the alliance: the public form, its abuse guards, and the coordinator's review."""
import pytest
from django.core import mail

from alliances import members
from alliances.models import Member, MemberStaff
from mentors.models import Company
from programs.tests.factories import MemberFactory, MouFactory
from schools.models import School
from schools.tests.factories import AllianceFactory, CoordinatorFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mou():
    return MouFactory(version=3, text="We share what we run and keep students safe.", text_es="")


def application(mou, **changes):
    return {"name": "Girls Who Build", "kind": "nonprofit", "website": "https://gwb.example",
            "contact_name": "Ana Ruiz", "contact_email": "ana@gwb.example", "contact_phone": "(518) 555-0142",
            "offers": ["programs", "space"], "about": "Saturday engineering for girls.", "accept_mou": "on",
            "mou_version": mou.version, "nickname": "", **changes}


def test_an_organisation_applies_accepting_the_current_mou_version(client, mou):
    response = client.post(f"/alliances/{mou.alliance.slug}/join/", application(mou))
    assert response.status_code == 302
    member = Member.objects.get()
    assert (member.status, member.mou, member.contact_phone, member.offers) == (
        Member.Status.APPLIED, mou, "+15185550142", ["programs", "space"])
    assert member.mou_accepted_at is not None


def test_the_join_page_shows_the_mou_text_and_version(client, mou):
    body = client.get(f"/alliances/{mou.alliance.slug}/join/").content.decode()
    assert "We share what we run" in body and "version 3" in body
    assert "Compartimos" not in body and "English only" not in body and 'lang="en"' not in body.split("<body")[1]


def test_the_spanish_join_page_shows_the_spanish_mou_of_the_same_version(client, mou):
    mou.text_es = "Compartimos lo que hacemos y protegemos a los estudiantes."
    mou.save()
    body = client.get(f"/alliances/{mou.alliance.slug}/join/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Compartimos lo que hacemos" in body and "versión 3" in body
    assert "We share what we run" not in body and "solo en inglés" not in body
    response = client.post(f"/alliances/{mou.alliance.slug}/join/", application(mou), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302 and Member.objects.get().mou == mou


def test_without_a_spanish_mou_the_spanish_page_says_the_english_text_is_english(client, mou):
    body = client.get(f"/alliances/{mou.alliance.slug}/join/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "La alianza ha publicado este acuerdo solo en inglés." in body
    assert '<div class="mou-text" lang="en"><p>We share what we run' in body


@pytest.mark.parametrize("field, value", [("contact_email", "not-an-email"), ("contact_phone", "12"),
                                          ("website", "javascript:alert(1)"), ("kind", "cult"),
                                          ("accept_mou", ""), ("name", ""), ("mou_version", "2")])
def test_malformed_applications_get_a_field_error_and_write_nothing(client, mou, field, value):
    response = client.post(f"/alliances/{mou.alliance.slug}/join/", application(mou, **{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Member.objects.exists()


def test_a_filled_honeypot_looks_accepted_but_writes_nothing(client, mou):
    response = client.post(f"/alliances/{mou.alliance.slug}/join/", application(mou, nickname="buy pills"))
    assert response.status_code == 302
    assert not Member.objects.exists()


def test_the_join_form_is_rate_limited_per_network(client, mou, settings):
    for n in range(5):
        client.post(f"/alliances/{mou.alliance.slug}/join/", application(mou, contact_email=f"a{n}@x.example"))
    response = client.post(f"/alliances/{mou.alliance.slug}/join/", application(mou))
    assert response.status_code == 429
    assert Member.objects.count() == 5


def test_an_alliance_without_an_mou_takes_no_applications(client):
    alliance = AllianceFactory()
    assert client.get(f"/alliances/{alliance.slug}/join/").status_code == 404


def test_nothing_of_an_applicant_is_public_until_approved(client, mou):
    client.post(f"/alliances/{mou.alliance.slug}/join/", application(mou))
    assert "Girls Who Build" not in client.get(f"/alliances/{mou.alliance.slug}/").content.decode()
    coordinator = CoordinatorFactory(alliance=mou.alliance)
    members.approve_member(member_id=Member.objects.get().pk, by=coordinator.user)
    assert "Girls Who Build" in client.get(f"/alliances/{mou.alliance.slug}/").content.decode()


def test_approval_gives_the_contact_an_account_acting_for_the_member(client, mou, django_capture_on_commit_callbacks):
    member = MemberFactory(alliance=mou.alliance, status=Member.Status.APPLIED, contact_email="lead@club.example")
    coordinator = CoordinatorFactory(alliance=mou.alliance)
    client.force_login(coordinator.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/coordinator/members/{member.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    staff = MemberStaff.objects.get(member=member)
    assert staff.user.email == "lead@club.example" and not staff.user.has_usable_password()
    assert mail.outbox[-1].to == ["lead@club.example"] and "/accounts/reset/" in mail.outbox[-1].body


def test_decline_needs_a_reason_which_the_applicant_is_told(client, mou, django_capture_on_commit_callbacks):
    member = MemberFactory(alliance=mou.alliance, status=Member.Status.APPLIED)
    client.force_login(CoordinatorFactory(alliance=mou.alliance).user)
    response = client.post(f"/coordinator/members/{member.pk}/", {"decision": "decline", "note": " "})
    assert response.status_code == 400 and "note" in response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/coordinator/members/{member.pk}/", {"decision": "decline", "note": "Outside our region."})
    member.refresh_from_db()
    assert (member.status, member.review_note) == (Member.Status.DECLINED, "Outside our region.")
    assert "Outside our region." in mail.outbox[-1].body


def test_asking_for_more_keeps_the_application_open(client, mou):
    member = MemberFactory(alliance=mou.alliance, status=Member.Status.APPLIED)
    coordinator = CoordinatorFactory(alliance=mou.alliance)
    members.ask_member_for_more(member_id=member.pk, by=coordinator.user, question="Who runs it?")
    members.approve_member(member_id=member.pk, by=coordinator.user)
    member.refresh_from_db()
    assert member.status == Member.Status.APPROVED


def test_a_decided_application_cannot_be_decided_again(client, mou):
    member = MemberFactory(alliance=mou.alliance, status=Member.Status.APPLIED)
    coordinator = CoordinatorFactory(alliance=mou.alliance)
    members.decline_member(member_id=member.pk, by=coordinator.user, reason="No.")
    client.force_login(coordinator.user)
    response = client.post(f"/coordinator/members/{member.pk}/", {"decision": "approve"})
    assert response.status_code == 409
    assert not MemberStaff.objects.exists()


def test_the_member_list_shows_contacts_and_offers_to_its_own_coordinator_only(client, mou):
    MemberFactory(alliance=mou.alliance, contact_email="lead@club.example", offers=["space", "funding"])
    client.force_login(CoordinatorFactory(alliance=mou.alliance).user)
    body = client.get("/coordinator/members/").content.decode()
    assert "lead@club.example" in body and "Space, Funding" in body
    client.force_login(CoordinatorFactory().user)
    assert "lead@club.example" not in client.get("/coordinator/members/").content.decode()


def test_existing_companies_and_schools_become_members_without_losing_anything():
    from importlib import import_module

    from django.apps import apps

    school = SchoolFactory(name="Hamilton Elementary")
    company = Company.objects.create(alliance=school.alliance, name="Erie Robotics", email_domain="erie.example")
    for module in ("mentors.migrations.0009_companies_become_members",
                   "schools.migrations.0009_schools_become_members"):
        import_module(module).forwards(apps, None)
    company.refresh_from_db()
    school.refresh_from_db()
    assert (company.member.name, company.member.kind, company.member.status) == ("Erie Robotics", "company", "approved")
    assert (school.member.name, school.member.kind, school.member.alliance) == (
        "Hamilton Elementary", "school", school.alliance)
    assert (company.email_domain, School.objects.get(pk=school.pk).address) == ("erie.example", school.address)
