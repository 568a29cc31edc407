"""Invitations people can act on: what the email and the text say, and the one-click Accept and Decline."""
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services
from notifications.models import Notification
from scheduling import answers
from scheduling import requests as request_flow
from scheduling import services as scheduling
from scheduling.models import Match

pytestmark = pytest.mark.django_db


def invitation(match, channel):
    return Notification.objects.get(match=match, kind="invitation", channel=channel)


def links(match):
    body = invitation(match, "email").body
    return dict(re.findall(r"(Accept|Decline): (\S+)", body))


def path_of(url):
    return url.replace("http://testserver", "")


def status(match):
    return Match.objects.get(pk=match.pk).status


def test_the_invitation_email_gives_address_map_schedule_teacher_class_and_answer_links(propose, coordinator):
    match = propose(request_fields={"weeks": 3})
    scheduling.approve_match(match_id=match.pk, actor=coordinator.user)
    request = match.session.request
    row = invitation(match, "email")
    assert request.school.address in row.body and "google.com/maps/search/?api=1&query=" in row.body
    assert re.search(r"every Tuesday, 3 sessions, from Tue", row.body)
    assert str(request.teacher) in row.body and f"grades {request.grade_band}" in row.body
    assert set(links(match)) == {"Accept", "Decline"}
    assert "Accept</a>" in row.html and coordinator.alliance.name in row.html


def test_a_virtual_invitation_gives_the_meeting_link_instead_of_a_map(propose, coordinator):
    match = propose(request_fields={"format": "virtual", "meeting_link": "https://meet.example/abc-defg"})
    scheduling.approve_match(match_id=match.pk, actor=coordinator.user)
    body = invitation(match, "email").body
    assert "https://meet.example/abc-defg" in body and "maps" not in body


def test_the_text_names_the_school_once_says_weekly_cuts_long_topics_and_links_the_invitation(propose,
                                                                                               coordinator):
    topic = "Designing, building and racing solar-powered model cars with sensors and feedback loops " * 2
    match = propose(request_fields={"weeks": 3, "topic": topic.strip()})
    scheduling.approve_match(match_id=match.pk, actor=coordinator.user)
    text = invitation(match, "sms").body
    assert text.count(match.session.request.school.name) == 1
    assert "weekly, 3 sessions from" in text
    assert "..." in text and topic.strip() not in text
    assert answers.link_for(match) in text


def test_accept_from_the_email_link_confirms_through_the_same_service(client, approved):
    match = approved()
    page = client.get(path_of(links(match)["Accept"]))
    assert page.status_code == 200 and b'value="accept"' in page.content
    assert status(match) == "approved"  # opening the link (as a mail scanner would) answers nothing
    done = client.post(path_of(links(match)["Accept"]), {"answer": "accept"})
    assert b"You're confirmed" in done.content
    assert status(match) == "confirmed"
    assert match.transitions.last().via == "link"
    assert Notification.objects.filter(match=match, kind="confirmed_to_teacher").exists()


def test_decline_from_the_link_declines(client, approved):
    match = approved()
    done = client.post(path_of(links(match)["Decline"]), {"answer": "decline"})
    assert b"ask someone else" in done.content
    assert status(match) == "declined"


def test_a_link_used_twice_says_what_happened_and_changes_nothing(client, approved):
    match = approved()
    url = path_of(links(match)["Accept"])
    client.post(url, {"answer": "accept"})
    again = client.post(url, {"answer": "decline"})
    assert again.status_code == 200 and b"already accepted" in again.content
    assert status(match) == "confirmed"


def test_an_expired_link_changes_nothing(client, approved):
    match = approved()
    Match.objects.filter(pk=match.pk).update(status="invited", respond_by=timezone.now() - timedelta(minutes=1))
    page = client.post(path_of(links(match)["Accept"]), {"answer": "accept"})
    assert b"has expired" in page.content
    assert status(match) == "invited"


def test_a_link_from_before_the_session_changed_changes_nothing(client, approved):
    match = approved()
    url = path_of(links(match)["Accept"])
    session = match.session
    later = timedelta(hours=1)
    request_flow.reschedule_request(request_id=session.request_id, actor=session.request.teacher.user,
                                    intervals=[(i.starts_at + later, i.ends_at + later)
                                               for i in session.intervals.all()])
    page = client.post(url, {"answer": "accept"})
    assert b"This invitation changed" in page.content
    assert status(match) == "approved"


def test_a_forged_link_is_a_404_that_changes_nothing(client, approved):
    match = approved()
    token = answers.token_for(match)
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert client.post(f"/i/{forged}/", {"answer": "accept"}).status_code == 404
    assert client.get("/i/not-a-token/").status_code == 404
    assert status(match) == "approved"


def test_the_email_is_sent_with_html_and_text(approved):
    match = approved()
    services.deliver_notification(invitation(match, "email").pk, "email")
    [message] = [m for m in mail.outbox if match.mentor.user.email in m.to]
    assert message.alternatives[0][1] == "text/html"
