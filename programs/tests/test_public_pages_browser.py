"""Every public page of the coalition on a phone (390 px) in English and in Spanish, in real headless Chromium:
axe clean, no sideways scrolling, a screenshot of each, nothing left in English on the Spanish pages but the
programs' own words, valid schema.org JSON-LD, no cookie at all until a page holds a form to post (the join
form's CSRF token), and a language switch that works without one."""
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from impact.tests.helpers import completed
from mentors.models import Skill
from mentors.tests.browser import AxeAudit, browser_page
from mentors.tests.factories import MentorFactory
from programs.models import Program
from schools.tests.factories import CoordinatorFactory, TeacherFactory

from .factories import MemberFactory, MouFactory, ProgramFactory
from .test_browser_journeys import SHOTS, no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coalition():
    teacher = TeacherFactory()
    alliance = teacher.school.alliance
    alliance.mission, alliance.mission_es = "STEM for every student.", "STEM para cada estudiante."
    alliance.save()
    completed(teacher, CoordinatorFactory(alliance=alliance), MentorFactory(company__alliance=alliance), students=28)
    MouFactory(alliance=alliance)
    member = MemberFactory(alliance=alliance, name="Schenectady Youth Robotics", website="https://syr.example")
    MemberFactory(alliance=alliance, name="Union College", kind="college")
    start = timezone.localdate() + timedelta(days=20)
    camp = ProgramFactory(member=member, title="Summer rocket camp", title_es="Campamento de cohetes",
                          description="Build and launch water rockets.\n\nLunch is provided.",
                          description_es="Construyan y lancen cohetes de agua.\n\nIncluye almuerzo.",
                          setting=Program.Setting.SUMMER, grade_bands="|3-5|6-8|", languages="|en|es|",
                          address="433 State St, Schenectady, NY", starts_on=start, ends_on=start + timedelta(days=4),
                          weekly_schedule="9 am - 3 pm", apply_by=start - timedelta(days=5), capacity=24,
                          join_phone="+15185550100", join_email="camp@syr.example", accessibility="Step-free entrance.")
    camp.subjects.add(Skill.objects.get(slug="robotics"))
    online = ProgramFactory(member=member, title="Coding online", title_es="Programación en línea", virtual=True,
                            zip_code="", latitude=None, longitude=None, setting=Program.Setting.VIRTUAL,
                            description="Weekly Python lessons.", description_es="Clases semanales de Python.")
    return alliance, camp, online


def pages(alliance, camp, online):
    return {"directory": "/programs/", "results": "/programs/?q=rocket&grade=3-5&zip=12308&within=25",
            "no results": "/programs/?q=zzzz", "bad ZIP": "/programs/?zip=00000",
            "event": f"/programs/{camp.pk}/", "course": f"/programs/{online.pk}/",
            "alliance": f"/alliances/{alliance.slug}/", "join": f"/alliances/{alliance.slug}/join/",
            "join thanks": f"/alliances/{alliance.slug}/join/thanks/"}


# The programs', members' and alliance's own words, names that read the same in both languages ("Virtual"),
# and the language switch, which names each language in itself ("English" on a Spanish page, "Español" on an
# English one). The MOU has its Spanish text (MouFactory.text_es).
OWN_WORDS = {"Mentorbridge", "STEM", "K-2", "3-5", "6-8", "9-12", "Schenectady Youth Robotics", "Union College",
             "Python", "9 am - 3 pm", "433 State St, Schenectady, NY", "Step-free entrance.", "Virtual",
             "English", "Español"}


def texts(page):
    """The visible lines of the page (and the names axe would read), one per element."""
    return {line.strip() for line in page.locator("body").inner_text().splitlines() if line.strip()}


def test_every_public_page_on_a_phone_in_english_and_spanish(live_server, coalition):
    alliance, camp, online = coalition
    axe, seen = AxeAudit(), {}
    for language in ("en", "es"):
        with browser_page(live_server.url, locale=f"{language}-US", width=390) as page:
            form_seen = False
            for name, path in pages(alliance, camp, online).items():
                response = page.goto(path)
                assert response.status == (400 if name == "bad ZIP" else 200), (name, language, response.status)
                assert page.locator("html").get_attribute("lang") == language
                axe.check(page, f"{name} ({language})")
                no_sideways_scroll(page)
                page.screenshot(path=f"{SHOTS}-public-{name.replace(' ', '-')}-{language}.png", full_page=True)
                seen[name, language] = texts(page)
                # No session, nothing tracked; the CSRF cookie only from the join form on.
                form_seen |= name == "join"
                cookies = {cookie["name"] for cookie in page.context.cookies()}
                assert cookies <= ({"csrftoken"} if form_seen else set()), (name, language, cookies)
    axe.assert_clean()
    untranslated = {}
    for name in pages(alliance, camp, online):
        same = {line for line in seen[name, "en"] & seen[name, "es"]
                if line not in OWN_WORDS and not any(ch.isdigit() for ch in line)
                and "Program " not in line and "@" not in line and "http" not in line}
        if same:
            untranslated[name] = sorted(same)
    assert untranslated == {}


def test_the_language_switch_changes_the_page_in_place_without_a_csrf_cookie(live_server, coalition):
    alliance, camp, online = coalition
    with browser_page(live_server.url, locale="en-US", width=390) as page:
        page.goto(f"/programs/{camp.pk}/")
        assert page.locator("h1").inner_text() == "Summer rocket camp"
        page.get_by_role("button", name="Español").click()
        page.wait_for_url(f"**/programs/{camp.pk}/")
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.locator("h1").inner_text() == "Campamento de cohetes"
        cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
        assert cookies == {"django_language": "es"}
        page.get_by_role("button", name="English").click()
        page.wait_for_url(f"**/programs/{camp.pk}/")
        assert page.locator("h1").inner_text() == "Summer rocket camp"


def test_the_program_pages_json_ld_is_valid_schema_org(live_server, coalition):
    alliance, camp, online = coalition
    with browser_page(live_server.url, locale="es-US", width=390) as page:
        page.goto(f"/programs/{camp.pk}/")
        event = json.loads(page.locator('script[type="application/ld+json"]').text_content())
        page.goto(f"/programs/{online.pk}/")
        course = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert event["@context"] == "https://schema.org" and event["@type"] == "Event"
    assert event["name"] == "Campamento de cohetes" and event["startDate"] == camp.starts_on.isoformat()
    assert event["endDate"] == camp.ends_on.isoformat() and event["location"]["@type"] == "Place"
    assert event["location"]["address"] == "433 State St, Schenectady, NY"
    assert event["organizer"] == {"@type": "Organization", "name": "Schenectady Youth Robotics"}
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert course["@type"] == "Course" and course["provider"]["name"] == "Schenectady Youth Robotics"
    assert course["name"] == "Programación en línea" and course["inLanguage"] == ["en"]
