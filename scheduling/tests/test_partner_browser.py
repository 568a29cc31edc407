"""Partner staff's journey in real headless Chromium, axe on every page: a coordinator invites a nonprofit's
programme staff, they set a password and ask for mentors for an after-school program at their own site,
matching proposes, the coordinator approves, the mentor accepts from the one-click link, and the partner sees
the confirmed mentor on their status page."""
import pytest
from playwright.sync_api import expect

from alliances.models import MemberStaff
from mentors.tests.browser import AxeAudit, browser_page, last_link, sideways_scroll
from mentors.tests.factories import MentorFactory
from scheduling import answers, matching
from scheduling.models import Match
from scheduling.tests.factories import next_weekday
from schools.models import MentorRequest
from schools.tests.factories import CoordinatorFactory, PartnerSiteFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "chalk-and-cheese-9"
SHOTS = "/tmp/partner-shots"


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_partner_staff_are_invited_ask_for_mentors_and_see_the_confirmed_match(live_server, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    site = PartnerSiteFactory(name="Girls Code community room", member__name="Electric City Girls Code")
    alliance = site.alliance
    coordinator = CoordinatorFactory(alliance=alliance, user__password=PASSWORD)
    mentor = MentorFactory(company__alliance=alliance, company__name="Erie Robotics",
                           user=UserFactory(first_name="Ana", last_name="Ruiz", email="ana@erierobotics.example"))
    day = next_weekday(14)
    axe = AxeAudit()
    with browser_page(live_server.url) as page:
        sign_in(page, coordinator.user.username)
        page.get_by_role("link", name="Members").click()
        page.get_by_role("link", name="Electric City Girls Code").click()
        axe.check(page, "member page")
        page.get_by_label("Their name").fill("Dee Okafor")
        page.get_by_label("Their email").fill("dee@ecgirlscode.example")
        page.get_by_role("button", name="Send the invitation").click()
        expect(page.get_by_text("Invited dee@ecgirlscode.example")).to_be_visible()
        expect(page.get_by_text("Dee Okafor (dee@ecgirlscode.example)")).to_be_visible()
        axe.check(page, "member page, staff invited")
        sign_out(page)

        page.goto(last_link("dee@ecgirlscode.example", live_server.url))
        page.locator("#id_new_password1").fill(PASSWORD)
        page.locator("#id_new_password2").fill(PASSWORD)
        page.get_by_role("button", name="Save password").click()
        sign_in(page, "dee@ecgirlscode.example")
        expect(page.get_by_role("heading", name="My requests")).to_be_visible()
        axe.check(page, "partner's requests (empty)")
        page.get_by_role("link", name="Ask for mentors").first.click()
        expect(page.get_by_role("heading", name="Ask for mentors")).to_be_visible()
        axe.check(page, "partner's request form")
        assert sideways_scroll(page) == 0
        page.get_by_role("button", name="Send request").click()  # empty: errors on the fields
        expect(page.get_by_text("Choose the grade band of the class.")).to_be_visible()
        axe.check(page, "partner's request form with errors")
        page.get_by_label("Where").select_option(label=f"{site.name}, {site.address}")
        page.get_by_label("Setting").select_option("after_school")
        page.get_by_label("Topic").fill("Build a weather station")
        page.get_by_label("After-school program").check()
        page.get_by_label("Grade band").select_option("6-8")
        page.get_by_label("Number of students").fill("15")
        page.get_by_label("One visit at one time").check()
        page.get_by_label("Date, first choice").fill(day.isoformat())
        options = page.get_by_role("group", name="Times that work")
        options.get_by_label("Starts at").first.fill("15:30")
        options.get_by_label("Ends at").first.fill("17:00")
        page.screenshot(path=f"{SHOTS}-form.png", full_page=True)
        page.get_by_role("button", name="Send request").click()
        expect(page.get_by_text("Request “Build a weather station” sent")).to_be_visible()
        axe.check(page, "partner's requests")
        sign_out(page)

        request = MentorRequest.objects.get()
        assert (request.partner_staff, request.school, request.setting) == (
            MemberStaff.objects.get(user__email="dee@ecgirlscode.example"), site, "after_school")
        matching.propose_matches(alliance_id=alliance.pk, window_start=request.sessions.get().starts_at,
                                 window_end=request.sessions.get().ends_at)
        proposed = Match.objects.get(session__request=request, status="proposed")
        assert proposed.mentor == mentor

        sign_in(page, coordinator.user.username)
        page.get_by_role("link", name="Review matches").first.click()
        expect(page.get_by_text("Build a weather station").first).to_be_visible()
        axe.check(page, "review queue")
        page.get_by_role("button", name="Approve Ana Ruiz").first.click()
        expect(page.get_by_role("button", name="Approve Ana Ruiz")).to_have_count(0)
        sign_out(page)
        assert Match.objects.get(pk=proposed.pk).status in ("approved", "invited")

        page.goto(f"/i/{answers.token_for(Match.objects.get(pk=proposed.pk))}/?answer=accept")
        expect(page.get_by_role("heading", name="Electric City Girls Code asks you to mentor")).to_be_visible()
        expect(page.get_by_text("Program lead")).to_be_visible()
        axe.check(page, "mentor's invitation")
        page.get_by_role("button", name="Accept").click()
        expect(page.get_by_role("heading", name="You're confirmed. Thank you!")).to_be_visible()
        axe.check(page, "mentor accepted")

        sign_in(page, "dee@ecgirlscode.example")
        page.get_by_role("link", name="Build a weather station").click()
        expect(page.get_by_role("heading", name="Your mentor: Ana Ruiz")).to_be_visible()
        expect(page.get_by_text("ana@erierobotics.example")).to_be_visible()
        axe.check(page, "partner's confirmed request")
        assert sideways_scroll(page) == 0
        page.screenshot(path=f"{SHOTS}-confirmed.png", full_page=True)
    assert Match.objects.get(pk=proposed.pk).status == "confirmed"
    axe.assert_clean()
