"""Partner staff ask for mentors too: a nonprofit's programme staff, through the teachers' form, matching,
review, messages and completion; each sees only their own requests, and teachers never see theirs."""
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from alliances import members
from alliances.models import Member, MemberStaff
from mentors.tests.factories import MentorFactory
from notifications.models import Notification
from scheduling import matching
from scheduling import services as lifecycle
from scheduling.models import Match
from scheduling.tests.factories import book_match, held, make_request, next_weekday
from schools.models import MentorRequest, School
from schools.tests.factories import (
    CoordinatorFactory,
    PartnerSiteFactory,
    PartnerStaffFactory,
    SchoolFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
WINDOW = {"window_start": datetime(2020, 1, 1, tzinfo=UTC), "window_end": datetime(2100, 1, 1, tzinfo=UTC)}


@pytest.fixture
def staff():
    staff = PartnerStaffFactory(user=UserFactory(first_name="Rosa", last_name="Silva"))
    School.objects.filter(pk=staff.member.places.get().pk).update(timezone="America/Chicago", name="Code Club Room")
    return MemberStaff.objects.get(pk=staff.pk)


@pytest.fixture
def signed_in(client, staff):
    client.force_login(staff.user)
    return client


def form(day, site, **extra):
    return {"site": str(site.pk), "setting": "after_school", "topic": "Build a weather station", "description": "",
            "grade_band": "6-8", "kind": "after_school", "language": "", "student_count": "15",
            "mentors_needed": "1", "schedule": "one", "option1_date": day.isoformat(), "option1_start": "15:30",
            "option1_end": "17:00", "meeting_link": "", **extra}


def test_partner_staff_ask_for_an_after_school_program_at_their_own_site_in_its_timezone(signed_in, staff):
    page = signed_in.get("/teach/requests/new/").content.decode()
    assert "Code Club Room" in page and "After school" in page
    day = next_weekday(14)
    response = signed_in.post("/teach/requests/new/", form(day, staff.member.places.get()))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    request = MentorRequest.objects.get()
    assert (request.requester, request.teacher, request.school, request.setting) == (
        staff, None, staff.member.places.get(), "after_school")
    assert request.sessions.get().intervals.get().starts_at == datetime.combine(day, time(15, 30), CHICAGO)
    assert "Build a weather station" in signed_in.get("/teach/requests/").content.decode()


def test_partner_staff_may_hold_their_program_at_a_school_of_the_alliance(signed_in, staff):
    school = SchoolFactory(alliance=staff.member.alliance, name="Mont Pleasant Middle School")
    signed_in.post("/teach/requests/new/", form(next_weekday(14), school, setting="in_school"))
    assert MentorRequest.objects.get().school == school


def test_the_form_offers_the_partners_own_site_first_and_chosen_then_the_alliances_schools(signed_in, staff):
    SchoolFactory(alliance=staff.member.alliance, name="Academy of Science")  # sorts before "Code Club Room"
    field = signed_in.get("/teach/requests/new/").context["form"]["site"]
    names = [str(label) for value, label in field.field.choices if value]
    assert names[0].startswith("Code Club Room") and any("Academy of Science" in name for name in names[1:])
    assert str(field.value()) == str(staff.member.places.get().pk)


def test_a_site_of_another_member_or_alliance_is_an_error_on_the_site_field(signed_in, staff):
    for elsewhere in (PartnerSiteFactory(alliance=staff.member.alliance), SchoolFactory()):
        response = signed_in.post("/teach/requests/new/", form(next_weekday(14), elsewhere))
        assert response.status_code == 200
        assert "site" in response.context["form"].errors
    assert not MentorRequest.objects.exists()


@pytest.mark.parametrize("unvouched", ["person", "organisation"])
def test_staff_not_vouched_for_see_no_form_and_cannot_post(client, staff, unvouched):
    if unvouched == "person":
        MemberStaff.objects.filter(pk=staff.pk).update(verified_at=None)
    else:
        Member.objects.filter(pk=staff.member_id).update(status=Member.Status.MORE_INFO)
    client.force_login(staff.user)
    assert "can't request mentors" in client.get("/teach/requests/new/").content.decode()
    client.post("/teach/requests/new/", form(next_weekday(14), staff.member.places.get()))
    assert not MentorRequest.objects.exists()


def test_a_companys_staff_are_not_partner_staff(client):
    staff = PartnerStaffFactory()
    Member.objects.filter(pk=staff.member_id).update(kind=Member.Kind.COMPANY)
    client.force_login(staff.user)
    assert client.get("/teach/requests/new/").status_code == 403


def test_the_loop_names_the_site_and_the_partner_and_hides_contacts_until_confirmed(client, staff):
    coordinator = CoordinatorFactory(alliance=staff.member.alliance)
    mentor = MentorFactory(company__alliance=staff.member.alliance, company__name="Erie Robotics")
    request = make_request(staff, topic="Build a weather station", hour=15)
    matching.propose_matches(alliance_id=staff.member.alliance_id, **WINDOW)
    proposed = Match.objects.get(session__request=request)
    assert proposed.mentor == mentor
    lifecycle.approve_match(match_id=proposed.pk, actor=coordinator.user)
    invitation = Notification.objects.get(match=proposed, kind="invitation", channel="sms")
    assert invitation.body.startswith(f"Mentorbridge: {staff.member.name} asks you to mentor Build a weather station")
    email = Notification.objects.get(match=proposed, kind="invitation", channel="email")
    assert "for its after school program, led by Rosa Silva" in email.body
    assert "Code Club Room, 432 State St" in email.body
    client.force_login(staff.user)
    assert mentor.user.email not in client.get(f"/teach/requests/{request.pk}/").content.decode()

    lifecycle.confirm_match(match_id=proposed.pk, actor=mentor.user)
    told = Notification.objects.get(match=proposed, kind="confirmed_to_teacher", channel="email")
    assert (told.to, told.body.splitlines()[0]) == (staff.user.email, "Hello Rosa Silva,")
    assert mentor.user.email in told.body
    assert Notification.objects.get(match=proposed, kind="confirmed_to_teacher", channel="sms").to == staff.phone
    page = client.get(f"/teach/requests/{request.pk}/").content.decode()
    assert "Your mentor" in page and mentor.user.email in page


def test_partner_staff_record_how_their_session_went(client, staff):
    coordinator = CoordinatorFactory(alliance=staff.member.alliance)
    mentor = MentorFactory(company__alliance=staff.member.alliance)
    match = held(book_match(staff, coordinator, mentor))
    client.force_login(staff.user)
    response = client.post(f"/matches/{match.pk}/complete/", {"hours": "1.5", "students_reached": "14"})
    assert response.status_code == 302
    assert Match.objects.get(pk=match.pk).status == "completed"


def test_teachers_and_partner_staff_never_see_each_others_requests(client, staff):
    teacher = TeacherFactory(school=SchoolFactory(alliance=staff.member.alliance))
    colleague = PartnerStaffFactory(member=staff.member)
    theirs, ours = make_request(teacher, topic="Kitchen chemistry"), make_request(staff, topic="Weather station")
    for user, foreign in ((teacher.user, ours), (staff.user, theirs), (colleague.user, ours)):
        client.force_login(user)
        assert client.get(f"/teach/requests/{foreign.pk}/").status_code == 404
        assert foreign.topic not in client.get("/teach/requests/").content.decode()
        assert client.get(f"/api/requests/{foreign.pk}/").status_code == 404


def test_a_coordinator_invites_program_staff_who_set_a_password_and_are_vouched_for(
        client, staff, django_capture_on_commit_callbacks):
    coordinator = CoordinatorFactory(alliance=staff.member.alliance)
    client.force_login(coordinator.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/coordinator/members/{staff.member_id}/staff/",
                               {"name": "Dee Okafor", "email": "Dee@Code-Club.example"})
    assert response.status_code == 302
    invited = MemberStaff.objects.get(user__email="dee@code-club.example")
    assert (invited.member, invited.verified_by, invited.may_request_mentors) == (staff.member, coordinator.user, True)
    assert not invited.user.has_usable_password()
    [welcome] = mail.outbox
    assert "/accounts/reset/" in welcome.body and "ask for mentors" in welcome.body


def test_a_coordinator_cannot_invite_staff_of_an_unapproved_or_foreign_member(client, staff):
    coordinator = CoordinatorFactory(alliance=staff.member.alliance)
    client.force_login(coordinator.user)
    Member.objects.filter(pk=staff.member_id).update(status=Member.Status.DECLINED)
    refused = client.post(f"/coordinator/members/{staff.member_id}/staff/", {"name": "A B", "email": "a@b.example"})
    assert refused.status_code == 400 and "approved" in refused.content.decode()
    foreign = PartnerStaffFactory()
    assert client.post(f"/coordinator/members/{foreign.member_id}/staff/",
                       {"name": "A B", "email": "a@b.example"}).status_code == 404
    bad = client.post(f"/coordinator/members/{foreign.member_id}/staff/", {"name": "", "email": "nope"})
    assert bad.status_code == 404
    assert not MemberStaff.objects.filter(user__email="a@b.example").exists()


def test_approving_a_member_vouches_for_its_contact(staff):
    coordinator = CoordinatorFactory(alliance=staff.member.alliance)
    applicant = PartnerSiteFactory(alliance=staff.member.alliance, member__status=Member.Status.APPLIED).member
    members.approve_member(member_id=applicant.pk, by=coordinator.user)
    contact = MemberStaff.objects.get(member=applicant)
    assert (contact.verified_by, contact.may_request_mentors) == (coordinator.user, True)


def test_a_request_has_exactly_one_requester(staff):
    teacher = TeacherFactory(school=SchoolFactory(alliance=staff.member.alliance))
    request = make_request(teacher)
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorRequest.objects.filter(pk=request.pk).update(partner_staff=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorRequest.objects.filter(pk=request.pk).update(teacher=None)
