"""The lifecycle's background work on a real `celery worker` (its own Redis, the test PostgreSQL, the Twilio SDK
against the local fake): invitation expiry, backfill after a decline, reminders and a reschedule."""
from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone
from icalendar import Calendar

from conftest import run_on_worker, wait_for
from mentors.tests.factories import MentorFactory
from notifications.models import Notification
from scheduling import services
from scheduling.models import Match, Session, SessionInterval
from scheduling.tasks import expire_stale_invitations, queue_due_reminders
from scheduling.tests.factories import class_time, make_request, next_weekday
from schools.tests.factories import CoordinatorFactory, TeacherFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
FIRST, SECOND = "+15185553001", "+15185553002"


@pytest.fixture
def class_with_two_mentors(fake_twilio, redis_server):
    """A request, a coordinator and two mentors who both fit it; the request's first matching run is dropped
    so the test decides who is proposed first."""
    teacher = TeacherFactory()
    coordinator = CoordinatorFactory(alliance=teacher.school.alliance)
    first = MentorFactory(company__alliance=teacher.school.alliance, phone=FIRST)
    second = MentorFactory(company__alliance=teacher.school.alliance, phone=SECOND)
    request = make_request(teacher)
    redis_server.restart_empty()
    return request, coordinator, first, second


def invited(request, coordinator, mentor, worker):
    """Approve `mentor` for the request's session and wait until the worker has sent the invitation."""
    match = Match.objects.create(session=request.sessions.get(), mentor=mentor, score=0.5, reasons={"skills": 0.5})
    services.approve_match(match_id=match.pk, actor=coordinator.user)
    wait_for(lambda: Match.objects.get(pk=match.pk).status == "invited",
             message=f"the invitation to be sent\n{worker.log[-3000:]}")
    return match


def proposed_to(mentor, worker, what):
    return wait_for(lambda: Match.objects.filter(mentor=mentor, status="proposed").first(),
                    message=f"{what}\n{worker.log[-3000:]}")


def test_a_decline_by_text_brings_the_next_mentor_forward(class_with_two_mentors, celery_worker_process):
    request, coordinator, first, second = class_with_two_mentors
    worker = celery_worker_process()
    match = invited(request, coordinator, first, worker)

    services.decline_match(match_id=match.pk, via="sms", reason="declined by text")

    backfill = proposed_to(second, worker, "the backfill to propose the second mentor")
    assert backfill.session_id == match.session_id
    assert not Match.objects.filter(mentor=first, status="proposed").exists()


def test_an_unanswered_invitation_expires_and_the_next_mentor_is_proposed(
    class_with_two_mentors, celery_worker_process
):
    request, coordinator, first, second = class_with_two_mentors
    worker = celery_worker_process()
    match = invited(request, coordinator, first, worker)
    Match.objects.filter(pk=match.pk).update(respond_by=timezone.now() - timedelta(minutes=1))

    run_on_worker(expire_stale_invitations, worker)  # what beat queues

    assert Match.objects.get(pk=match.pk).status == "expired"
    proposed_to(second, worker, "the backfill after the expiry")


def test_an_answer_still_in_time_is_not_expired(class_with_two_mentors, celery_worker_process):
    request, coordinator, first, _ = class_with_two_mentors
    worker = celery_worker_process()
    match = invited(request, coordinator, first, worker)
    run_on_worker(expire_stale_invitations, worker)
    assert Match.objects.get(pk=match.pk).status == "invited"


def test_a_confirmed_mentor_gets_the_24_hour_reminder_text_once(
    class_with_two_mentors, celery_worker_process, fake_twilio
):
    request, coordinator, first, _ = class_with_two_mentors
    worker = celery_worker_process()
    match = invited(request, coordinator, first, worker)
    services.confirm_match(match_id=match.pk, via="sms")
    _starts_in(match.session_id, timedelta(hours=5))

    run_on_worker(queue_due_reminders, worker)
    run_on_worker(queue_due_reminders, worker)  # beat asks again a minute later: nothing new

    reminder = wait_for(lambda: [m for m in fake_twilio.messages if m["body"].startswith("Mentorbridge reminder:")],
                        message=f"the reminder text\n{worker.log[-3000:]}")
    assert [m["to"] for m in reminder] == [FIRST]
    assert Notification.objects.filter(match=match, kind__startswith="reminder").count() == 1


def test_a_reschedule_sends_the_booked_mentor_an_update_with_a_raised_sequence(
    class_with_two_mentors, celery_worker_process, fake_twilio, api, tmp_path, settings
):
    settings.RECONFIRM_MARGIN_MINUTES = 60 * 24 * 365  # a move the mentor keeps without reconfirming
    request, coordinator, first, _ = class_with_two_mentors
    worker = celery_worker_process()
    match = invited(request, coordinator, first, worker)
    services.confirm_match(match_id=match.pk, via="sms")
    start, end = class_time(next_weekday(21), hour=13)

    response = api(request.teacher.user).post(f"/api/requests/{request.pk}/reschedule/", {
        "intervals": [[start.isoformat(), end.isoformat()]]}, format="json")

    assert response.status_code == 200, response.content
    updates = Notification.objects.filter(match=match, kind="update")
    wait_for(lambda: updates.exists() and not updates.exclude(status="sent").exists(),
             message=f"the update text and email\n{worker.log[-3000:]}")
    assert [m["to"] for m in fake_twilio.messages if m["to"] == FIRST and "1:00 PM" in m["body"]] == [FIRST]
    [event] = Calendar.from_ical(updates.get(channel="email").ics).walk("VEVENT")
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == start
    assert Match.objects.get(pk=match.pk).status == "confirmed"


def _starts_in(session_id, delay):
    """Move a session so it starts `delay` from now (a class booked weeks ago, whose day has come)."""
    session = Session.objects.get(pk=session_id)
    shift = timezone.now() + delay - session.starts_at
    SessionInterval.objects.filter(session=session).update(starts_at=F("starts_at") + shift,
                                                           ends_at=F("ends_at") + shift)
    Session.objects.filter(pk=session_id).update(starts_at=F("starts_at") + shift, ends_at=F("ends_at") + shift)
