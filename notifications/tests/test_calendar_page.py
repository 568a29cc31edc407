"""The page where a volunteer or teacher gets their calendar link."""
import pytest
from django.urls import reverse
from icalendar import Calendar

from mentors.tests.factories import MentorFactory
from schools.tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db


def test_a_volunteer_makes_a_link_that_serves_their_calendar(client):
    mentor = MentorFactory()
    client.force_login(mentor.user)
    assert "no calendar link yet" in client.get(reverse("my-calendar")).content.decode()
    page = client.post(reverse("my-calendar"), {"action": "issue"})
    url = page.context["url"]
    path = url.split("testserver", 1)[-1] if "testserver" in url else url
    feed = client.get(path)
    assert feed.status_code == 200
    assert Calendar.from_ical(feed.content)["PRODID"]


def test_making_a_new_link_revokes_the_old_one_and_turning_off_revokes_all(client):
    mentor = MentorFactory()
    client.force_login(mentor.user)
    first = client.post(reverse("my-calendar"), {"action": "issue"}).context["url"].split("testserver", 1)[-1]
    second = client.post(reverse("my-calendar"), {"action": "issue"}).context["url"].split("testserver", 1)[-1]
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    client.post(reverse("my-calendar"), {"action": "revoke"})
    assert client.get(second).status_code == 404


def test_coordinators_have_no_calendar_link_page(client):
    client.force_login(CoordinatorFactory().user)
    assert client.get(reverse("my-calendar")).status_code == 404
