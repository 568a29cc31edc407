"""In real Chromium, on a phone-sized screen, with axe on each page: the teacher's one-tap answer, the
coordinator's dashboard and a CSV download, the company statement and a volunteer's own record."""
import csv
import os
import re

import pytest
from django.utils import timezone

from impact import feedback
from impact.forms import school_year_of
from impact.models import CompanyLead, Target
from mentors.tests.browser import AxeAudit, browser_page
from mentors.tests.factories import MentorFactory
from notifications.models import Notification
from scheduling.models import Match
from scheduling.tests.factories import book_match, held
from schools.tests.factories import CoordinatorFactory, TeacherFactory, UserFactory

from .helpers import completed

SHOTS = "/tmp/impact-shots"


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign in").or_(page.get_by_role("button", name="Log in")).first.click()


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.browser
def test_the_teacher_answers_in_one_tap_and_the_session_is_completed(live_server, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    teacher = TeacherFactory()
    coordinator = CoordinatorFactory(alliance=teacher.school.alliance)
    mentor = MentorFactory(company__alliance=teacher.school.alliance)
    match = held(book_match(teacher, coordinator, mentor, student_count=24), hours_ago=2)
    feedback.queue_feedback_requests()
    email = Notification.objects.get(kind="feedback_ask", to=teacher.user.email)
    link = re.search(r"https?://\S+", email.body).group(0)

    axe = AxeAudit()
    with browser_page(live_server.url) as page:
        page.goto(link)
        assert page.get_by_label("Students who took part (a number)").input_value() == "24"
        assert no_sideways_scroll(page)
        axe.check(page, "one-tap answer")
        shot(page, "answer")
        page.get_by_label("Students who took part (a number)").fill("22")
        page.get_by_label("5").check()
        page.get_by_role("button", name="Send").click()
        assert page.get_by_role("heading", name="Thank you!").is_visible()
        axe.check(page, "thanks")
        page.goto(link)
        assert page.get_by_role("heading", name="Already recorded").is_visible()
        axe.check(page, "used link")
    axe.assert_clean()
    match.refresh_from_db()
    assert (match.status, match.students_reached) == ("completed", 22)


@pytest.mark.browser
def test_the_coordinator_reads_the_dashboard_and_downloads_a_csv_that_matches_it(live_server, settings, tmp_path):
    teacher = TeacherFactory()
    coordinator = CoordinatorFactory(alliance=teacher.school.alliance, user=UserFactory(username="carmen"))
    mentor = MentorFactory(company__alliance=teacher.school.alliance)
    completed(teacher, coordinator, mentor, students=24)
    completed(teacher, coordinator, MentorFactory(company__alliance=teacher.school.alliance), students=17, hour=14)
    lead = CompanyLead.objects.create(user=UserFactory(username="casey"), company=mentor.company)
    starts_on, ends_on = school_year_of(timezone.localdate())
    Target.objects.create(alliance=teacher.school.alliance, starts_on=starts_on, ends_on=ends_on, students=100,
                          mentors=4, hours=20, schools=2)
    direct = sum(Match.objects.filter(status="completed").values_list("students_reached", flat=True))

    axe = AxeAudit()
    with browser_page(live_server.url) as page:
        sign_in(page, live_server.url, "carmen")
        page.goto(f"{live_server.url}/coordinator/impact/")
        figure = page.locator(".figures li").first.inner_text()
        assert figure.startswith(str(direct))
        assert page.locator("svg.chart").count() == 3
        assert no_sideways_scroll(page)
        axe.check(page, "impact dashboard")
        shot(page, "dashboard")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download these totals (CSV)").click()
        path = tmp_path / "totals.csv"
        download.value.save_as(path)
        row = next(csv.DictReader(path.open()))
        assert int(row["Students reached"]) == direct == 41
        page.goto(f"{live_server.url}/coordinator/impact/targets/")
        axe.check(page, "targets")
        page.goto(f"{live_server.url}/coordinator/impact/schools/")
        axe.check(page, "school equity")
        page.goto(f"{live_server.url}/coordinator/impact/awaiting/")
        axe.check(page, "answers awaited")

    with browser_page(live_server.url) as page:
        sign_in(page, live_server.url, lead.user.username)
        page.goto(f"{live_server.url}/company/impact/")
        assert page.locator(".figures li").nth(3).inner_text().startswith("24")
        assert no_sideways_scroll(page)
        axe.check(page, "company statement")
        shot(page, "company")

    with browser_page(live_server.url) as page:
        sign_in(page, live_server.url, mentor.user.username)
        page.goto(f"{live_server.url}/me/impact/")
        assert no_sideways_scroll(page)
        axe.check(page, "my impact")
        shot(page, "my-impact")
    axe.assert_clean()
