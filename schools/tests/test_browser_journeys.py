"""The teacher's journey and the coordinator's onboarding tools in real headless Chromium, axe on every page."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from mentors.models import Mentor
from mentors.tests.browser import AxeAudit, browser_page, last_link
from mentors.tests.factories import CompanyFactory, MentorFactory
from scheduling.tests.factories import next_weekday
from schools.models import MentorRequest, Teacher
from schools.tests.factories import CoordinatorFactory, SchoolFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "chalk-and-cheese-9"


def sign_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_a_coordinator_invites_a_teacher_who_requests_edits_and_cancels(live_server, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    school = SchoolFactory(name="Lincoln Middle School", email_domain="lincoln.k12.example")
    coordinator = CoordinatorFactory(alliance=school.alliance, user__password=PASSWORD)
    axe = AxeAudit()
    day = next_weekday(14)
    with browser_page(live_server.url) as page:
        page.goto("/teacher/signup/")
        axe.check(page, "teacher sign-up")

        sign_in(page, coordinator.user.username, PASSWORD)
        expect(page.get_by_role("heading", name="Today at")).to_be_visible()
        axe.check(page, "coordinator today")
        page.get_by_role("link", name="Invite a teacher").first.click()
        axe.check(page, "invite a teacher")
        page.get_by_label("School").select_option(label="Lincoln Middle School")
        page.get_by_label("Teacher's email").fill("teresa@lincoln.k12.example")
        page.get_by_role("button", name="Send invitation").click()
        expect(page.get_by_text("Invitation emailed to teresa@lincoln.k12.example")).to_be_visible()
        axe.check(page, "invite sent")
        sign_out(page)

        page.goto(last_link("teresa@lincoln.k12.example", live_server.url))
        expect(page.get_by_role("heading", name="Join Lincoln Middle School")).to_be_visible()
        axe.check(page, "join by invitation")
        page.get_by_label("First name").fill("Teresa")
        page.get_by_label("Last name").fill("Lopez")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Create my account").click()
        sign_in(page, "teresa@lincoln.k12.example", PASSWORD)

        expect(page.get_by_role("heading", name="My requests")).to_be_visible()
        axe.check(page, "teacher dashboard (empty)")
        page.get_by_role("link", name="Ask for mentors").first.click()
        expect(page.get_by_role("heading", name="Ask for mentors")).to_be_visible()
        axe.check(page, "request form")
        page.get_by_label("Topic").fill("Kitchen chemistry")
        page.get_by_label("Classroom visit").check()
        page.get_by_label("Grade band").select_option("K-2")
        page.get_by_label("Number of students").fill("22")
        page.get_by_text("Skills wanted (optional)").first.click()
        page.get_by_label("Chemistry").check()
        page.get_by_label("One visit, with two or three times that work").check()
        page.get_by_label("Date, first choice").fill(day.isoformat())
        options = page.get_by_role("group", name="Times that work")
        options.get_by_label("Starts at").first.fill("10:00")
        options.get_by_label("Ends at").first.fill("09:00")
        page.get_by_role("button", name="Send request").click()
        expect(page.get_by_text("The end time must be after the start time.")).to_be_visible()
        axe.check(page, "request form with errors")
        assert not MentorRequest.objects.exists()
        options.get_by_label("Ends at").first.fill("11:00")
        page.get_by_label("Date, option 2 (optional)").fill((day + timedelta(days=1)).isoformat())
        options.get_by_label("Starts at").nth(1).fill("13:00")
        options.get_by_label("Ends at").nth(1).fill("14:00")
        page.get_by_role("button", name="Send request").click()

        expect(page.get_by_text("Request “Kitchen chemistry” sent")).to_be_visible()
        expect(page.get_by_text("Submitted", exact=True)).to_be_visible()
        axe.check(page, "teacher dashboard")
        page.get_by_role("link", name="Kitchen chemistry").click()
        expect(page.get_by_text("Other times that work")).to_be_visible()
        axe.check(page, "request detail")
        page.get_by_label("Starts at").fill("12:00")
        page.get_by_label("Ends at").fill("13:00")
        page.get_by_role("button", name="Save changes").click()
        expect(page.get_by_text("Saved.")).to_be_visible()
        page.get_by_label("Why are you cancelling?").fill("Our field trip moved")
        page.get_by_role("button", name="Cancel request").click()
        expect(page.get_by_text("Request cancelled.")).to_be_visible()
        expect(page.get_by_text("Cancelled", exact=True)).to_be_visible()
        axe.check(page, "teacher dashboard (cancelled)")
    request = MentorRequest.objects.get()
    assert request.status == "cancelled" and request.sessions.get().revision == 1
    assert Teacher.objects.get().is_verified
    axe.assert_clean()


def test_a_coordinator_verifies_approves_checks_and_imports(live_server, settings, tmp_path):
    settings.PUBLIC_BASE_URL = live_server.url
    school = SchoolFactory(email_domain="lincoln.k12.example")
    coordinator = CoordinatorFactory(alliance=school.alliance, user__password=PASSWORD)
    company = CompanyFactory(alliance=school.alliance, name="Acme Labs", email_domain="acme.example")
    waiting = MentorFactory(company=company, status=Mentor.Status.PENDING, background_check_status="none",
                            background_check_expires=None, user__first_name="Dev", user__last_name="Patel")
    from schools.tests.factories import TeacherFactory

    teacher = TeacherFactory(school=school, verified_at=None, user__first_name="Helen", user__last_name="Park")
    csv_file = tmp_path / "acme.csv"
    csv_file.write_text("email,first_name,last_name,phone,zip_code\n"
                        "grace@acme.example,Grace,Hopper,518-555-0101,12305\n"
                        "oops,Bad,Row,,\n")
    axe = AxeAudit()
    with browser_page(live_server.url) as page:
        sign_in(page, coordinator.user.username, PASSWORD)
        page.get_by_role("navigation").get_by_role("link", name="Teachers").click()
        axe.check(page, "coordinator teachers")
        page.get_by_role("button", name="Verify Helen Park").click()
        expect(page.get_by_text("Helen Park can now request mentors.")).to_be_visible()

        page.goto("/coordinator/volunteers/")
        axe.check(page, "coordinator volunteers")
        page.get_by_role("link", name="Background check for Dev Patel").click()
        axe.check(page, "background check")
        page.get_by_label("Check status").select_option("cleared")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("A cleared check needs the date it expires.")).to_be_visible()
        axe.check(page, "background check with errors")
        page.get_by_label("Provider reference").fill("CHK-77")
        page.get_by_label("Expires on").fill("2099-06-30")
        page.get_by_role("button", name="Save").click()
        page.get_by_role("button", name="Approve Dev Patel").click()
        expect(page.get_by_text("Dev Patel is approved.")).to_be_visible()

        page.get_by_role("link", name="Import from CSV").click()
        axe.check(page, "csv import")
        page.get_by_label("Company").select_option(label="Acme Labs")
        page.get_by_label("CSV file").set_input_files(str(csv_file))
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_text("nothing is imported yet")).to_be_visible()
        expect(page.get_by_text("“oops” is not an email address.")).to_be_visible()
        axe.check(page, "csv import preview")
        assert not Mentor.objects.filter(user__email="grace@acme.example").exists()
        page.get_by_role("button", name="Import 1 volunteer").click()
        expect(page.get_by_text("Imported 1 volunteers")).to_be_visible()
        axe.check(page, "coordinator volunteers after import")
    waiting.refresh_from_db()
    teacher.refresh_from_db()
    assert waiting.status == "approved" and waiting.background_check_reference == "CHK-77"
    assert teacher.is_verified
    assert Mentor.objects.get(user__email="grace@acme.example").status == "pending"
    assert last_link("grace@acme.example", live_server.url).startswith(f"{live_server.url}/accounts/reset/")
    axe.assert_clean()
