"""Bulk import: a dry run names every bad row and imports nothing; confirming imports all good rows at once."""
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from mentors.models import Mentor
from mentors.tests.factories import CompanyFactory, MentorFactory
from schools.tests.factories import CoordinatorFactory, UserFactory

pytestmark = pytest.mark.django_db

CSV = """email,first_name,last_name,phone,zip_code
grace@acme.example,Grace,Hopper,(518) 555-0101,12305
not-an-email,Bad,Email,,
alan@acme.example,Alan,,518-555-0102,
taken@acme.example,Taken,Already,,
kate@acme.example,Kate,Johnson,12,00000
grace@acme.example,Grace,Again,,
dorothy@acme.example,Dorothy,Vaughan,,
"""


@pytest.fixture
def coordinator():
    return CoordinatorFactory()


@pytest.fixture
def company(coordinator):
    MentorFactory(user=UserFactory(username="taken", email="taken@acme.example"))
    return CompanyFactory(alliance=coordinator.alliance, email_domain="acme.example")


def upload(text=CSV):
    return SimpleUploadedFile("volunteers.csv", text.encode("utf-8-sig"), content_type="text/csv")


def dry_run(client, company, text=CSV):
    return client.post("/coordinator/volunteers/import/", {"company": company.pk, "file": upload(text)})


def test_the_dry_run_lists_every_bad_row_and_why_and_imports_nothing(client, coordinator, company):
    client.force_login(coordinator.user)
    response = client.post("/coordinator/volunteers/import/", {"company": company.pk, "file": upload()})
    preview = response.context["preview"]
    problems = {(p.line, p.field) for p in preview.problems}
    assert problems == {(3, "email"), (4, "last_name"), (5, "email"), (6, "phone"), (6, "zip_code"), (7, "email")}
    assert [r.email for r in preview.good] == ["grace@acme.example", "dorothy@acme.example"]
    page = response.content.decode()
    assert "could not find ZIP code 00000" in page and "appears more than once (first on line 2)" in page
    assert Mentor.objects.count() == 1 and not mail.outbox


def test_confirming_imports_all_good_rows_and_emails_each_a_set_password_link(client, coordinator, company):
    client.force_login(coordinator.user)
    preview = dry_run(client, company).context["preview"]
    response = client.post("/coordinator/volunteers/import/", {"confirm_token": preview.token()})
    assert response.status_code == 302
    grace = Mentor.objects.get(user__email="grace@acme.example")
    assert grace.company == company and grace.status == "pending" and grace.phone == "+15185550101"
    assert grace.latitude is not None and grace.sms_consent_at is None
    assert Mentor.objects.filter(company=company).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["dorothy@acme.example", "grace@acme.example"]
    assert all("/accounts/reset/" in m.body for m in mail.outbox)


def test_the_set_password_link_lets_an_imported_volunteer_sign_in(client, coordinator, company):
    client.force_login(coordinator.user)
    preview = dry_run(client, company).context["preview"]
    client.post("/coordinator/volunteers/import/", {"confirm_token": preview.token()})
    client.logout()
    link = next(m for m in mail.outbox if m.to == ["grace@acme.example"]).body.split("http://testserver")[1].split()[0]
    form_page = client.get(link, follow=True)
    password = "orbit-cobol-1906"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    assert client.login(username="grace@acme.example", password="orbit-cobol-1906")


def test_if_anything_changed_since_the_preview_nothing_is_imported(client, coordinator, company):
    client.force_login(coordinator.user)
    preview = dry_run(client, company).context["preview"]
    get_user_model().objects.create_user("dorothy@acme.example", "dorothy@acme.example", "pw")
    response = client.post("/coordinator/volunteers/import/", {"confirm_token": preview.token()})
    assert "Something changed since the preview" in response.content.decode()
    assert not Mentor.objects.filter(company=company).exists() and not mail.outbox


def test_a_file_without_the_right_columns_is_refused_on_the_file_field(client, coordinator, company):
    client.force_login(coordinator.user)
    response = dry_run(client, company, "name,mail\nx,y\n")
    assert "missing: email, first_name, last_name" in str(response.context["form"].errors["file"])


