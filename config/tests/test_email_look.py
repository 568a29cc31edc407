"""Every kind of email wears the alliance's look: its name, its logo (a PNG at an absolute URL a mail client can
fetch) and its colour in the HTML, with the plain-text alternative beside it."""
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core import mail

from alliances import members
from alliances.models import Member
from core.brand import email_look, logo_url
from impact import feedback
from mentors import services as mentor_services
from mentors.models import Mentor
from mentors.tests.browser import PHONE, browser_page, sideways_scroll
from mentors.tests.factories import MentorFactory
from notifications import services
from scheduling import digests
from scheduling.tests.factories import book_match, held
from schools import services as school_services
from schools.tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db(transaction=True)  # account emails go out on commit
COLOUR = "#7a1f5c"
SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture
def alliance(coordinator):
    alliance = coordinator.alliance
    alliance.name, alliance.brand_colour, alliance.logo = "Capital STEM Alliance", COLOUR, "img/logo.svg"
    alliance.save()
    return alliance


def send_everything(alliance, coordinator, teacher, client):
    """One email of every kind the product sends, through the real services; the outbox is then delivered."""
    pending = MentorFactory(company__alliance=alliance, status=Mentor.Status.PENDING)
    mentor_services.approve_mentor(mentor_id=pending.pk, actor=coordinator.user)  # approval
    school_services.verify_teacher(teacher=TeacherFactory(school__alliance=alliance, verified_at=None),
                                   actor=coordinator.user)  # teacher verified
    TeacherFactory(school__alliance=alliance, verified_at=None)
    digests.queue_signup_digests()  # the coordinators' digest
    mentor = MentorFactory(company__alliance=alliance)
    book_match(teacher, coordinator, mentor, status="approved", hour=11)  # the invitation with its calendar
    held(book_match(teacher, coordinator, mentor, hour=13), hours_ago=3)  # confirmed: the teacher is told
    feedback.queue_feedback_requests()  # "how did it go?"
    school_services.invite_teacher(school=teacher.school, email="new.teacher@example.org", actor=coordinator.user)
    member = Member.objects.create(alliance=alliance, name="Science Club", kind="nonprofit",
                                   contact_name="Ana", contact_email="ana@example.org")
    members.add_member_staff(member=member, email="staff@example.org", name="Sam Staff")  # an account email
    client.post("/accounts/password_reset/", {"email": mentor.user.email})
    for pk in services.due().filter(channel="email").values_list("pk", flat=True):
        services.deliver_notification(pk, "email")


def html_of(message):
    return next((body for body, kind in getattr(message, "alternatives", []) if kind == "text/html"), None)


def test_every_email_kind_carries_the_alliance_name_logo_and_colour(alliance, coordinator, teacher, client):
    send_everything(alliance, coordinator, teacher, client)
    subjects = [m.subject for m in mail.outbox]
    assert len(mail.outbox) >= 10, subjects
    for message in mail.outbox:
        html = html_of(message)
        assert html, f"no HTML alternative: {message.subject}"
        assert alliance.name in html and f"background:{COLOUR}" in html, message.subject
        [src] = re.findall(r'<img src="([^"]+)"', html)
        assert src == "http://testserver/static/img/logo.png", message.subject
        assert "<" not in message.body.replace("<http", ""), f"HTML in the plain text of {message.subject}"
        assert message.body.strip(), message.subject
    kinds = " | ".join(subjects)
    for expected in ("approved", "ask", "sign-up", "Invitation", "How did", "new password", "Join",
                     "Welcome to Capital STEM Alliance"):
        assert expected in kinds, f"no {expected!r} email among: {kinds}"


def test_the_logo_is_a_png_that_exists_at_an_absolute_url_on_the_public_site(settings):
    settings.PUBLIC_BASE_URL = "https://mentors.example.org/"
    assert logo_url("img/logo.svg") == "https://mentors.example.org/static/img/logo.png"
    assert finders.find("img/logo.png")
    assert logo_url("img/no-such-logo.svg") is None  # no PNG beside it: the name alone, no broken image


def test_the_header_text_reads_on_the_alliance_colour(alliance):
    alliance.brand_colour = "#ffe14d"  # light: black text
    look = email_look(alliance)
    assert (look["colour"], look["ink"]) == ("#ffe14d", "#000000")
    assert email_look(None)["name"] == "Mentorbridge"


@pytest.mark.browser
def test_in_a_browser_each_email_shows_the_logo_and_fits_a_phone(alliance, coordinator, teacher, client, live_server,
                                                                 settings):
    """Each email's HTML opened in Chromium at phone width, as a mail app would show it: the logo loads from
    the public site, nothing scrolls sideways, and a screenshot is saved as email-<n>-<subject>-phone.png."""
    settings.PUBLIC_BASE_URL = live_server.url
    send_everything(alliance, coordinator, teacher, client)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with browser_page(live_server.url, viewport=PHONE) as page:
        for n, message in enumerate(mail.outbox):
            page.set_content(html_of(message), wait_until="load")
            logo = page.locator("img").first
            assert logo.evaluate("img => img.complete && img.naturalWidth") == 64, message.subject
            assert sideways_scroll(page) == 0, message.subject
            slug = re.sub(r"[^a-z]+", "-", message.subject.lower()).strip("-")[:40]
            page.screenshot(path=str(SCREENSHOTS / f"email-{n:02d}-{slug}-phone.png"), full_page=True)
