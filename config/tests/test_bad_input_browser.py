"""The bad input the issue lists, typed into the pages in Chromium at phone size: each gets a clear answer on
its own field (or a box to tick to confirm), nothing is saved, the page passes axe and does not scroll
sideways. Screenshots: var/screenshots/bad-input-<case>-phone.png. (The request form's cases, a closed day,
10 PM and overlapping times, are checked in schools/tests/test_request_pages.py and test_browser_journeys.py.)"""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from config.tests.test_every_page_browser import SCREENSHOTS
from mentors.models import Mentor
from mentors.tests.browser import PHONE, AxeAudit, browser_page, sideways_scroll
from mentors.tests.factories import MentorFactory
from schools.tests.factories import CoordinatorFactory, SchoolFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(user.username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def answered(page, axe, case, words):
    """The page answers `words` next to a field; a screenshot and axe are taken of the answer."""
    expect(page.locator(".errorlist").filter(has_text=words).first).to_be_visible()
    expect(page.locator(".error-summary, .form-errors").first).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"bad-input-{case}-phone.png"), full_page=True)
    axe.check(page, case)
    assert sideways_scroll(page) == 0, case


def test_a_volunteers_bad_input_is_answered_on_its_field_and_nothing_is_saved(live_server):
    mentor = MentorFactory(monthly_session_cap=4, phone="", sms_consent_at=None)
    before = Mentor.objects.values().get(pk=mentor.pk)
    axe = AxeAudit()
    with browser_page(live_server.url, viewport=PHONE) as page:
        sign_in(page, mentor.user)
        page.goto("/me/profile/time/")
        page.get_by_label("Most sessions a month").fill("0")
        page.get_by_role("button", name="Save", exact=True).click()
        answered(page, axe, "monthly-cap-0", "At least 1 a month")

        page.goto("/me/profile/time/")
        page.locator("input[type=date]").first.fill(f"{timezone.localdate() - timedelta(days=3):%Y-%m-%d}")
        page.get_by_role("button", name="Save", exact=True).click()
        answered(page, axe, "past-day-away", "has passed")

        page.goto("/me/profile/time/")
        for select in page.locator("select[name$='-weekday']").all():
            select.select_option("")
        for field in page.locator("input[name$='-start'], input[name$='-end']").all():
            field.fill("")
        page.get_by_role("button", name="Save", exact=True).click()
        answered(page, axe, "empty-week", "we can never match you")
        expect(page.get_by_label("Save without weekly hours anyway")).to_be_visible()  # the box to confirm

        page.goto("/me/profile/contact/")
        page.get_by_label("Mobile number").fill("(518) 555-0199")
        page.get_by_role("button", name="Save", exact=True).click()
        answered(page, axe, "phone-without-consent", "tick the box to agree")

        page.goto("/me/profile/contact/")
        page.get_by_label("Mobile number").fill("+44 20 7946 0958")
        page.get_by_label("I agree to receive text messages", exact=False).check()
        page.get_by_role("button", name="Save", exact=True).click()
        answered(page, axe, "non-us-phone", "Enter a US mobile number")
    assert Mentor.objects.values().get(pk=mentor.pk) == before
    axe.assert_clean()


def test_inviting_a_personal_address_for_a_school_with_a_domain_asks_to_confirm(live_server):
    school = SchoolFactory(email_domain="lincoln.k12.example", name="Lincoln Middle")
    coordinator = CoordinatorFactory(alliance=school.alliance)
    axe = AxeAudit()
    with browser_page(live_server.url, viewport=PHONE) as page:
        sign_in(page, coordinator.user)
        page.goto("/coordinator/teachers/invite/")
        page.get_by_label("School").select_option(label="Lincoln Middle")
        page.get_by_label("Teacher's email").fill("teacher.home@gmail.example")
        page.get_by_role("button", name="Send invitation").click()
        answered(page, axe, "personal-invite-address", "@lincoln.k12.example")
        page.get_by_label("Yes, invite this personal address").check()
        page.get_by_role("button", name="Send invitation").click()
        expect(page.get_by_text("Sent.")).to_be_visible()
    axe.assert_clean()
