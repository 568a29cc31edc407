"""On a phone, in Chromium: a partner adds its second site (a bad ZIP shown on its field), moves one and reads what
became of the mentors booked there, and invites a colleague, who waits on the coordinator's pages until verified;
each page fits, reads in words and passes axe."""
import pytest
from playwright.sync_api import expect

from alliances.models import MemberStaff
from mentors.tests.browser import AxeAudit, browser_page, sideways_scroll
from mentors.tests.factories import MentorFactory
from scheduling.tests.factories import book_match
from schools.models import School
from schools.tests.factories import CoordinatorFactory, PartnerStaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_partner_adds_a_site_on_a_phone(live_server, tmp_path):
    staff = PartnerStaffFactory()
    axe = AxeAudit()
    with browser_page(live_server.url) as page:
        sign_in(page, staff.user.username)
        page.get_by_role("link", name="Our sites").first.click()
        page.get_by_role("link", name="Add a site").click()
        page.get_by_label("Site name").fill("Hamilton Hill Teen Center")
        page.get_by_label("Street address").fill("500 Hamilton St")
        page.get_by_label("City").fill("Schenectady")
        page.get_by_label("ZIP code").fill("99999")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Enter a five-digit US ZIP code").first).to_be_visible()
        axe.check(page, "site form with a bad ZIP")
        assert sideways_scroll(page) == 0
        page.screenshot(path=str(tmp_path / "partner-site-form-phone.png"), full_page=True)
        page.get_by_label("ZIP code").fill("12307")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", name="Hamilton Hill Teen Center")).to_be_visible()
        axe.check(page, "our sites")
        assert sideways_scroll(page) == 0
        page.screenshot(path=str(tmp_path / "partner-sites-phone.png"), full_page=True)
    site = School.objects.get(name="Hamilton Hill Teen Center")
    assert (site.member_id, site.zip_code, site.timezone) == (staff.member_id, "12307", "America/New_York")
    axe.assert_clean()


def test_a_partner_invites_a_colleague_who_waits_on_the_coordinators_pages(live_server, tmp_path):
    staff = PartnerStaffFactory()
    coordinator = CoordinatorFactory(alliance=staff.member.alliance)
    coordinator.user.set_password("pw-for-tests")
    coordinator.user.save()
    axe = AxeAudit()
    with browser_page(live_server.url) as page:
        sign_in(page, staff.user.username)
        page.get_by_role("link", name="Our people").first.click()
        page.get_by_label("Their name").fill("Ana Lee")
        page.get_by_label("Their email").fill("ana@code-club.example")
        page.get_by_role("button", name="Send the invitation").click()
        expect(page.get_by_text("waiting for a coordinator to verify them")).to_be_visible()
        axe.check(page, "our people")
        assert sideways_scroll(page) == 0
        page.screenshot(path=str(tmp_path / "partner-colleagues-phone.png"), full_page=True)
        page.get_by_role("button", name="Sign out").click()
        sign_in(page, coordinator.user.username)
        page.get_by_role("link", name=f"Ana Lee ({staff.member.name})").click()
        expect(page.get_by_text("waiting for verification")).to_be_visible()
        axe.check(page, "member page with a colleague waiting")
        assert sideways_scroll(page) == 0
        page.screenshot(path=str(tmp_path / "coordinator-member-waiting-phone.png"), full_page=True)
        page.get_by_role("button", name="Verify Ana Lee").click()
        expect(page.get_by_text("Ana Lee is verified.")).to_be_visible()
    assert MemberStaff.objects.get(user__email="ana@code-club.example").verified_by == coordinator.user
    axe.assert_clean()


def test_a_partner_moves_a_site_and_reads_what_became_of_the_mentors_booked_there(live_server, tmp_path):
    staff = PartnerStaffFactory()
    site = staff.member.places.get()
    coordinator = CoordinatorFactory(alliance=staff.member.alliance)
    for travel_km, hour in ((40, 9), (25, 11)):
        book_match(staff, coordinator, MentorFactory(company__alliance=staff.member.alliance, travel_km=travel_km),
                   hour=hour)
    axe = AxeAudit()
    with browser_page(live_server.url) as page:
        sign_in(page, staff.user.username)
        page.goto(f"/partner/sites/{site.pk}/")
        page.get_by_label("Street address").fill("15 Church St")
        page.get_by_label("City").fill("Saratoga Springs")
        page.get_by_label("ZIP code").fill("12866")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("1 mentor told the new address; 1 mentor asked again")).to_be_visible()
        axe.check(page, "our sites after a move")
        assert sideways_scroll(page) == 0
        page.screenshot(path=str(tmp_path / "partner-site-moved-phone.png"), full_page=True)
    axe.assert_clean()
