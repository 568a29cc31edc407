"""Partner staff ask for mentors through the API too: the same endpoint as teachers, with `site` and `setting`,
the same rules as the form; a site that is not theirs or not in their alliance is a 400 on `site`. Teachers'
requests through the API are unchanged."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from alliances.models import Member
from scheduling.tests.factories import next_weekday
from schools.models import MentorRequest, School
from schools.tests.factories import (
    PartnerMemberFactory,
    PartnerSiteFactory,
    PartnerStaffFactory,
    SchoolFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def staff():
    staff = PartnerStaffFactory()
    School.objects.filter(member=staff.member).update(timezone="America/Chicago", name="Code Club Room")
    return staff


def after_school(day, tz=CHICAGO):
    start = datetime.combine(day, time(15, 30), tz)
    return [start.isoformat(), (start + timedelta(minutes=90)).isoformat()]


def body(site, **extra):
    return {"topic": "Build a weather station", "grade_band": "6-8", "kind": "after_school", "student_count": 15,
            "mentors_needed": 1, "skills": ["robotics"], "site": site.pk if site else None, "setting": "after_school",
            "intervals": [after_school(next_weekday(14))], **extra}


def test_partner_staff_ask_at_their_own_site_in_its_timezone(api, staff):
    site = staff.member.places.get()
    response = api(staff.user).post("/api/requests/", body(site), format="json")
    assert response.status_code == 201, response.json()
    request = MentorRequest.objects.get()
    assert (request.partner_staff, request.teacher, request.school, request.setting, request.kind) == (
        staff, None, site, "after_school", "after_school")
    assert request.sessions.get().starts_at.astimezone(CHICAGO).time() == time(15, 30)
    shown = response.json()
    assert (shown["school"], shown["setting"], shown["status"]) == ("Code Club Room", "after_school", "submitted")
    assert api(staff.user).get("/api/requests/").json()["results"][0]["id"] == request.pk


def test_partner_staff_ask_for_a_weekend_program_at_a_school_of_their_alliance(api, staff):
    school = SchoolFactory(alliance=staff.member.alliance)
    saturday = next_weekday(14, weekday=5)
    response = api(staff.user).post("/api/requests/", body(
        school, setting="weekend", kind="classroom_visit", confirm_times=True,
        intervals=[after_school(saturday, ZoneInfo(school.timezone))]), format="json")
    assert response.status_code == 201, response.json()
    assert MentorRequest.objects.values_list("school", "setting").get() == (school.pk, "weekend")


def test_a_weekly_series_runs_at_the_sites_local_time_every_week(api, staff):
    first = after_school(next_weekday(14))
    response = api(staff.user).post("/api/requests/", body(
        staff.member.places.get(), intervals=None, series={"first_start": first[0], "first_end": first[1],
                                                           "weeks": 4}) | {"intervals": None}, format="json")
    assert response.status_code == 400 and "intervals" in response.json()  # null is not "left out"
    payload = body(staff.member.places.get(), series={"first_start": first[0], "first_end": first[1], "weeks": 4})
    del payload["intervals"]
    response = api(staff.user).post("/api/requests/", payload, format="json")
    assert response.status_code == 201, response.json()
    intervals = MentorRequest.objects.get().sessions.get().intervals.all()
    assert [i.starts_at.astimezone(CHICAGO).time() for i in intervals] == [time(15, 30)] * 4


def _elsewhere(staff):
    return {
        "another partner's site": PartnerSiteFactory(alliance=staff.member.alliance).pk,
        "a school of another alliance": SchoolFactory().pk,
        "a site of another alliance": PartnerSiteFactory().pk,
        "no such place": 999999,
        "not an id": "the gym",
        "nothing": None,
    }


@pytest.mark.parametrize("where", ["another partner's site", "a school of another alliance",
                                   "a site of another alliance", "no such place", "not an id", "nothing"])
def test_a_site_that_is_not_theirs_nor_the_alliances_is_a_400_on_site(api, staff, where):
    site = _elsewhere(staff)[where]
    response = api(staff.user).post("/api/requests/", {**body(None), "site": site}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["site"]
    assert not MentorRequest.objects.exists()


@pytest.mark.parametrize("left_out", ["site", "setting"])
def test_partner_staff_must_say_where_and_when_the_program_runs(api, staff, left_out):
    payload = body(staff.member.places.get())
    del payload[left_out]
    response = api(staff.user).post("/api/requests/", payload, format="json")
    assert response.status_code == 400 and left_out in response.json()
    assert not MentorRequest.objects.exists()


def test_a_bad_setting_is_a_400_on_setting(api, staff):
    response = api(staff.user).post("/api/requests/", body(staff.member.places.get(), setting="overnight"),
                                    format="json")
    assert response.status_code == 400 and "setting" in response.json()


def test_partner_staff_not_yet_vouched_for_or_of_a_member_not_approved_cannot_ask(api, staff):
    unverified = PartnerStaffFactory(member=staff.member, verified_at=None)
    alliance = staff.member.alliance
    applicant = PartnerStaffFactory(member=PartnerSiteFactory(alliance=alliance, member=PartnerMemberFactory(
        alliance=alliance, status=Member.Status.APPLIED)).member)
    for person in (unverified, applicant):
        response = api(person.user).post("/api/requests/", body(person.member.places.get()), format="json")
        assert response.status_code == 403, response.json()
    assert not MentorRequest.objects.exists()


def test_partner_staff_still_cannot_edit_or_move_a_request_through_the_api(api, staff):
    created = api(staff.user).post("/api/requests/", body(staff.member.places.get()), format="json").json()
    assert api(staff.user).patch(f"/api/requests/{created['id']}/", {"topic": "x"}, format="json").status_code == 403
    assert MentorRequest.objects.get().topic == "Build a weather station"


def test_a_teachers_request_ignores_site_and_setting_and_stays_at_their_school(api, staff):
    teacher = TeacherFactory(school__alliance=staff.member.alliance)
    start = datetime.combine(next_weekday(14), time(10), ZoneInfo(teacher.school.timezone))
    response = api(teacher.user).post("/api/requests/", {
        "topic": "Kitchen chemistry", "grade_band": "K-2", "format": "in_person", "student_count": 22,
        "intervals": [[start.isoformat(), (start + timedelta(hours=1)).isoformat()]],
        "site": staff.member.places.get().pk, "setting": "summer"}, format="json")
    assert response.status_code == 201, response.json()
    request = MentorRequest.objects.get()
    assert (request.teacher, request.partner_staff, request.school, request.setting) == (
        teacher, None, teacher.school, "in_school")
    assert response.json()["setting"] == "in_school"

