"""No routine text at night in the recipient's timezone; reminders 24 h and 2 h before, each once; a send rate."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import redis
from django.utils import timezone

from notifications import quiet_hours, ratelimit, services
from notifications.models import Notification
from scheduling import reminders, tasks
from scheduling import services as scheduling
from testsupport.races import race

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
N = Notification.Status


@pytest.fixture
def quiet(settings):
    settings.SMS_QUIET_HOURS = [21, 8]


def at(zone, *args):
    return datetime(*args, tzinfo=zone)


# Quiet hours


@pytest.mark.parametrize("local, held_until", [
    ((2027, 3, 2, 20, 59), None),
    ((2027, 3, 2, 21, 0), (2027, 3, 3, 8, 0)),
    ((2027, 3, 2, 23, 30), (2027, 3, 3, 8, 0)),
    ((2027, 3, 3, 0, 15), (2027, 3, 3, 8, 0)),
    ((2027, 3, 3, 7, 59), (2027, 3, 3, 8, 0)),
    ((2027, 3, 3, 8, 0), None),
    ((2027, 3, 13, 23, 0), (2027, 3, 14, 8, 0)),  # the night clocks spring forward: 8 am EDT
])
def test_a_routine_text_at_night_is_held_until_8_am_local(quiet, local, held_until):
    expected = at(NEW_YORK, *held_until) if held_until else None
    assert quiet_hours.hold_until(at(NEW_YORK, *local), "America/New_York") == expected


def test_the_same_moment_is_night_in_new_york_but_evening_in_california(quiet):
    moment = at(NEW_YORK, 2027, 3, 2, 22, 0)  # 7 pm in Los Angeles
    assert quiet_hours.hold_until(moment, "America/New_York") == at(NEW_YORK, 2027, 3, 3, 8, 0)
    assert quiet_hours.hold_until(moment, "America/Los_Angeles") is None


def test_a_text_queued_at_night_is_held_and_not_sent_until_morning(quiet, fake_twilio, monkeypatch):
    night = at(NEW_YORK, 2027, 3, 2, 23, 0)
    monkeypatch.setattr(timezone, "now", lambda: night)
    row = services.queue_notification(key="k", channel="sms", kind="t", to="+15185550111", body="hi",
                                      recipient_tz="America/New_York")
    assert row.not_before == at(NEW_YORK, 2027, 3, 3, 8, 0)
    services.deliver_notification(row.pk)
    assert fake_twilio.messages == []
    monkeypatch.setattr(timezone, "now", lambda: at(NEW_YORK, 2027, 3, 3, 8, 1))
    assert services.requeue_pending(older_than=timedelta(0)) == 1
    services.deliver_notification(row.pk)
    assert len(fake_twilio.messages) == 1


def test_an_urgent_text_goes_at_night(quiet, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(NEW_YORK, 2027, 3, 2, 23, 0))
    row = services.queue_notification(key="k", channel="sms", kind="t", to="+15185550111", body="hi",
                                      recipient_tz="America/New_York", urgent=True)
    assert row.not_before is None


def test_emails_are_not_held(quiet, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(NEW_YORK, 2027, 3, 2, 23, 0))
    row = services.queue_notification(key="k", channel="email", kind="t", to="a@example.org", body="hi",
                                      recipient_tz="America/New_York")
    assert row.not_before is None


def test_an_invitation_approved_at_night_is_held_in_the_mentors_own_timezone(quiet, approved, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(NEW_YORK, 2027, 3, 2, 23, 30))
    match = approved(timezone="America/Los_Angeles")  # 8:30 pm there: not yet quiet
    assert Notification.objects.get(match=match, channel="sms").not_before is None
    match = approved(timezone="America/New_York")
    assert Notification.objects.get(match=match, channel="sms").not_before == at(NEW_YORK, 2027, 3, 3, 8, 0)


# Reminders


@pytest.fixture
def confirmed(approved):
    match = approved()
    scheduling.confirm_match(match_id=match.pk)
    match.refresh_from_db()
    return match


def reminder_rows(match):
    return sorted(Notification.objects.filter(match=match, kind__startswith="reminder").values_list("kind", flat=True))


def test_reminders_go_24_hours_and_2_hours_before_and_each_only_once(confirmed):
    starts = confirmed.session.intervals.get().starts_at
    assert reminders.queue_due_reminders(now=starts - timedelta(hours=25)) == 0
    assert reminders.queue_due_reminders(now=starts - timedelta(hours=23, minutes=55)) == 1
    assert reminders.queue_due_reminders(now=starts - timedelta(hours=20)) == 0
    assert reminder_rows(confirmed) == ["reminder_24h"]
    assert reminders.queue_due_reminders(now=starts - timedelta(hours=1, minutes=58)) == 1
    assert reminders.queue_due_reminders(now=starts - timedelta(hours=1)) == 0
    assert reminders.queue_due_reminders(now=starts + timedelta(minutes=1)) == 0
    assert reminder_rows(confirmed) == ["reminder_24h", "reminder_2h"]
    text = Notification.objects.get(match=confirmed, kind="reminder_2h")
    assert text.channel == "sms" and text.to == confirmed.mentor.phone
    assert "Mentorbridge reminder: Build a line-following robot" in text.body


def test_only_confirmed_bookings_are_reminded(approved):
    match = approved()  # approved, not confirmed
    starts = match.session.intervals.get().starts_at
    assert reminders.queue_due_reminders(now=starts - timedelta(hours=1)) == 0


def test_a_rescheduled_session_is_reminded_again_for_its_new_time(confirmed):
    interval = confirmed.session.intervals.get()
    reminders.queue_due_reminders(now=interval.starts_at - timedelta(hours=1))
    interval.starts_at += timedelta(days=1)
    interval.ends_at += timedelta(days=1)
    interval.save()
    assert reminders.queue_due_reminders(now=interval.starts_at - timedelta(hours=1)) == 1


def test_a_mentor_without_texts_is_reminded_by_email(approved):
    match = approved(sms_consent_at=None)
    scheduling.confirm_match(match_id=match.pk)
    starts = match.session.intervals.get().starts_at
    reminders.queue_due_reminders(now=starts - timedelta(hours=1))
    row = Notification.objects.get(match=match, kind="reminder_2h")
    assert (row.channel, row.to) == ("email", match.mentor.user.email)


def test_a_2_hour_reminder_that_quiet_hours_would_push_past_the_start_is_skipped(quiet, approved, propose,
                                                                                coordinator):
    match = propose(request_fields={"hour": 8})  # an 8 am class: its 2 h reminder falls at 6 am
    scheduling.approve_match(match_id=match.pk, actor=coordinator.user)
    scheduling.confirm_match(match_id=match.pk)
    starts = match.session.intervals.get().starts_at
    assert reminders.queue_due_reminders(now=starts - timedelta(hours=2)) == 0


def test_the_reminder_task_runs_in_one_transaction(confirmed, monkeypatch):
    starts = confirmed.session.intervals.get().starts_at
    monkeypatch.setattr(timezone, "now", lambda: starts - timedelta(hours=1))
    assert tasks.queue_due_reminders() == 1
    assert tasks.queue_due_reminders() == 0


# The shared send rate


@pytest.fixture
def bucket(redis_server):
    """Five tokens a second on this test's own Redis."""
    return ratelimit.TokenBucket(redis_server.url(), rate=5, key="test:bucket")


