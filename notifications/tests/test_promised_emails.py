"""Emails people are promised: HTML with a plain-text alternative, in the alliance's name, saying why."""
import pytest
from django.core import mail

from mentors import services as mentor_services
from mentors.models import Mentor
from mentors.tests.factories import MentorFactory
from notifications import services
from notifications.models import Notification
from scheduling import digests
from schools import services as school_services
from schools.tests.factories import CoordinatorFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def sent_to(address):
    """Send what is queued (as a worker would) and return the emails to `address`."""
    for pk in services.due().filter(channel="email").values_list("pk", flat=True):
        services.deliver_notification(pk, "email")
    return [m for m in mail.outbox if address in m.to]


def html_of(message):
    [(html, mimetype)] = [a for a in message.alternatives if a[1] == "text/html"]
    return html


def assert_themed(message, alliance_name, why):
    for body in (message.body, html_of(message)):
        assert alliance_name in body and why in body


def test_a_verified_teacher_is_emailed_once_that_they_can_ask_for_mentors(coordinator):
    teacher = TeacherFactory(school__alliance=coordinator.alliance, verified_at=None)
    school_services.verify_teacher(teacher=teacher, actor=coordinator.user)
    school_services.verify_teacher(teacher=teacher, actor=coordinator.user)
    [message] = sent_to(teacher.user.email)
    assert "ask" in message.subject.lower()
    assert "/teach/requests/new/" in message.body or "request" in message.body
    assert_themed(message, coordinator.alliance.name, "you signed up as a teacher")


def test_an_approved_volunteer_is_told_what_happens_next(coordinator):
    mentor = MentorFactory(company__alliance=coordinator.alliance, status=Mentor.Status.PENDING)
    mentor_services.approve_mentor(mentor_id=mentor.pk, actor=coordinator.user)
    [message] = sent_to(mentor.user.email)
    assert "approved" in message.subject
    assert "reply YES or NO" in message.body and "What happens next" in message.body
    assert_themed(message, coordinator.alliance.name, "you signed up as a volunteer")


def test_coordinators_get_one_digest_a_day_of_the_sign_ups_awaiting_them(coordinator):
    other = CoordinatorFactory(alliance=coordinator.alliance)
    for _ in range(3):
        MentorFactory(company__alliance=coordinator.alliance, status=Mentor.Status.PENDING)
    TeacherFactory(school__alliance=coordinator.alliance, verified_at=None)
    stranger = CoordinatorFactory()  # another alliance, nothing waiting
    assert digests.queue_signup_digests() == 2
    assert digests.queue_signup_digests() == 2  # the same day: the same keys, nothing new written
    [message] = sent_to(coordinator.user.email)
    assert "4 sign-ups" in message.subject
    assert "Volunteers to approve (3)" in message.body and "Teachers to verify (1)" in message.body
    assert_themed(message, coordinator.alliance.name, "you coordinate")
    assert len(sent_to(other.user.email)) == 1
    assert sent_to(stranger.user.email) == []
    assert Notification.objects.filter(kind="signup_digest").count() == 2


def test_the_password_reset_email_is_themed(client, coordinator):
    mentor = MentorFactory(company__alliance=coordinator.alliance)
    client.post("/accounts/password_reset/", {"email": mentor.user.email})
    [message] = [m for m in mail.outbox if mentor.user.email in m.to]
    assert coordinator.alliance.name in message.subject
    assert "/accounts/reset/" in message.body and "/accounts/reset/" in html_of(message)
    assert_themed(message, coordinator.alliance.name, "asked to reset the password")
