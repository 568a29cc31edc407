"""Every message true when it lands: a text held through the night is checked again before it goes."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from notifications import services
from notifications.models import Notification
from scheduling import services as scheduling
from scheduling.models import Match, Session

pytestmark = pytest.mark.django_db
N = Notification.Status
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def clock(monkeypatch, settings):
    """`clock(hour, minute)`: the time is that, in New York, tomorrow (quiet hours 21-8 are on)."""
    settings.SMS_QUIET_HOURS = [21, 8]
    day = timezone.localdate() + timedelta(days=1)

    def set_to(hour, minute=0, days=0):
        moment = datetime.combine(day + timedelta(days=days), time(hour, minute), NEW_YORK)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_to


def rows(match, kind, channel):
    return Notification.objects.filter(match=match, kind=kind, channel=channel)


def deliver_all(match):
    """What the morning's workers do: every due row of the match, the cancellation first (it was written last
    but is due with the rest)."""
    for row in Notification.objects.filter(match=match).order_by("-pk"):
        services.deliver_notification(row.pk)


def test_a_match_cancelled_overnight_sends_neither_the_invitation_text_nor_its_cancellation(
    clock, approved, fake_twilio
):
    clock(22, 0)
    match = approved()
    services.deliver_notification(rows(match, "invitation", "email").get().pk)  # emails are not held
    clock(22, 31)
    scheduling.cancel_match(match_id=match.pk, reason="the class trip moved")
    clock(8, 0, days=1)
    deliver_all(match)
    assert fake_twilio.messages == []
    invitation = rows(match, "invitation", "sms").get()
    assert invitation.status == N.WITHDRAWN and "cancelled" in invitation.withdrawn_reason
    cancellation = rows(match, "cancelled", "sms").get()
    assert cancellation.status == N.WITHDRAWN and "never heard" in cancellation.withdrawn_reason
    # The email invitation went out, so the email cancellation does too.
    assert rows(match, "cancelled", "email").get().status == N.SENT


def test_a_message_no_longer_true_at_send_time_is_withdrawn_even_if_the_change_missed_it(
    clock, approved, fake_twilio
):
    clock(22, 0)
    match = approved()
    Match.objects.filter(pk=match.pk).update(status=Match.Status.CANCELLED)  # a change that superseded nothing
    clock(8, 0, days=1)
    services.deliver_notification(rows(match, "invitation", "sms").get().pk)
    assert fake_twilio.messages == []
    assert rows(match, "invitation", "sms").get().withdrawn_reason == "the match is now cancelled"


def test_a_mentor_who_accepted_on_the_web_at_night_gets_no_reply_yes_text_in_the_morning(
    clock, approved, fake_twilio
):
    clock(23, 0)
    match = approved()
    scheduling.confirm_match(match_id=match.pk, actor=match.mentor.user)
    clock(8, 0, days=1)
    deliver_all(match)
    assert not any("Reply YES" in message["body"] for message in fake_twilio.messages)
    assert rows(match, "invitation", "sms").get().status == N.WITHDRAWN


def test_an_invitation_for_a_session_that_has_started_is_withdrawn(clock, approved, fake_twilio):
    clock(23, 0)
    match = approved()
    morning = clock(8, 0, days=1)
    Session.objects.filter(pk=match.session_id).update(starts_at=morning - timedelta(minutes=5))
    services.deliver_notification(rows(match, "invitation", "sms").get().pk)
    assert fake_twilio.messages == []
    assert rows(match, "invitation", "sms").get().withdrawn_reason == "the session had already started"


def test_the_answer_window_starts_when_the_text_goes_out_not_when_it_was_queued(
    clock, approved, fake_twilio, settings
):
    clock(22, 0)
    match = approved()
    services.deliver_notification(rows(match, "invitation", "email").get().pk)
    morning = clock(8, 0, days=1)
    services.deliver_notification(rows(match, "invitation", "sms").get().pk)
    assert len(fake_twilio.messages) == 1
    match.refresh_from_db()
    assert match.status == Match.Status.INVITED
    assert match.respond_by == morning + timedelta(hours=settings.INVITATION_TTL_HOURS)


def test_coordinators_see_on_the_match_which_messages_are_held_and_until_when(
    clock, approved, api, coordinator
):
    clock(22, 0)
    match = approved()
    listed = api(coordinator.user).get(f"/api/matches/{match.pk}/messages/").json()
    held = [row for row in listed if row["held_until"]]
    assert [(row["kind"], row["channel"]) for row in held] == [("invitation", "sms")]
    assert datetime.fromisoformat(held[0]["held_until"]) == clock(8, 0, days=1)
    assert api(match.mentor.user).get(f"/api/matches/{match.pk}/messages/").status_code == 403
