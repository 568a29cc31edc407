"""A nonprofit's staff keep their own sites: added and edited from their pages, placed by ZIP code offline,
in the ZIP's timezone unless they choose one; a site with open requests keeps its timezone."""
from datetime import UTC, datetime

import pytest

from alliances.models import Member, MemberStaff
from scheduling.tests.factories import make_request
from schools.models import MentorRequest, School
from schools.tests.factories import (
    PartnerMemberFactory,
    PartnerSiteFactory,
    PartnerStaffFactory,
    SchoolFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return PartnerStaffFactory()


@pytest.fixture
def signed_in(client, staff):
    client.force_login(staff.user)
    return client


def site_form(**extra):
    return {"name": "Hamilton Hill Teen Center", "address": "500 Hamilton St", "city": "Chicago",
            "zip_code": "60601", "timezone": "", **extra}


def test_a_partner_adds_a_second_site_placed_by_its_zip_in_the_zips_timezone(signed_in, staff):
    response = signed_in.post("/partner/sites/new/", site_form())
    assert response.status_code == 302
    site = School.objects.get(name="Hamilton Hill Teen Center")
    assert (site.kind, site.member, site.alliance_id, site.address, site.city, site.zip_code, site.timezone) == (
        "partner_site", staff.member, staff.member.alliance_id, "500 Hamilton St", "Chicago", "60601",
        "America/Chicago")
    assert (site.latitude, site.longitude) == (41.885, -87.6224)  # the ZIP centroid, offline
    assert staff.member.places.count() == 2
    listed = signed_in.get("/partner/sites/").content.decode()
    assert "Hamilton Hill Teen Center" in listed and "Central time (Chicago)" in listed


def test_the_request_form_offers_every_one_of_the_orgs_sites_and_the_alliances_schools(signed_in, staff):
    school = SchoolFactory(alliance=staff.member.alliance, name="Mont Pleasant Middle")
    other_partner = PartnerSiteFactory(alliance=staff.member.alliance, name="Someone Else's Room")
    signed_in.post("/partner/sites/new/", site_form())
    choices = {label for _, label in signed_in.get("/teach/requests/new/").context["form"].fields["site"].choices}
    names = {label.split(",")[0] for label in choices}
    assert {staff.member.places.order_by("pk").first().name, "Hamilton Hill Teen Center", school.name} <= names
    assert other_partner.name not in names


def test_a_chosen_timezone_overrides_the_zips(signed_in):
    signed_in.post("/partner/sites/new/", site_form(timezone="America/Denver"))
    assert School.objects.get(name="Hamilton Hill Teen Center").timezone == "America/Denver"


@pytest.mark.parametrize("zip_code", ["00000", "ABCDE", "1230", ""])
def test_a_bad_zip_is_an_error_on_the_zip_field_and_nothing_is_saved(signed_in, zip_code):
    before = School.objects.count()
    response = signed_in.post("/partner/sites/new/", site_form(zip_code=zip_code))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["zip_code"]
    assert School.objects.count() == before


def test_editing_a_site_with_an_open_request_keeps_its_request_working(signed_in, staff):
    site = staff.member.places.get()
    request = make_request(staff, hour=15)
    starts = request.sessions.get().starts_at
    response = signed_in.post(f"/partner/sites/{site.pk}/", site_form(
        name="Code Club, upstairs", address="434 State St", city="Schenectady", zip_code="12305"))
    assert response.status_code == 302
    site.refresh_from_db()
    request.refresh_from_db()
    assert (site.name, site.address, site.timezone) == ("Code Club, upstairs", "434 State St", "America/New_York")
    assert (request.school_id, request.sessions.get().starts_at) == (site.pk, starts)
    assert "Code Club, upstairs" in signed_in.get(f"/teach/requests/{request.pk}/").content.decode()


def test_a_site_with_open_requests_keeps_its_timezone_until_they_are_done(signed_in, staff):
    site = staff.member.places.get()
    request = make_request(staff, hour=15)
    response = signed_in.post(f"/partner/sites/{site.pk}/", site_form(zip_code="60601"))
    assert response.status_code == 400
    assert "requests still open" in response.context["form"].errors["timezone"][0]
    site.refresh_from_db()
    assert (site.timezone, site.zip_code, site.name) == ("America/New_York", "12305", site.name)
    MentorRequest.objects.filter(pk=request.pk).update(status=MentorRequest.Status.CANCELLED)
    assert signed_in.post(f"/partner/sites/{site.pk}/", site_form(zip_code="60601")).status_code == 302
    site.refresh_from_db()
    assert site.timezone == "America/Chicago"


def test_the_edit_form_shows_the_site_as_saved(signed_in, staff):
    site = staff.member.places.get()
    form = signed_in.get(f"/partner/sites/{site.pk}/").context["form"]
    assert (form["name"].value(), form["zip_code"].value(), form["timezone"].value()) == (site.name, "12305", "")


def test_only_the_members_own_verified_staff_keep_its_sites(client, staff):
    site = staff.member.places.get()
    colleague_elsewhere = PartnerStaffFactory(member=PartnerSiteFactory(alliance=staff.member.alliance).member)
    unverified = PartnerStaffFactory(member=staff.member, verified_at=None)
    teacher = TeacherFactory(school__alliance=staff.member.alliance)
    pending = PartnerStaffFactory(member=PartnerMemberFactory(alliance=staff.member.alliance,
                                                              status=Member.Status.APPLIED))
    company_staff = MemberStaff.objects.create(user=UserFactory(), member=PartnerMemberFactory(
        alliance=staff.member.alliance, kind=Member.Kind.COMPANY), verified_at=datetime.now(UTC))
    refused = {colleague_elsewhere.user: 404, unverified.user: 403, teacher.user: 403, pending.user: 403,
               company_staff.user: 403}
    for user, status in refused.items():
        client.force_login(user)
        assert client.post(f"/partner/sites/{site.pk}/", site_form()).status_code == status, user
        assert client.get(f"/partner/sites/{site.pk}/").status_code == status, user
    for user in (unverified.user, teacher.user, pending.user, company_staff.user):
        client.force_login(user)
        assert client.post("/partner/sites/new/", site_form()).status_code == 403, user
    site.refresh_from_db()
    assert site.name != "Hamilton Hill Teen Center"
    assert not School.objects.filter(name="Hamilton Hill Teen Center").exists()
