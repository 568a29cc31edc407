"""Replies understood as a person means them: first word, numbered lists, backing out, reconfirming."""
from datetime import timedelta

import pytest

from notifications.inbound import STOP_WORDS
from notifications.models import Notification
from notifications.tests.test_inbound import PHONE, last, reply
from scheduling import messages
from scheduling import requests as request_flow
from scheduling import services as scheduling
from scheduling.models import Match
from scheduling.tests.factories import next_weekday

pytestmark = pytest.mark.django_db


def status(match):
    return Match.objects.get(pk=match.pk).status


@pytest.fixture
def two_invitations(approved, propose, coordinator):
    first = approved(phone=PHONE)
    second = propose(mentor=first.mentor, request_fields={"day": next_weekday(14), "topic": "Coding club"})
    scheduling.approve_match(match_id=second.pk, actor=coordinator.user)
    return first, second


@pytest.fixture
def confirmed(approved):
    match = approved(phone=PHONE)
    return scheduling.confirm_match(match_id=match.pk, actor=match.mentor.user)


def test_yes_please_confirms_the_one_invitation(approved):
    match = approved(phone=PHONE)
    assert "confirmed" in reply("Yes please!")
    assert status(match) == "confirmed"


def test_a_bare_number_right_after_a_numbered_list_answers_that_list(two_invitations):
    first, second = two_invitations
    assert "NO 2 for Coding club" in reply("no")
    reply("2")
    assert (status(first), status(second)) == ("approved", "declined")


def test_a_bare_number_without_a_list_before_it_decides_nothing(two_invitations):
    first, second = two_invitations
    reply("2")
    assert last().needs_review and last().handled_as == "unrecognised"
    assert (status(first), status(second)) == ("approved", "approved")


@pytest.mark.parametrize("body", ["yes no", "Yes but I can't", "yes, maybe", "no... yes"])
def test_nothing_ambiguous_confirms_anything(approved, body):
    match = approved(phone=PHONE)
    reply(body)
    assert status(match) == "approved"
    assert last().needs_review


def test_no_after_confirmation_asks_for_a_word_that_is_not_an_opt_out_keyword(confirmed):
    answer = reply("NO")
    assert "Reply DROP" in answer
    assert not set(answer.upper().replace(".", " ").replace(",", " ").split()) & STOP_WORDS
    assert status(confirmed) == "confirmed"


def test_drop_after_that_question_cancels_and_seeks_a_replacement(confirmed, django_capture_on_commit_callbacks):
    reply("no")
    with django_capture_on_commit_callbacks() as callbacks:
        assert "no longer booked" in reply("Drop")
    assert status(confirmed) == "cancelled"
    assert confirmed.transitions.last().via == "sms"
    assert any("backfill" in repr(c) or "queue_task" in repr(c) for c in callbacks)


def test_drop_out_of_the_blue_asks_first(confirmed):
    assert "Reply DROP" in reply("DROP")
    assert status(confirmed) == "confirmed"


def test_reminders_say_how_to_back_out(confirmed):
    interval = confirmed.session.intervals.first()
    row = messages.queue_reminder(confirmed, interval, "24h")
    assert "Reply NO" in row.body


def test_a_move_beyond_the_margin_asks_the_confirmed_mentor_to_reconfirm_with_old_and_new_time(confirmed):
    session = confirmed.session
    old = messages.when(session, confirmed.mentor.timezone)
    later = timedelta(hours=3)
    request_flow.reschedule_request(
        request_id=session.request_id, actor=session.request.teacher.user,
        intervals=[(i.starts_at + later, i.ends_at + later) for i in session.intervals.all()],
    )
    assert status(confirmed) == "invited"
    session.refresh_from_db()
    text = Notification.objects.get(match=confirmed, kind="reconfirm", channel="sms").body
    assert old in text and messages.when(session, confirmed.mentor.timezone) in text and "Reply YES" in text
    reply("yes")
    assert status(confirmed) == "confirmed"


def test_a_small_move_keeps_the_mentor_confirmed(confirmed):
    session = confirmed.session
    later = timedelta(minutes=15)
    request_flow.reschedule_request(
        request_id=session.request_id, actor=session.request.teacher.user,
        intervals=[(i.starts_at + later, i.ends_at + later) for i in session.intervals.all()],
    )
    assert status(confirmed) == "confirmed"
    assert Notification.objects.filter(match=confirmed, kind="update", channel="sms").exists()


def test_a_teacher_who_cancels_their_own_request_is_not_told_the_mentor_dropped_out(confirmed):
    request = confirmed.session.request
    scheduling.cancel_request(request_id=request.pk, actor=request.teacher.user, reason="field trip")
    to_teacher = Notification.objects.filter(to=request.teacher.user.email, kind="cancelled_to_teacher")
    assert not to_teacher.exists()
    assert Notification.objects.filter(match=confirmed, kind="cancelled", channel="sms").exists()
