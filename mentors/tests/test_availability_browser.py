"""The volunteer's weekly hours in Chromium: Enter saves the form (it does not add a row); the button adds one."""
import pytest
from playwright.sync_api import expect

from mentors.models import AvailabilityWindow
from mentors.tests.browser import AxeAudit, browser_page
from mentors.tests.factories import MentorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, mentor):
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(mentor.user.username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def rows(page):
    return page.locator("fieldset.block-row").count()


def test_enter_in_the_availability_form_saves_it_and_the_button_adds_a_row(live_server):
    mentor = MentorFactory(monthly_session_cap=4)
    windows = AvailabilityWindow.objects.filter(mentor=mentor).count()
    axe = AxeAudit()
    with browser_page(live_server.url) as page:
        signed_in(page, mentor)
        page.goto("/me/profile/time/")
        before = rows(page)
        page.get_by_role("button", name="Add another block").click()
        expect(page.locator("fieldset.block-row")).to_have_count(before + 1)  # the button still adds a row
        axe.check(page, "profile time")
        page.get_by_label("Most sessions a month").fill("6")
        page.get_by_label("Most sessions a month").press("Enter")
        page.wait_for_url("**/me/profile/")  # saved: back on the profile summary, no row added
    mentor.refresh_from_db()
    assert mentor.monthly_session_cap == 6
    assert AvailabilityWindow.objects.filter(mentor=mentor).count() == windows
    axe.assert_clean()
