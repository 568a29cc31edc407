"""The whole mentor loop on real parts: API -> Celery worker on Redis -> PostgreSQL -> Twilio SDK -> webhook."""
import email
from datetime import UTC

import pytest
from icalendar import Calendar

from conftest import wait_for
from mentors.tests.factories import MentorFactory
from notifications.models import Notification
from scheduling import answers
from scheduling.models import Match
from scheduling.tests.factories import class_time, next_weekday
from schools.tests.factories import CoordinatorFactory, SchoolFactory, TeacherFactory, UserFactory

CLASS_START, CLASS_END = class_time(next_weekday(14))  # a Tuesday two weeks or more from today, 10-11 in New York
WHEN = f"{CLASS_START:%a %b} {CLASS_START.day}, 10:00 AM {CLASS_START.tzname()}"  # "Tue Mar 2, 10:00 AM EST"


def read_emails(mail_dir):
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for raw in path.read_text().split("-" * 79):
            if raw.strip():
                messages.append(email.message_from_string(raw.strip() + "\n"))
    return messages


def calendar_part(message):
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert parts, "the invitation email carries no text/calendar alternative"
    return parts[0], Calendar.from_ical(parts[0].get_payload(decode=True))


@pytest.mark.worker
def test_a_request_becomes_a_confirmed_mentor_through_the_worker_and_a_yes_text(
    api, settings, fake_twilio, live_server, celery_worker_process, tmp_path
):
    settings.PUBLIC_BASE_URL = live_server.url
    school = SchoolFactory(name="Mont Pleasant Middle School")
    teacher = TeacherFactory(school=school, phone="+15185559001", user=UserFactory(first_name="Teresa",
                                                                                   last_name="Lopez"))
    coordinator = CoordinatorFactory(alliance=school.alliance)
    mentor = MentorFactory(
        company__alliance=school.alliance, company__name="Erie Robotics", phone="+15185552001",
        user=UserFactory(first_name="Ana", last_name="Ruiz", email="ana@erierobotics.example"),
    )
    worker = celery_worker_process()

    created = api(teacher.user).post("/api/requests/", {
        "topic": "Build a line-following robot", "grade_band": "6-8", "format": "in_person",
        "student_count": 24, "mentors_needed": 1, "skills": ["robotics"],
        "intervals": [[CLASS_START.isoformat(), CLASS_END.isoformat()]],
    }, format="json")
    assert created.status_code == 201, created.content

    proposed = wait_for(lambda: Match.objects.filter(mentor=mentor, status="proposed").first(),
                        message=f"the worker to propose a match\n{worker.log}")
    assert proposed.reasons and abs(sum(proposed.reasons.values()) - proposed.score) < 1e-6

    approved = api(coordinator.user).post(f"/api/matches/{proposed.pk}/approve/")
    assert approved.status_code == 200, approved.content

    wait_for(lambda: len(fake_twilio.messages) == 1, message=f"the invitation text\n{worker.log}")
    invitation = fake_twilio.messages[0]
    assert invitation["to"] == "+15185552001"
    assert invitation["from_"] == settings.TWILIO_FROM_NUMBER
    assert invitation["body"] == (
        "Mentorbridge: Mont Pleasant Middle School asks you to mentor Build a line-following robot "
        f"(grades 6-8) {WHEN}. Reply YES or NO, or see {answers.link_for(Match.objects.get(pk=proposed.pk))}"
    )
    wait_for(lambda: Match.objects.get(pk=proposed.pk).status == "invited", message="the match to be invited")

    mail_dir = tmp_path / "mail"
    invitation_mail = wait_for(lambda: read_emails(mail_dir), message="the invitation email")[0]
    assert invitation_mail["To"] == "ana@erierobotics.example"
    part, ics = calendar_part(invitation_mail)
    assert part.get_param("method") == "REQUEST"
    assert ics["METHOD"] == "REQUEST"
    [event] = ics.walk("VEVENT")
    assert str(event["UID"]) == f"{proposed.uid}@mentorbridge"
    assert event.decoded("DTSTART") == CLASS_START.astimezone(UTC)

    status, reply = fake_twilio.send_inbound(
        f"{live_server.url}/webhooks/twilio/inbound/", from_="+15185552001", to=settings.TWILIO_FROM_NUMBER,
        body=" yes! ",
    )
    assert status == 200
    assert f"You're confirmed for Build a line-following robot {WHEN}" in reply
    assert Match.objects.get(pk=proposed.pk).status == "confirmed"

    wait_for(lambda: len(fake_twilio.messages) == 2, message=f"the teacher's text\n{worker.log}")
    told = fake_twilio.messages[1]
    assert told["to"] == "+15185559001"
    assert told["body"] == (
        f"Mentorbridge: Ana Ruiz (Erie Robotics) confirmed for Build a line-following robot {WHEN}."
    )
    teacher_mail = wait_for(
        lambda: [m for m in read_emails(mail_dir) if m["To"] == teacher.user.email], message="the teacher's email"
    )[0]
    [plain] = [p for p in teacher_mail.walk() if p.get_content_type() == "text/plain"]  # beside its HTML
    assert "ana@erierobotics.example" in plain.get_payload(decode=True).decode()

    assert fake_twilio.deliver(invitation["sid"], "delivered")[0] == 204
    assert Notification.objects.get(provider_id=invitation["sid"]).status == "delivered"
    assert Notification.objects.filter(status="sent", channel="sms").count() == 1
