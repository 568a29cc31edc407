"""A company lead sees only their company; a volunteer only themselves; both statements print and download."""
import csv
import io

import pytest

from impact.models import CompanyLead
from mentors.tests.factories import MentorFactory
from schools.tests.factories import UserFactory

from .helpers import completed

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(teacher, coordinator, mentor):
    rival = MentorFactory(company__alliance=teacher.school.alliance)
    colleague = MentorFactory(company=mentor.company)
    completed(teacher, coordinator, mentor, students=24, hours="1", mentor_hours="1.5")
    completed(teacher, coordinator, colleague, students=12, hours="1", hour=14)
    completed(teacher, coordinator, rival, students=30, hours="1", hour=16)
    lead = CompanyLead.objects.create(user=UserFactory(), company=mentor.company, invited_by=coordinator.user)
    return {"lead": lead, "rival": rival, "colleague": colleague}


def rows(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_company_lead_sees_their_own_company_only(client, world, mentor):
    client.force_login(world["lead"].user)
    page = client.get("/company/impact/")
    assert page.status_code == 200
    totals = page.context["data"]["totals"]
    assert (totals["students"], totals["sessions"], float(totals["hours"]), totals["mentors"]) == (36, 2, 2.5, 2)
    assert world["rival"].display_name.encode() not in page.content
    volunteers = rows(client.get("/company/impact/volunteer.csv"))
    assert sorted(r["Group"] for r in volunteers) == sorted([mentor.display_name, world["colleague"].display_name])
    assert sum(float(r["Mentor hours"]) for r in volunteers) == 2.5
    api = client.get("/api/impact/company/").json()
    assert api["totals"]["students"] == 36


def test_the_company_statement_names_no_teacher(client, world, teacher):
    client.force_login(world["lead"].user)
    assert str(teacher).encode() not in client.get("/company/impact/").content
    assert str(teacher) not in b"".join(client.get("/company/impact/sessions.csv").streaming_content).decode()


def test_a_company_lead_cannot_widen_to_another_company(client, world):
    client.force_login(world["lead"].user)
    other = world["rival"].company.pk
    assert client.get("/company/impact/", {"company": other}).context["data"]["totals"]["students"] == 36
    assert client.get("/api/impact/company/", {"company": other}).json()["totals"]["students"] == 36


def test_my_impact_shows_the_volunteers_own_record_and_csv(client, world, mentor):
    client.force_login(mentor.user)
    page = client.get("/me/impact/")
    assert page.status_code == 200
    assert (page.context["data"]["totals"]["sessions"], float(page.context["data"]["totals"]["hours"])) == (1, 1.5)
    assert world["colleague"].display_name.encode() not in page.content
    sessions = rows(client.get("/me/impact/sessions.csv"))
    assert [(r["Students reached"], r["Mentor hours"]) for r in sessions] == [("24", "1.50")]
    assert client.get("/api/impact/me/").json()["totals"]["sessions"] == 1


@pytest.mark.parametrize("url", ["/company/impact/", "/api/impact/company/", "/company/impact/month.csv"])
def test_a_volunteer_is_not_a_company_lead(client, world, mentor, url):
    client.force_login(mentor.user)
    assert client.get(url).status_code == 403


def test_a_coordinator_invites_a_company_lead(client, coordinator, mentor):
    client.force_login(coordinator.user)
    data = {"company": mentor.company.pk, "email": "csr@acme.example", "first_name": "Casey"}
    response = client.post("/coordinator/impact/company-leads/", data)
    assert response.status_code == 302
    assert CompanyLead.objects.get(user__email="csr@acme.example").company == mentor.company
    again = client.post("/coordinator/impact/company-leads/", data)
    assert again.status_code == 400 and "email" in again.context["form"].errors


def test_the_statements_download_as_pdf(client, world, mentor):
    client.force_login(world["lead"].user)
    response = client.get("/company/impact/statement.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert client.get("/company/impact/statement.pdf", {"start": "2026-02-30"}).status_code == 400
    client.force_login(mentor.user)
    response = client.get("/me/impact/statement.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
