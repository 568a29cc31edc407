"""Every role's pages (anonymous, coordinator, teacher, volunteer, company lead, partner staff) as a person sees
them, in real Chromium at phone (390x844) and desktop (1366x900) size.

On every page: no sideways scroll (even with a 150-character name), no serious or critical axe finding, no
UTC, and a screenshot saved to var/screenshots/ (the folder the README names) as
<role>-<page>-<phone|desktop>.png.
"""
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from alliances.models import ClosedDay
from core.accounts import set_password_link
from impact import feedback
from impact.forms import school_year_of
from impact.models import CompanyLead, Feedback, FeedbackRequest, Target
from impact.tests.helpers import completed
from mentors.tests.browser import DESKTOP, PHONE, AxeAudit, browser_page, sideways_scroll
from mentors.tests.factories import MentorFactory
from notifications.models import InboundMessage
from programs.tests.factories import MemberFactory, MemberStaffFactory, ProgramFactory
from scheduling import answers
from scheduling.models import Match
from scheduling.tests.factories import book_match, held, make_request
from schools.tests.factories import CoordinatorFactory, TeacherFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PASSWORD = "pw-for-tests"
LONG_NAME = "Maximiliana" + "x" * 139  # 150 characters, no break
# What a page must never print: a Python dict or list, an object's repr, None, an ISO timestamp or a raw score.
MACHINE_WORDS = re.compile(r"\{'|\[\{|\[\]|<\w[\w.]* object at|\bNone\b|\d{4}-\d\d-\d\dT\d\d|\b0\.\d{3,}\b")


def seed():
    """One alliance in Pacific time (the server runs in UTC) with something on every page."""
    teacher = TeacherFactory(school__timezone="America/Los_Angeles", school__name="Cesar Chavez Elementary",
                             user=UserFactory(username="teacher", first_name="Teresa", last_name="Lopez"))
    alliance = teacher.school.alliance
    alliance.timezone, alliance.name, alliance.brand_colour = "America/Los_Angeles", "Bay STEM Alliance", "#0f5e4d"
    alliance.save()
    coordinator = CoordinatorFactory(alliance=alliance, user=UserFactory(username="coordinator"))
    mentor = MentorFactory(company__alliance=alliance, company__name="Acme Robotics", timezone="America/Chicago",
                           user=UserFactory(username="mentor", first_name=LONG_NAME, last_name="Ruiz"),
                           bio="Builds warehouse robots; loves a good line-follower.", skills=["robotics", "software"])
    confirmed = book_match(teacher, coordinator, mentor, topic="Build a line-following robot")
    done = held(book_match(teacher, coordinator, mentor, topic="Paper rockets", hour=13))
    invited = book_match(teacher, coordinator, mentor, status="invited", topic="Coding with Scratch", hour=14)
    rated = completed(teacher, coordinator, mentor, days_ago=20, topic="Bridges from straws", hour=12)
    Feedback.objects.create(match=rated, interval=rated.session.intervals.get(), side="teacher", happened=True,
                            students_reached=22, rating=5, comment="They built bridges all afternoon " + "w" * 140)
    feedback.queue_feedback_requests()
    Match.objects.create(session=make_request(teacher, topic="Kitchen chemistry", hour=11).sessions.get(),
                         mentor=MentorFactory(company__alliance=alliance, user__first_name="Dev",
                                              user__last_name="Patel"), score=0.7,
                         reasons={"skills": 0.3, "distance": 0.2, "fairness": 0.2})
    Match.objects.create(session=make_request(teacher, topic="Solar ovens", hour=16).sessions.get(), mentor=mentor,
                         score=0.8, reasons={"skills": 0.4, "distance": 0.2, "fairness": 0.2})
    unfilled = make_request(teacher, topic="Night sky " + "y" * 140, hour=15)
    MentorFactory(company__alliance=alliance, status="pending", background_check_status="none",
                  background_check_expires=None)
    MentorFactory(company__alliance=alliance, background_check_expires=timezone.localdate() + timedelta(days=12))
    TeacherFactory(school=teacher.school, verified_at=None)
    InboundMessage.objects.create(message_sid="SM" + "4" * 32, from_number="+15185550000", alliance=alliance,
                                  body="Is this the robot club? " + "z" * 150, needs_review=True)
    ClosedDay.objects.create(alliance=alliance, date=timezone.localdate() + timedelta(days=40), name="Cesar Chavez Day")
    lead = CompanyLead.objects.create(user=UserFactory(username="lead"), company=mentor.company).user
    member = MemberFactory(alliance=alliance, name="Robot Garden " + "r" * 140)
    MemberStaffFactory(member=member, user=UserFactory(username="partner"))
    program = ProgramFactory(member=member, title="After-school robots " + "q" * 140)
    starts_on, ends_on = school_year_of(timezone.localdate())
    Target.objects.create(alliance=alliance, starts_on=starts_on, ends_on=ends_on, students=500, mentors=40, hours=300,
                          schools=6)
    ask = FeedbackRequest.objects.filter(match=done, side="teacher").first()
    return {"teacher": teacher, "coordinator": coordinator, "mentor": mentor, "confirmed": confirmed, "done": done,
            "lead": lead,
            "invited": invited, "unfilled": unfilled.sessions.get(), "member": member, "program": program,
            "feedback_link": f"/impact/answer/{feedback.token_for(ask)}/" if ask else None}