def test_the_api_dry_run_and_confirm(api, coordinator, company):
    client = api(coordinator.user)
    dry = client.post("/api/coordinator/volunteers/import/", {"company": company.pk, "csv": CSV}, format="json")
    assert dry.status_code == 200
    body = dry.json()
    assert len(body["bad_rows"]) == 6 and len(body["good_rows"]) == 2
    assert Mentor.objects.count() == 1
    done = client.post("/api/coordinator/volunteers/import/confirm/", {"token": body["confirm_token"]}, format="json")
    assert done.status_code == 201 and done.json()["imported"] == 2
    again = client.post("/api/coordinator/volunteers/import/confirm/", {"token": body["confirm_token"]}, format="json")
    assert again.status_code == 409
    assert Mentor.objects.filter(company=company).count() == 2


def test_the_api_refuses_a_company_of_another_alliance_and_a_forged_token(api, coordinator):
    client = api(coordinator.user)
    other = CompanyFactory()
    response = client.post("/api/coordinator/volunteers/import/", {"company": other.pk, "csv": CSV}, format="json")
    assert response.status_code == 400 and "company" in response.json()
    forged = client.post("/api/coordinator/volunteers/import/confirm/", {"token": "abc:def"}, format="json")
    assert forged.status_code == 400 and "token" in forged.json()


def test_a_file_that_is_not_text_is_refused_on_the_file_field(client, coordinator, company):
    client.force_login(coordinator.user)
    response = client.post("/coordinator/volunteers/import/",
                           {"company": company.pk, "file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x81binary")})
    assert "Save the file as CSV UTF-8" in str(response.context["form"].errors["file"])
    assert Mentor.objects.count() == 1


# --- an import cannot claim someone else's address (issue 11, point 7) -------------------------

def confirm(client, company, text):
    preview = dry_run(client, company, text).context["preview"]
    if preview.good:
        client.post("/coordinator/volunteers/import/", {"confirm_token": preview.token()})
    return preview


def test_an_address_outside_the_companys_domain_is_a_bad_row(client, coordinator, company):
    other = CompanyFactory(email_domain="rival.example")  # another alliance's company
    client.force_login(coordinator.user)
    preview = confirm(client, company, "email,first_name,last_name\nceo@rival.example,Eve,Hijack\n"
                                       "ada@acme.example,Ada,Lovelace\n")
    assert [(p.line, p.field) for p in preview.problems] == [(2, "email")]
    assert "acme.example" in preview.problems[0].message
    assert not Mentor.objects.filter(user__email="ceo@rival.example").exists()
    assert Mentor.objects.filter(company=company, user__email="ada@acme.example").exists()
    assert other.mentors.count() == 0


def test_a_later_sign_up_at_the_other_domain_is_not_hijacked(client, coordinator, company, api):
    other = CompanyFactory(email_domain="rival.example")
    client.force_login(coordinator.user)
    confirm(client, company, "email,first_name,last_name\nceo@rival.example,Eve,Hijack\n")
    response = api().post("/api/signup/volunteer/", {"email": "ceo@rival.example", "first_name": "Real",
                                                     "last_name": "Person", "password": "orbit-cobol-1906"},
                          format="json")
    assert response.status_code == 202
    assert Mentor.objects.get(user__email="ceo@rival.example").company == other


def test_a_company_without_a_domain_gets_unverified_accounts_until_the_emailed_link_is_used(client, coordinator):
    company = CompanyFactory(alliance=coordinator.alliance, email_domain=None)
    client.force_login(coordinator.user)
    confirm(client, company, "email,first_name,last_name\nada@gmail.example,Ada,Lovelace\n")
    ada = Mentor.objects.get(user__email="ada@gmail.example")
    assert ada.email_verified_at is None and not ada.user.is_active
    client.logout()
    assert not client.login(username="ada@gmail.example", password="anything")
    link = mail.outbox[-1].body.split("http://testserver")[1].split()[0]
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": "orbit-cobol-1906",
                                                  "new_password2": "orbit-cobol-1906"})
    ada.refresh_from_db()
    ada.user.refresh_from_db()
    assert ada.email_verified_at is not None and ada.user.is_active
    assert client.login(username="ada@gmail.example", password="orbit-cobol-1906")


def test_an_import_never_touches_an_existing_account(client, coordinator, company):
    existing = MentorFactory(user=UserFactory(username="lin@acme.example", email="lin@acme.example"),
                             company=CompanyFactory(email_domain="elsewhere.example"))
    before = (existing.company_id, existing.user.password, existing.user.first_name)
    client.force_login(coordinator.user)
    preview = confirm(client, company, "email,first_name,last_name\nLIN@acme.example,Lin,Renamed\n")
    assert [(p.line, p.field) for p in preview.problems] == [(2, "email")]
    existing.refresh_from_db()
    existing.user.refresh_from_db()
    assert (existing.company_id, existing.user.password, existing.user.first_name) == before
