"""Joining through one's approved organisation: a nonprofit's verified staff invite a colleague (the same
set-password email); the colleague waits, unable to ask for mentors, until a coordinator vouches for them, and
the coordinator sees them waiting as they see teachers waiting."""
import pytest
from django.core import mail

from alliances.models import Member, MemberStaff
from scheduling.tests.factories import class_time, next_weekday
from schools.models import MentorRequest
from schools.tests.factories import (
    CoordinatorFactory,
    PartnerMemberFactory,
    PartnerSiteFactory,
    PartnerStaffFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
INVITE = {"name": "Ana Lee", "email": "ana@code-club.example"}


@pytest.fixture
def staff():
    return PartnerStaffFactory()


@pytest.fixture
def colleague(client, staff, django_capture_on_commit_callbacks):
    client.force_login(staff.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/members/colleagues/", INVITE)
    assert response.status_code == 302
    client.logout()
    return MemberStaff.objects.get(user__email="ana@code-club.example")


def request_form(site):
    day = next_weekday(14)
    return {"site": str(site.pk), "setting": "after_school", "topic": "Build a weather station", "description": "",
            "grade_band": "6-8", "kind": "after_school", "language": "", "student_count": "15",
            "mentors_needed": "1", "schedule": "one", "option1_date": day.isoformat(), "option1_start": "15:30",
            "option1_end": "17:00", "meeting_link": ""}


def test_a_verified_partner_invites_a_colleague_who_gets_the_set_password_email(staff, colleague):
    assert (colleague.member, colleague.verified_at, colleague.verified_by) == (staff.member, None, None)
    assert not colleague.user.has_usable_password()
    sent = mail.outbox[-1]
    assert sent.to == ["ana@code-club.example"] and "/accounts/reset/" in sent.body
    assert staff.member.name in sent.body and "coordinator" in sent.body


def test_an_invited_colleague_cannot_ask_for_mentors_until_a_coordinator_vouches(client, api, staff, colleague):
    site = staff.member.places.get()
    client.force_login(colleague.user)
    assert not client.get("/teach/requests/new/").context["can_ask"]
    client.post("/teach/requests/new/", request_form(site))
    start, end = class_time(next_weekday(14), hour=15)
    answer = api(colleague.user).post("/api/requests/", {
        "topic": "x", "grade_band": "6-8", "kind": "after_school", "student_count": 5, "site": site.pk,
        "setting": "after_school", "intervals": [[start.isoformat(), end.isoformat()]]}, format="json")
    assert answer.status_code == 403
    assert client.post("/members/colleagues/", {"name": "Bo", "email": "bo@code-club.example"}).status_code == 403
    assert client.get(f"/partner/sites/{site.pk}/").status_code == 403
    assert client.post("/members/programs/new/", {"title": "Robots"}).status_code == 403
    assert not MentorRequest.objects.exists()
    assert not MemberStaff.objects.filter(user__email="bo@code-club.example").exists()


def test_the_coordinator_sees_the_colleague_waiting_and_vouches_then_they_can_ask(
        client, staff, colleague, django_capture_on_commit_callbacks):
    coordinator = CoordinatorFactory(alliance=staff.member.alliance)
    client.force_login(coordinator.user)
    home = client.get("/coordinator/").content.decode()
    assert f"Ana Lee ({staff.member.name})" in home and f"/coordinator/members/{staff.member.pk}/" in home
    page = client.get(f"/coordinator/members/{staff.member.pk}/").content.decode()
    assert "waiting for verification" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/coordinator/members/{staff.member.pk}/staff/{colleague.pk}/verify/")
        client.post(f"/coordinator/members/{staff.member.pk}/staff/{colleague.pk}/verify/")  # twice: once told
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.verified_by == coordinator.user and colleague.verified_at is not None
    assert [m.subject for m in mail.outbox].count(f"You can now act for {staff.member.name}") == 1
    assert f"Ana Lee ({staff.member.name})" not in client.get("/coordinator/").content.decode()
    client.force_login(colleague.user)
    assert client.post("/teach/requests/new/", request_form(staff.member.places.get())).status_code == 302
    assert MentorRequest.objects.get().partner_staff == colleague


def test_only_verified_people_of_an_approved_member_invite_and_only_new_addresses(client, staff):
    alliance = staff.member.alliance
    applicant = PartnerStaffFactory(member=PartnerSiteFactory(alliance=alliance, member=PartnerMemberFactory(
        alliance=alliance, status=Member.Status.APPLIED)).member)
    teacher = TeacherFactory(school__alliance=alliance)
    for person, status in ((applicant.user, 403), (teacher.user, 403)):
        client.force_login(person)
        assert client.post("/members/colleagues/", INVITE).status_code == status
    assert not MemberStaff.objects.filter(user__email=INVITE["email"]).exists()
    existing = UserFactory(email="mentor@acme.example")
    client.force_login(staff.user)
    response = client.post("/members/colleagues/", {"name": "A mentor", "email": "MENTOR@acme.example"})
    assert response.status_code == 400 and "already has an account" in response.context["invite"].errors["email"][0]
    assert not MemberStaff.objects.filter(user=existing).exists()


def test_nobody_but_the_alliances_coordinator_vouches_and_only_through_the_right_member(client, staff, colleague):
    other_member = PartnerSiteFactory(alliance=staff.member.alliance).member
    url = f"/coordinator/members/{staff.member.pk}/staff/{colleague.pk}/verify/"
    for user in (CoordinatorFactory().user, staff.user, TeacherFactory(school__alliance=staff.member.alliance).user):
        client.force_login(user)
        assert client.post(url).status_code in (403, 404)
    client.force_login(CoordinatorFactory(alliance=staff.member.alliance).user)
    assert client.post(f"/coordinator/members/{other_member.pk}/staff/{colleague.pk}/verify/").status_code == 404
    colleague.refresh_from_db()
    assert colleague.verified_at is None


def test_the_colleagues_page_lists_the_organisations_people_and_who_waits(client, staff, colleague):
    client.force_login(staff.user)
    page = client.get("/members/colleagues/").content.decode()
    assert "ana@code-club.example" in page and "waiting for a coordinator" in page and "Invite a colleague" in page
