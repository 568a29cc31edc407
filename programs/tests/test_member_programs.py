"""Members publish their own programs; coordinators moderate; past programs archive themselves."""
from datetime import timedelta

import pytest
from django.utils import timezone

from alliances.models import Member
from programs import services
from programs.models import Program
from schools.tests.factories import CoordinatorFactory

from .factories import MemberStaffFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def form_data(**changes):
    return {"title": "Robot Saturdays", "title_es": "Sábados de robots",
            "description": "Build robots.\n\nBring a friend.",
            "setting": "weekend", "grade_bands": ["6-8", "9-12"], "cost": "free", "languages": ["en", "es"],
            "zip_code": "12308", "address": "100 State St, Schenectady, NY", "join_url": "https://club.example/sign-up",
            **changes}


@pytest.fixture
def staff(client):
    staff = MemberStaffFactory()
    client.force_login(staff.user)
    return staff


def test_a_member_adds_a_program_placed_from_its_zip_as_a_draft(client, staff):
    response = client.post("/members/programs/new/", form_data())
    assert response.status_code == 302
    program = Program.objects.get()
    assert (program.member, program.status, program.grade_bands, program.languages) == (
        staff.member, Program.Status.DRAFT, "|6-8|9-12|", "|en|es|")
    assert (program.latitude, program.longitude) == (42.8239, -73.9211)  # 12308's centroid (core.places)


def test_a_program_anywhere_in_the_us_is_placed_and_found_by_distance(client, staff):
    client.post("/members/programs/new/", form_data(zip_code="90013", address="300 S Spring St, Los Angeles, CA"))
    program = Program.objects.get()
    services.move_program(program_id=program.pk, action="submit")
    services.move_program(program_id=program.pk, action="publish")
    client.logout()
    response = client.get("/programs/", {"zip": "90012", "within": "5"})
    assert [card["title"] for card in response.context["cards"]] == ["Robot Saturdays"]
    assert 0 < response.context["cards"][0]["miles"] < 5
    assert client.get("/programs/", {"zip": "12308", "within": "50"}).context["cards"] == []


def test_a_zip_code_that_does_not_exist_is_a_field_error(client, staff):
    response = client.post("/members/programs/new/", form_data(zip_code="00000"))
    assert response.status_code == 400
    assert "zip_code" in response.context["form"].errors
    assert not Program.objects.exists()


@pytest.mark.parametrize("field, value", [("join_url", "javascript:alert(1)"), ("join_url", "ftp://x.example/a"),
                                          ("zip_code", "12a45"), ("grade_bands", ["13"]), ("title", "")])
def test_bad_program_input_is_a_field_error_and_writes_nothing(client, staff, field, value):
    response = client.post("/members/programs/new/", form_data(**{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Program.objects.exists()


def test_a_program_needs_a_way_to_join_and_a_place_or_virtual(client, staff):
    response = client.post("/members/programs/new/", form_data(join_url="", zip_code=""))
    assert {"join_url", "zip_code"} <= set(response.context["form"].errors)


def test_a_member_edits_only_its_own_programs(client, staff):
    theirs = ProgramFactory(title="Theirs")
    assert client.get(f"/members/programs/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/members/programs/{theirs.pk}/edit/", form_data()).status_code == 404
    assert client.post(f"/members/programs/{theirs.pk}/submit/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Theirs"


def test_editing_a_published_program_sends_it_back_for_review(client, staff):
    program = ProgramFactory(member=staff.member)
    client.post(f"/members/programs/{program.pk}/edit/", form_data(title="Changed"))
    program.refresh_from_db()
    assert (program.title, program.status) == ("Changed", Program.Status.SUBMITTED)
    assert client.get(f"/programs/{program.pk}/").status_code == 404


def test_staff_of_a_member_not_yet_approved_cannot_publish(client):
    staff = MemberStaffFactory(member__status=Member.Status.APPLIED)
    client.force_login(staff.user)
    assert client.post("/members/programs/new/", form_data()).status_code == 404
    assert not Program.objects.exists()


def test_submit_then_a_coordinator_publishes_and_the_public_sees_it(client, staff):
    program = ProgramFactory(member=staff.member, status=Program.Status.DRAFT)
    client.post(f"/members/programs/{program.pk}/submit/")
    coordinator = CoordinatorFactory(alliance=staff.member.alliance)
    client.force_login(coordinator.user)
    assert client.post(f"/coordinator/programs/{program.pk}/publish/").status_code == 302
    client.logout()
    assert client.get(f"/programs/{program.pk}/").status_code == 200


def test_a_transition_the_status_no_longer_allows_is_a_409(client):
    program = ProgramFactory(status=Program.Status.DRAFT)
    client.force_login(CoordinatorFactory(alliance=program.alliance).user)
    assert client.post(f"/coordinator/programs/{program.pk}/publish/").status_code == 409
    program.refresh_from_db()
    assert program.status == Program.Status.DRAFT


def test_another_alliances_coordinator_cannot_moderate(client):
    program = ProgramFactory(status=Program.Status.SUBMITTED)
    client.force_login(CoordinatorFactory().user)
    assert client.post(f"/coordinator/programs/{program.pk}/publish/").status_code == 404
    assert client.post(f"/coordinator/programs/{program.pk}/delete/").status_code == 404
    program.refresh_from_db()
    assert program.status == Program.Status.SUBMITTED


def test_past_programs_archive_themselves():
    today = timezone.localdate()
    past = ProgramFactory(starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=1))
    current = ProgramFactory(starts_on=today - timedelta(days=30), ends_on=today)
    assert services.archive_past_programs(today=today) == 1
    past.refresh_from_db()
    current.refresh_from_db()
    assert (past.status, current.status) == (Program.Status.ARCHIVED, Program.Status.PUBLISHED)