def test_the_bucket_gives_its_capacity_at_once_then_says_how_long_to_wait(bucket):
    assert [bucket.take() for _ in range(5)] == [0.0] * 5
    wait = bucket.take()
    assert 0 < wait <= 0.2 + 1e-6


def test_many_workers_taking_at_once_never_get_more_than_the_bucket_holds(redis_server):
    # Five saved up and a refill so slow (one token in 1,000 s) that no run is slow enough to see it.
    bucket = ratelimit.TokenBucket(redis_server.url(), rate=0.001, capacity=5, key="test:bucket")
    [played] = race(*[bucket.take] * 20)
    assert played.codes == ["ok"] * 20
    assert sum(outcome.value == 0 for outcome in played.outcomes) == 5


def test_acquire_waits_for_the_next_token_and_gives_up_past_its_limit(bucket):
    for _ in range(5):
        bucket.take()
    assert bucket.acquire(max_wait=0.01) is False
    assert bucket.acquire(max_wait=2) is True


def test_the_configured_rate_makes_a_bucket_on_the_brokers_redis(settings):
    settings.TWILIO_MESSAGES_PER_SECOND = 3
    bucket = ratelimit.sms_bucket()
    assert (bucket.rate, bucket.capacity) == (3, 3)
    settings.TWILIO_MESSAGES_PER_SECOND = 0
    assert ratelimit.sms_bucket() is None


def test_a_send_waits_for_the_shared_rate_limit(settings, fake_twilio, monkeypatch, bucket):
    settings.TWILIO_MESSAGES_PER_SECOND = 5
    for _ in range(5):
        bucket.take()  # every token is spent
    monkeypatch.setattr(ratelimit, "sms_bucket", lambda: bucket)
    monkeypatch.setattr(services, "RATE_WAIT_SECONDS", 0.01)
    row = services.queue_notification(key="k", channel="sms", kind="t", to="+15185550111", body="hi")
    assert services.deliver_notification(row.pk) == services.RATE_RETRY_SECONDS
    row.refresh_from_db()
    assert (row.status, row.attempts) == (N.PENDING, 0)  # not claimed, not counted
    assert fake_twilio.messages == []


def test_the_rate_limit_fails_open_when_redis_cannot_be_asked(settings, monkeypatch):
    settings.TWILIO_MESSAGES_PER_SECOND = 1

    class Broken:
        def acquire(self, max_wait):
            raise redis.ConnectionError("down")

    monkeypatch.setattr(ratelimit, "sms_bucket", lambda: Broken())
    assert ratelimit.acquire_send_slot(1) is True
