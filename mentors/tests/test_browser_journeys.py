"""The volunteer's journey in real headless Chromium, with axe-core on every page visited."""
import pytest
from django.core import mail
from playwright.sync_api import expect

from mentors.models import Mentor
from mentors.tests.browser import AxeAudit, browser_page, last_link
from mentors.tests.factories import CompanyFactory
from scheduling import services as lifecycle
from scheduling.models import Match
from scheduling.tests.factories import make_request
from schools.tests.factories import CoordinatorFactory, TeacherFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "purple-robot-42"


def test_a_volunteer_signs_up_verifies_builds_a_profile_and_accepts_an_invitation(live_server, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    company = CompanyFactory(email_domain="acme.example")
    axe = AxeAudit()
    with browser_page(live_server.url) as page:
        page.goto("/")
        axe.check(page, "home")
        page.get_by_role("link", name="Sign up to volunteer").click()
        axe.check(page, "volunteer sign-up")
        page.get_by_label("First name").fill("Ana")
        page.get_by_label("Last name").fill("Ruiz")
        page.get_by_label("Work email").fill("ana@elsewhere.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Create my account").click()
        expect(page.get_by_text("We don't recognise this company email domain")).to_be_visible()
        axe.check(page, "volunteer sign-up with errors")
        page.get_by_label("Work email").fill("ana@acme.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Create my account").click()
        expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
        axe.check(page, "check your email")

        page.goto(last_link("ana@acme.example", live_server.url))
        expect(page.get_by_text("your email is confirmed")).to_be_visible()  # and signed in straight away

        expect(page.get_by_role("heading", name="What you know")).to_be_visible()
        axe.check(page, "profile: skills")
        page.get_by_label("Search skills").fill("robot")
        expect(page.get_by_label("Robotics")).to_be_visible()
        expect(page.get_by_label("Biology")).to_be_hidden()
        page.get_by_label("Robotics").check()
        page.get_by_role("button", name="Save and continue").click()

        expect(page.get_by_role("heading", name="Who and how")).to_be_visible()
        axe.check(page, "profile: classes")
        page.get_by_label("Grades 6-8").check()
        page.get_by_label("In person, at the school").check()
        page.get_by_label("English").check()
        page.get_by_role("button", name="Save and continue").click()

        expect(page.get_by_role("heading", name="Where")).to_be_visible()
        page.get_by_label("Home base ZIP code").fill("00000")
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_text("We could not find ZIP code 00000")).to_be_visible()
        expect(page.get_by_label("Home base ZIP code")).to_have_attribute("aria-invalid", "true")
        axe.check(page, "profile: place with errors")
        page.get_by_label("Home base ZIP code").fill("12305")
        page.get_by_label("How far you'll travel, in miles").fill("10")
        page.get_by_role("button", name="Save and continue").click()

        expect(page.get_by_role("heading", name="When")).to_be_visible()
        axe.check(page, "profile: time")
        block = page.get_by_role("group", name="Block 1")
        block.get_by_label("Day").select_option("Tuesday")
        block.get_by_label("From").fill("09:00")
        block.get_by_label("To").fill("15:30")
        page.get_by_role("button", name="Save and continue").click()

        expect(page.get_by_role("heading", name="Contact and about you")).to_be_visible()
        axe.check(page, "profile: contact")
        page.get_by_label("Mobile number").fill("(518) 555-0199")
        page.get_by_label("I agree to receive text messages").check()
        page.get_by_role("button", name="Save my profile").click()

        expect(page.get_by_role("heading", name="My sessions")).to_be_visible()
        expect(page.get_by_text("still has to approve your profile")).to_be_visible()
        axe.check(page, "my sessions (pending)")

        mentor = Mentor.objects.get(user__email="ana@acme.example")
        assert mentor.phone == "+15185550199" and mentor.sms_consent_ip == "127.0.0.1"
        mentor.status = Mentor.Status.APPROVED
        mentor.background_check_status, mentor.background_check_expires = "cleared", "2099-01-01"
        mentor.save()
        teacher = TeacherFactory(school__alliance=company.alliance)
        request = make_request(teacher, topic="Build a line-following robot")
        match = Match.objects.create(session=request.sessions.get(), mentor=mentor, score=0.9)
        lifecycle.approve_match(match_id=match.pk, actor=CoordinatorFactory(alliance=company.alliance).user)

        page.reload()
        invitation = page.get_by_role("region", name="Waiting for your answer")
        expect(invitation.get_by_text("Build a line-following robot")).to_be_visible()
        axe.check(page, "my sessions (invitation)")
        invitation.get_by_role("button", name="Accept").click()
        expect(page.get_by_text("You're confirmed")).to_be_visible()
        expect(page.get_by_role("region", name="Upcoming").get_by_text("Build a line-following robot")).to_be_visible()
        axe.check(page, "my sessions (confirmed)")
    match.refresh_from_db()
    assert match.status == Match.Status.CONFIRMED
    assert len(mail.outbox) == 1  # the verification link; the invitation goes through the outbox
    axe.assert_clean()