def journeys(people):
    """role -> [(page name, path)], each a page that role uses."""
    request_id = people["confirmed"].session.request_id
    mentor_id = people["mentor"].pk
    proposal = Match.objects.filter(status="proposed").order_by("pk").first().pk
    done, slug = people["done"].pk, people["coordinator"].alliance.slug
    answer = answers.link_for(people["invited"]).split("testserver", 1)[-1]
    return {
        "public": [("home", "/"), ("sign-in", "/accounts/login/"), ("password-reset", "/accounts/password_reset/"),
                   ("password-reset-sent", "/accounts/password_reset/done/"),
                   ("volunteer-signup", "/volunteer/signup/"), ("teacher-signup", "/teacher/signup/"),
                   ("directory", "/programs/"), ("program", f"/programs/{people['program'].pk}/"),
                   ("alliance", f"/alliances/{slug}/"), ("join-alliance", f"/alliances/{slug}/join/"),
                   ("invitation-answer", answer), ("feedback-answer", people["feedback_link"]),
                   ("set-password", set_password_link(people["lead"]).split("testserver", 1)[-1]),
                   ("password-set", "/accounts/reset/done/")],
        "coordinator": [("today", "/coordinator/"), ("review", "/coordinator/review/"),
                        ("review-peek", "/coordinator/review/#open:About"),
                        ("swap", f"/coordinator/matches/{proposal}/candidates/"),
                        ("volunteers", "/coordinator/volunteers/"),
                        ("volunteer-profile", f"/coordinator/volunteers/{mentor_id}/"),
                        ("teachers", "/coordinator/teachers/"), ("invite", "/coordinator/teachers/invite/"),
                        ("closed-days", "/coordinator/closed-days/"), ("weights", "/coordinator/matching-weights/"),
                        ("import", "/coordinator/volunteers/import/"),
                        ("unfilled", "/coordinator/unfilled/"),
                        ("what-would-help", f"/coordinator/sessions/{people['unfilled'].pk}/what-would-help/"),
                        ("background-check", f"/coordinator/volunteers/{mentor_id}/background-check/"),
                        ("suspend", f"/coordinator/volunteers/{mentor_id}/suspend/"),
                        ("complete", f"/matches/{done}/complete/"), ("impact", "/coordinator/impact/"),
                        ("targets", "/coordinator/impact/targets/"), ("equity", "/coordinator/impact/schools/"),
                        ("awaiting", "/coordinator/impact/awaiting/"),
                        ("company-leads", "/coordinator/impact/company-leads/"),
                        ("members", "/coordinator/members/"),
                        ("member", f"/coordinator/members/{people['member'].pk}/"),
                        ("programs", "/coordinator/programs/"), ("password-change", "/accounts/password_change/")],
        "teacher": [("requests", "/teach/requests/"), ("request", f"/teach/requests/{request_id}/"),
                    ("request-form", "/teach/requests/new/"),
                    ("request-again", f"/teach/requests/new/?again={request_id}"),
                    ("complete", f"/matches/{done}/complete/")],
        "mentor": [("sessions", "/me/sessions/"), ("profile", "/me/profile/"),
                   *((f"profile-{step}", f"/me/profile/{step}/") for step in ("skills", "classes", "place", "time",
                                                                              "contact")),
                   ("calendar", "/me/calendar/"), ("impact", "/me/impact/"),
                   ("complete", f"/matches/{done}/complete/")],
        "lead": [("company", "/company/impact/")],
        "partner": [("programs", "/members/programs/"), ("program-new", "/members/programs/new/")],
    }


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def look_at(page, axe, role, name, size, problems):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    label = f"{role}-{name}-{size}"
    page.screenshot(path=str(SCREENSHOTS / f"{label}.png"), full_page=True)
    axe.check(page, label)
    if (extra := sideways_scroll(page)) > 0:
        problems.append(f"{label} scrolls sideways by {extra}px")
    text = page.inner_text("body")
    if "UTC" in text:
        problems.append(f"{label} shows UTC")
    if machine := MACHINE_WORDS.search(text):
        problems.append(f"{label} shows a value meant for machines: {machine.group(0)!r}")


@pytest.mark.parametrize("size, viewport", [("phone", PHONE), ("desktop", DESKTOP)])
def test_every_page_fits_reads_locally_and_passes_axe(live_server, size, viewport):
    people = seed()
    axe, problems = AxeAudit(), []
    for role, pages in journeys(people).items():
        with browser_page(live_server.url, viewport=viewport) as page:
            if role != "public":
                sign_in(page, role)
            for name, path in pages:
                path, _, opened = path.partition("#open:")
                response = page.goto(path)
                assert response.status == 200, f"{role} {path}: {response.status}"
                for summary in page.locator("summary", has_text=opened).all() if opened else ():
                    summary.click()  # "#open:About" opens each profile peek before the screenshot
                look_at(page, axe, role, name, size, problems)
    assert not problems, "\n".join(problems)
    axe.assert_clean()
