"""In real Chromium: a coordinator reviews, approves, and sees the mentor's texted YES arrive."""
import pytest
from playwright.sync_api import expect

from mentors.tests.browser import AxeAudit, browser_page
from mentors.tests.factories import MentorFactory
from scheduling.models import Match
from scheduling.tests.factories import make_request
from schools.tests.factories import CoordinatorFactory, TeacherFactory, UserFactory


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign in").or_(page.get_by_role("button", name="Log in")).first.click()


@pytest.mark.browser
def test_a_coordinator_approves_from_the_queue_and_sees_the_texted_yes_confirm_it(
    live_server, settings, fake_twilio
):
    settings.PUBLIC_BASE_URL = live_server.url
    teacher = TeacherFactory()
    CoordinatorFactory(alliance=teacher.school.alliance, user=UserFactory(username="carmen"))
    mentor = MentorFactory(company__alliance=teacher.school.alliance, phone="+15185552002",
                           user=UserFactory(first_name="Ana", last_name="Ruiz"))
    session = make_request(teacher, topic="Build a line-following robot").sessions.get()
    Match.objects.create(session=session, mentor=mentor, score=0.8,
                         reasons={"skills": 0.5, "distance": 0.2, "fairness": 0.1})

    axe = AxeAudit()
    with browser_page(live_server.url) as page:
        sign_in(page, live_server.url, "carmen")
        page.goto(f"{live_server.url}/coordinator/review/")
        assert page.get_by_role("heading", name="Build a line-following robot").is_visible()
        reasons = page.locator("ul.reasons").first.inner_text()
        assert "robotics: the skill asked" in reasons and "under 1 mile away" in reasons
        page.locator("summary", has_text="Score details").first.click()
        numbers = page.locator("dl.facts").first.inner_text()
        assert "distance" in numbers and "0.200" in numbers
        axe.check(page, "review queue")

        page.get_by_role("button", name="Approve Ana Ruiz").click()
        expect(page.get_by_text("invitation is on its way")).to_be_visible()
        assert page.url.endswith("/coordinator/review/")  # in place: the page was not reloaded
        expect(page.locator("li.match .badge").first).to_have_text("Approved")

        status, reply = fake_twilio.send_inbound(
            f"{live_server.url}/webhooks/twilio/inbound/", from_="+15185552002", to=settings.TWILIO_FROM_NUMBER,
            body="YES",
        )
        assert status == 200 and "confirmed" in reply

        page.goto(f"{live_server.url}/coordinator/review/?status=confirmed")
        assert page.locator(".status-confirmed").first.inner_text().strip().lower() == "confirmed"
        axe.check(page, "review queue, confirmed")
    axe.assert_clean()
