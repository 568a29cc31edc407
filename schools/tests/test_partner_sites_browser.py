"""A partner adds its second site on a phone, in Chromium: the form fits, reads in words, passes axe, and a bad
ZIP is shown on its field."""
import pytest
from playwright.sync_api import expect

from mentors.tests.browser import AxeAudit, browser_page, sideways_scroll
from schools.models import School
from schools.tests.factories import PartnerStaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_adds_a_site_on_a_phone(live_server, tmp_path):
    staff = PartnerStaffFactory()
    axe = AxeAudit()
    with browser_page(live_server.url) as page:
        page.goto("/accounts/login/")
        page.get_by_label("Email or username").fill(staff.user.username)
        page.get_by_label("Password").fill("pw-for-tests")
        page.get_by_role("button", name="Sign in").click()
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
