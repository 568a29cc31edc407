"""The invitation's answer page in real headless Chromium: axe-clean, no sideways scroll on a phone."""
import pytest
from playwright.sync_api import expect

from mentors.tests.browser import AxeAudit, browser_page
from mentors.tests.factories import MentorFactory
from scheduling import answers
from scheduling import services as lifecycle
from scheduling.models import Match
from scheduling.tests.factories import make_request
from schools.tests.factories import CoordinatorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mentor_accepts_from_the_link_on_a_phone(live_server, teacher, tmp_path):
    coordinator = CoordinatorFactory(alliance=teacher.school.alliance)
    request = make_request(teacher, weeks=3, topic="Robótica: line-following robots for a long-named class")
    mentor = MentorFactory(company__alliance=teacher.school.alliance)
    match = Match.objects.create(session=request.sessions.get(), mentor=mentor, score=0.5)
    lifecycle.approve_match(match_id=match.pk, actor=coordinator.user)
    axe = AxeAudit()
    with browser_page(live_server.url) as page:
        page.set_viewport_size({"width": 375, "height": 740})
        page.goto(f"/i/{answers.token_for(match)}/?answer=accept")
        expect(page.get_by_role("heading", name=f"{teacher.school.name} asks you to mentor")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        axe.check(page, "invitation")
        page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)
        page.get_by_role("button", name="Accept").click()
        expect(page.get_by_role("heading", name="You're confirmed. Thank you!")).to_be_visible()
        axe.check(page, "accepted")
        page.screenshot(path=str(tmp_path / "accepted.png"), full_page=True)
    axe.assert_clean()
    assert Match.objects.get(pk=match.pk).status == "confirmed"
