"""The outbox: one row per key, queued after commit, claimed once, sent at most once, never silently lost.

These run the real Twilio SDK against the local Twilio-compatible server (`fake_twilio`).
"""
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from mentors.tests.factories import MentorFactory
from notifications import services, tasks
from notifications.delivery_status import record_delivery_status
from notifications.models import Notification, SmsOptOut
from notifications.sms import twilio as twilio_backend
from testsupport.races import race

pytestmark = pytest.mark.django_db
N = Notification.Status
PHONE = "+15185550123"


def text(key="k1", to=PHONE, body="Mentorbridge: hello", **fields):
    return services.queue_notification(key=key, channel="sms", kind="test", to=to, body=body, **fields)


def deliver(notification):
    return services.deliver_notification(notification.pk)


def refreshed(notification):
    notification.refresh_from_db()
    return notification


def creates(fake):
    return [r for r in fake.requests if r["method"] == "POST"]


@pytest.fixture
def queued(monkeypatch):
    """Task ids handed to the broker (apply_async is replaced; the worker tests use the real one)."""
    calls = []
    for task in (tasks.send_notification, tasks.send_notifications, tasks.settle_notification_task):
        monkeypatch.setattr(task, "apply_async", lambda args, countdown=None, _t=task: calls.append(
            (_t.name, args[0], countdown)))
    return calls


# Writing rows


def test_a_second_write_of_the_same_key_is_a_no_op(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = text(body="Mentorbridge: one")
        second = text(body="Mentorbridge: two")
    assert first.pk == second.pk
    assert Notification.objects.get().body == "Mentorbridge: one"
    assert queued == [("notifications.send_notification", first.pk, None)]


def test_a_new_row_is_written_in_one_statement_and_a_repeat_in_two(queued, django_assert_num_queries):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: a change that notifies many writes a row a round trip;
    a repeated key adds the read of the row that was there, and changes nothing in it."""
    with transaction.atomic():
        with django_assert_num_queries(1):
            first = text(body="Mentorbridge: one")
        with django_assert_num_queries(2):
            again = text(body="Mentorbridge: two")
    assert again.pk == first.pk and not again._state.adding
    row = Notification.objects.get()
    assert (row.body, row.status, row.attempts) == ("Mentorbridge: one", "pending", 0)
    assert row.created_at is not None and row.updated_at is not None


def test_the_send_is_queued_only_after_the_transaction_commits(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        text()
    assert queued == []
    for callback in callbacks:
        callback()
    assert len(queued) == 1


def test_a_rolled_back_change_writes_no_row_and_queues_nothing(queued):
    with pytest.raises(RuntimeError), transaction.atomic():
        text()
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()
    assert queued == []


def test_rows_written_in_one_transaction_are_queued_after_it_commits_in_tasks_of_a_batch_each(
    queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rows = [text(key=f"k{n}", to=f"+151855501{n:02d}").pk for n in range(services.SEND_BATCH_SIZE + 5)]
    assert queued == []
    for callback in callbacks:
        callback()
    assert [name for name, _, _ in queued] == ["notifications.send_notifications"] * 2
    batches = [[row_id for row_id, _ in batch] for _, batch, _ in queued]
    assert batches == [rows[:services.SEND_BATCH_SIZE], rows[services.SEND_BATCH_SIZE:]]


def test_a_row_written_after_a_rolled_back_savepoint_is_still_queued(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            text(key="undone")  # the first row of the transaction, and its callback, are rolled back
            raise RuntimeError("this part of the change failed")
        kept = text(key="kept")
        also = text(key="also", to="+15185550124")
    assert queued == [("notifications.send_notifications", [(kept.pk, "sms"), (also.pk, "sms")], None)]


def test_a_batch_sends_each_row_once_by_its_own_claim(fake_twilio):
    rows = [text(key=f"k{n}", to=f"+151855501{n:02d}") for n in range(3)]
    assert services.deliver_notifications([(row.pk, "sms") for row in rows] * 2) == ([], [])
    assert sorted(m["to"] for m in fake_twilio.messages) == sorted(row.to for row in rows)
    assert {refreshed(row).status for row in rows} == {N.SENT}


def test_a_batch_out_of_time_hands_on_the_rows_it_did_not_begin(fake_twilio):
    rows = [(text(key=f"k{n}", to=f"+151855501{n:02d}").pk, "sms") for n in range(3)]
    assert services.deliver_notifications(rows, budget=0) == ([], rows)
    assert fake_twilio.messages == []
    assert set(Notification.objects.values_list("status", flat=True)) == {N.PENDING}


def test_one_rows_fault_does_not_hold_back_the_rest_of_its_batch(fake_twilio, monkeypatch):
    broken, fine = text(key="broken", stands_for="x"), text(key="fine", to="+15185550124")
    monkeypatch.setattr(services, "_still_stands", mock.Mock(side_effect=RuntimeError("a bug in one message")))
    assert services.deliver_notifications([(broken.pk, "sms"), (fine.pk, "sms")]) == ([], [])
    assert refreshed(broken).status == N.SENDING  # cut off: the sweeper settles it by asking Twilio
    assert refreshed(fine).status == N.SENT


def test_a_rate_limited_row_of_a_batch_is_handed_back_with_its_delay(fake_twilio):
    fake_twilio.script([429])
    first, second = text(key="a"), text(key="b", to="+15185550124")
    retries, rest = services.deliver_notifications([(first.pk, "sms"), (second.pk, "sms")])
    [(row_id, channel, delay)] = retries
    assert (row_id, channel, rest) == (first.pk, "sms", [])
    assert delay > 0
    assert (refreshed(first).status, refreshed(second).status) == (N.PENDING, N.SENT)


def test_a_broker_outage_while_queueing_is_swallowed_and_the_row_stays_pending(monkeypatch):
    monkeypatch.setattr(tasks.send_notification, "apply_async", mock.Mock(side_effect=OSError("redis down")))
    notification = text()
    services.enqueue_send(notification.pk)
    assert refreshed(notification).status == N.PENDING


# Claiming and sending


def test_a_text_is_sent_through_twilio_once_and_recorded(fake_twilio):
    notification = text()
    assert deliver(notification) is None
    deliver(notification)  # a duplicate task finds nothing to do
    [message] = fake_twilio.messages
    assert (message["to"], message["body"]) == (PHONE, "Mentorbridge: hello")
    assert message["status_callback"] == f"{settings.PUBLIC_BASE_URL}/webhooks/twilio/status/?n={notification.pk}"
    notification = refreshed(notification)
    assert (notification.status, notification.provider_id, notification.attempts) == (N.SENT, message["sid"], 1)


def test_it_sends_through_a_messaging_service_when_one_is_configured(fake_twilio, settings):
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "1" * 32
    deliver(text())
    [message] = fake_twilio.messages
    assert message["messaging_service_sid"] == "MG" + "1" * 32
    assert message["from_"] is None


@pytest.mark.django_db(transaction=True)
def test_only_one_of_many_concurrent_workers_wins_the_claim():
    notification = text()
    [played] = race(*[lambda: services.claim(notification.pk)] * 8)
    assert played.codes == ["ok"] * 8
    assert sum(bool(outcome.value) for outcome in played.outcomes) == 1


def test_a_row_held_for_later_is_not_sent_before_its_time(fake_twilio):
    notification = text(not_before=timezone.now() + timedelta(hours=1))
    deliver(notification)
    assert fake_twilio.messages == []
    assert refreshed(notification).status == N.PENDING


def test_a_number_that_replied_stop_gets_nothing_and_the_row_says_why(fake_twilio):
    SmsOptOut.objects.create(phone=PHONE)
    notification = text()
    deliver(notification)
    assert creates(fake_twilio) == []
    assert refreshed(notification).status == N.SUPPRESSED
    assert "STOP" in notification.error


def test_a_number_flagged_invalid_is_never_tried_again(fake_twilio):
    MentorFactory(phone=PHONE, phone_invalid_at=timezone.now())
    notification = text()
    deliver(notification)
    assert creates(fake_twilio) == []
    assert refreshed(notification).status == N.FAILED


# Twilio's errors


def test_21610_suppresses_the_text_and_records_the_opt_out(fake_twilio):
    fake_twilio.script([21610])
    notification = text()
    deliver(notification)
    assert (refreshed(notification).status, notification.error_code) == (N.SUPPRESSED, "21610")
    assert SmsOptOut.objects.filter(phone=PHONE).exists()
    assert len(creates(fake_twilio)) == 1


@pytest.mark.parametrize("code", [21211, 21614])
def test_a_bad_number_fails_once_flags_the_profile_and_is_never_retried(fake_twilio, code, queued):
    mentor = MentorFactory(phone=PHONE)
    fake_twilio.script([code])
    notification = text()
    assert deliver(notification) is None
    assert (refreshed(notification).status, notification.error_code) == (N.FAILED, str(code))
    mentor.refresh_from_db()
    assert mentor.phone_invalid_at is not None
    assert not mentor.can_be_texted
    services.requeue_pending(now=timezone.now() + timedelta(hours=1))
    deliver(notification)
    assert len(creates(fake_twilio)) == 1


def test_a_rate_limited_send_is_retried_later_with_jittered_backoff_and_then_sent(fake_twilio):
    fake_twilio.script([429, 429])
    notification = text()
    delays = []
    for _ in range(3):
        delay = deliver(notification)
        if delay is None:
            break
        delays.append(delay)
        assert refreshed(notification).status == N.PENDING
        Notification.objects.filter(pk=notification.pk).update(not_before=timezone.now())
    assert refreshed(notification).status == N.SENT
    assert len(creates(fake_twilio)) == 3
    assert len(fake_twilio.messages) == 1
    for attempt, delay in enumerate(delays, start=1):
        assert 0 <= delay <= min(services.BACKOFF_CAP_SECONDS, services.BACKOFF_BASE_SECONDS * 2**attempt)


def test_backoff_never_reaches_the_brokers_visibility_timeout():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert max(services.backoff_seconds(n) for n in range(40) for _ in range(20)) <= services.BACKOFF_CAP_SECONDS
    assert visibility / 2 > services.BACKOFF_CAP_SECONDS
    assert visibility / 2 > services.SETTLE_DELAY_SECONDS


def test_rate_limits_give_up_after_the_last_attempt_and_a_coordinator_is_told(fake_twilio):
    fake_twilio.script([429] * services.MAX_ATTEMPTS)
    notification = text()
    for _ in range(services.MAX_ATTEMPTS):
        Notification.objects.filter(pk=notification.pk).update(not_before=None)
        deliver(notification)
    assert refreshed(notification).status == N.NEEDS_ATTENTION
    assert notification.error_code == "20429"


@pytest.mark.parametrize("script", [
    {"kind": "server_error"},  # 500: Twilio made nothing
    {"kind": "server_error", "create": True},  # 500, yet the message exists
    {"kind": "drop"},
    {"kind": "drop", "create": True},
])
def test_an_ambiguous_failure_is_never_blindly_repeated_but_settled_by_asking_twilio(fake_twilio, queued, script):
    fake_twilio.script([script])
    notification = text()
    assert deliver(notification) is None
    assert refreshed(notification).status == N.SENDING  # not retried: we do not know yet
    assert [name for name, *_ in queued][-1] == "notifications.settle_notification"
    settle_countdown = queued[-1][2]
    assert services.SETTLE_DELAY_SECONDS <= settle_countdown <= services.BACKOFF_CAP_SECONDS

    services.settle_notification(notification.pk)
    if script.get("create"):
        assert refreshed(notification).status == N.SENT
        assert notification.provider_id == fake_twilio.messages[0]["sid"]
    else:
        assert refreshed(notification).status == N.PENDING
        deliver(notification)
        assert refreshed(notification).status == N.SENT
    assert len(fake_twilio.messages) == 1


def test_a_timeout_mid_call_is_ambiguous(fake_twilio, queued, monkeypatch):
    monkeypatch.setattr(twilio_backend, "SEND_TIMEOUT_SECONDS", 0.5)
    fake_twilio.script([{"kind": "hang", "seconds": 3, "create": True}])
    notification = text()
    deliver(notification)
    assert refreshed(notification).status == N.SENDING
    services.settle_notification(notification.pk)
    assert refreshed(notification).status == N.SENT
    assert len(fake_twilio.messages) == 1


def test_twilio_being_unreachable_before_connecting_is_safely_retried(settings, queued):
    settings.SMS_BACKEND = "notifications.sms.twilio.SmsBackend"
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    notification = text()
    delay = deliver(notification)
    assert delay is not None
    assert refreshed(notification).status == N.PENDING


# Settling sends that were cut off (a worker killed mid-call)


def cut_off(notification, minutes_ago=10):
    """The state a worker killed after its claim leaves behind."""
    Notification.objects.filter(pk=notification.pk).update(
        status=N.SENDING, attempts=1, claimed_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return refreshed(notification)


def test_the_sweeper_settles_a_cut_off_send_that_reached_twilio_as_sent_without_sending_again(fake_twilio):
    notification = text()
    fake_twilio.client().messages.create(to=PHONE, from_="+15005550006", body=notification.body)
    cut_off(notification)
    assert services.settle_interrupted_sends() == 1
    assert refreshed(notification).status == N.SENT
    assert len(creates(fake_twilio)) == 1


def test_the_sweeper_sends_a_cut_off_send_that_never_reached_twilio_exactly_once(fake_twilio):
    notification = cut_off(text())
    services.settle_interrupted_sends()
    assert refreshed(notification).status == N.PENDING
    deliver(notification)
    deliver(notification)
    assert refreshed(notification).status == N.SENT
    assert len(fake_twilio.messages) == 1


def test_the_sweeper_leaves_a_live_send_alone():
    notification = cut_off(text(), minutes_ago=0)
    assert services.settle_interrupted_sends() == 0
    assert refreshed(notification).status == N.SENDING


def test_two_identical_texts_to_one_number_are_each_settled_by_their_own_message(fake_twilio):
    first = text(key="a", body="Mentorbridge reminder: same words")
    second = text(key="b", body="Mentorbridge reminder: same words")
    deliver(first)  # sent and recorded
    cut_off(second)  # killed before its call: Twilio has only the first one's message
    services.settle_interrupted_sends()
    assert refreshed(second).status == N.PENDING  # the first's message is not mistaken for its own
    deliver(second)
    assert {refreshed(first).provider_id, refreshed(second).provider_id} == {m["sid"] for m in fake_twilio.messages}
    assert len(fake_twilio.messages) == 2


def test_an_older_identical_message_is_not_taken_for_a_new_send(fake_twilio):
    old = text(key="old", body="Mentorbridge: same words")
    deliver(old)
    Notification.objects.filter(pk=old.pk).update(provider_id="")  # even if we had lost track of it
    new = text(key="new", body="Mentorbridge: same words")
    new = cut_off(new, minutes_ago=3)
    Notification.objects.filter(pk=new.pk).update(claimed_at=timezone.now() + timedelta(minutes=20))
    services.settle_notification(new.pk)
    assert refreshed(new).status == N.PENDING


def test_settling_waits_while_an_identical_text_is_still_being_sent(fake_twilio):
    first = text(key="a", body="Mentorbridge: same words")
    second = text(key="b", body="Mentorbridge: same words")
    cut_off(first)
    cut_off(second, minutes_ago=0)  # live: its message, once made, must not be taken by the first
    assert services.settle_notification(first.pk) is False
    assert refreshed(first).status == N.SENDING


def test_a_send_cut_off_too_many_times_is_handed_to_a_coordinator(fake_twilio):
    notification = cut_off(text())
    Notification.objects.filter(pk=notification.pk).update(attempts=services.MAX_ATTEMPTS)
    services.settle_interrupted_sends()
    assert refreshed(notification).status == N.NEEDS_ATTENTION


def test_when_twilio_cannot_be_asked_the_row_waits_and_is_handed_over_after_a_day(fake_twilio, monkeypatch):
    notification = cut_off(text())
    fake_twilio.stop()
    assert services.settle_notification(notification.pk) is False
    assert refreshed(notification).status == N.SENDING
    assert services.settle_notification(notification.pk, now=timezone.now() + timedelta(days=2)) is True
    assert refreshed(notification).status == N.NEEDS_ATTENTION


def test_a_cut_off_email_is_sent_again(mailoutbox):
    notification = services.queue_notification(key="e", channel="email", kind="test", to="a@example.org",
                                               subject="Hi", body="Hello")
    cut_off(notification)
    services.settle_interrupted_sends()
    deliver(notification)
    assert refreshed(notification).status == N.SENT
    assert len(mailoutbox) == 1


# The sweeper re-queues what the broker lost


def test_the_sweeper_requeues_pending_rows_whose_task_was_lost_and_not_again_at_once(queued):
    notification = text()
    queued.clear()
    later = timezone.now() + timedelta(minutes=5)
    assert services.requeue_pending(now=later) == 1
    assert queued == [("notifications.send_notification", notification.pk, None)]
    assert services.requeue_pending(now=later) == 0


def test_the_sweep_task_settles_and_requeues(queued):
    cut_off(text(key="a"), minutes_ago=30)
    text(key="b")
    Notification.objects.filter(key="b").update(updated_at=timezone.now() - timedelta(minutes=10))
    with mock.patch("notifications.sms.locmem.SmsBackend.find_sent", return_value=[]):
        assert tasks.sweep_outbox() == {"settled": 1, "requeued": 1}


def test_beat_runs_the_sweeper_and_the_reminders():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["notifications.sweep_outbox"] <= 60
    assert schedule["scheduling.queue_due_reminders"] <= 300


def test_the_claim_timeout_outlasts_any_live_send():
    assert services.claim_timeout().total_seconds() > tasks.send_notification.time_limit
    assert tasks.send_notification.time_limit > twilio_backend.SEND_TIMEOUT_SECONDS + services.RATE_WAIT_SECONDS


def test_a_batch_begins_its_last_send_well_inside_its_time_limit():
    one_send = twilio_backend.SEND_TIMEOUT_SECONDS + services.RATE_WAIT_SECONDS
    assert tasks.send_notifications.time_limit > services.SEND_BATCH_SECONDS + one_send


# After a send


def test_a_sent_invitation_starts_the_mentors_clock(approved, fake_twilio):
    match = approved()
    invitation = Notification.objects.get(match=match, channel="sms")
    deliver(invitation)
    match.refresh_from_db()
    assert match.status == "invited"
    assert match.respond_by is not None


def test_coordinators_see_their_alliances_messages_that_need_attention(api, approved, coordinator):
    match = approved()
    other = approved()
    Notification.objects.filter(match__in=[match, other], channel="sms").update(status=N.NEEDS_ATTENTION)
    from schools.tests.factories import CoordinatorFactory

    stranger = CoordinatorFactory()
    listed = api(coordinator.user).get("/api/notifications/?status=needs_attention").json()["results"]
    assert {row["match"] for row in listed} == {match.pk, other.pk}
    assert api(stranger.user).get("/api/notifications/?status=needs_attention").json()["results"] == []
    assert api(match.mentor.user).get("/api/notifications/").status_code == 403


def test_a_worker_that_stalled_past_its_claim_does_not_send_what_was_settled_meanwhile(
    fake_twilio, monkeypatch, settings
):
    notification = text(stands_for="anything")
    settings.NOTIFICATIONS_STILL_STANDS = "notifications.tests.test_outbox.stall_then_lose_the_claim"
    stall_then_lose_the_claim.row = notification
    deliver(notification)
    assert creates(fake_twilio) == []


def stall_then_lose_the_claim(notification):
    # While this worker stalls asking the domain, the sweeper settles the row and another worker takes it.
    Notification.objects.filter(pk=stall_then_lose_the_claim.row.pk).update(
        claimed_at=timezone.now() + timedelta(seconds=1))
    return None




# What coordinators are told


def test_a_carrier_opt_out_is_recorded_as_such_not_as_a_stop_reply(fake_twilio):
    fake_twilio.script([21610])
    deliver(text())
    assert SmsOptOut.objects.get(phone=PHONE).source == SmsOptOut.Source.CARRIER
    later = text(key="k2")
    deliver(later)
    assert refreshed(later).status == N.SUPPRESSED
    assert "carrier" in later.error and "STOP" not in later.error


def test_a_row_sent_after_a_retry_clears_its_old_error(fake_twilio):
    fake_twilio.script([429])
    notification = text()
    assert deliver(notification) is not None
    assert refreshed(notification).error_code == "20429"
    Notification.objects.filter(pk=notification.pk).update(not_before=timezone.now())
    deliver(notification)
    assert (refreshed(notification).status, notification.error, notification.error_code) == (N.SENT, "", "")


def test_a_row_delivered_by_callback_after_an_ambiguous_failure_clears_its_old_error(fake_twilio):
    fake_twilio.script([{"kind": "server_error", "create": True}])
    notification = text()
    deliver(notification)
    assert refreshed(notification).error_code == "20500"
    [message] = fake_twilio.messages
    record_delivery_status(provider_id=message["sid"], provider_status="delivered", notification_id=notification.pk)
    assert (refreshed(notification).status, notification.error, notification.error_code) == (N.DELIVERED, "", "")


def test_retry_after_on_a_429_is_honoured(fake_twilio):
    fake_twilio.script([{"kind": "rate_limit", "retry_after": 120}])
    notification = text()
    before = timezone.now()
    assert deliver(notification) >= 120
    assert refreshed(notification).not_before >= before + timedelta(seconds=120)


def needing_attention(match):
    row = Notification.objects.get(match=match, channel="sms", kind="invitation")
    Notification.objects.filter(pk=row.pk).update(
        status=N.NEEDS_ATTENTION, attempts=services.MAX_ATTEMPTS, claimed_at=timezone.now() - timedelta(hours=1),
        error="Twilio 20429: too many requests",
    )
    return row


def test_a_coordinator_resends_a_text_that_needs_attention_once(fake_twilio, approved, api, coordinator):
    row = needing_attention(approved())
    answer = api(coordinator.user).post(f"/api/notifications/{row.pk}/resend/")
    assert answer.status_code == 200, answer.content
    assert len(fake_twilio.messages) == 0  # nothing at the provider: queued again, not yet sent here
    deliver(row)
    assert refreshed(row).status == N.SENT and len(fake_twilio.messages) == 1
    again = api(coordinator.user).post(f"/api/notifications/{row.pk}/resend/")
    assert again.status_code == 409 and again.json()["code"] == "not_needing_attention"
    assert len(fake_twilio.messages) == 1


def test_a_resent_text_that_had_gone_out_after_all_is_recorded_not_sent_twice(fake_twilio, approved, api,
                                                                               coordinator):
    row = needing_attention(approved())
    message = fake_twilio.client().messages.create(to=row.to, from_=settings.TWILIO_FROM_NUMBER, body=row.body)
    api(coordinator.user).post(f"/api/notifications/{row.pk}/resend/")
    deliver(row)
    assert (refreshed(row).status, row.provider_id) == (N.SENT, message.sid)
    assert len(fake_twilio.messages) == 1


def test_only_a_coordinator_of_the_alliance_may_resend(approved, api):
    from schools.tests.factories import CoordinatorFactory

    row = needing_attention(approved())
    assert api(CoordinatorFactory().user).post(f"/api/notifications/{row.pk}/resend/").status_code == 404
    assert refreshed(row).status == N.NEEDS_ATTENTION


def _claim_plan(notification_id):
    sql, invalid = services._claim_sql(settings.NOTIFICATIONS_INVALID_NUMBERS, "postgresql")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, {"now": timezone.now(), "id": notification_id, **invalid})
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def test_the_claim_finds_its_row_by_primary_key_however_many_are_pending(queued):
    """A burst of pending rows in a table never analysed (as a fresh one is): with the status beside the id,
    the planner walked the status index over every pending row at each claim (O(n^2) over the burst)."""
    rows = [text(key=f"burst-{n}", body=f"Mentorbridge: {n}") for n in range(300)]
    plan = _claim_plan(rows[-1].pk)
    scans = [line for line in plan.splitlines() if "Scan" in line and "notifications_notification" in line]
    assert scans and all("notifications_notification_pkey" in line for line in scans), plan
    assert services.claim(rows[-1].pk).status == "sending"
    assert services.claim(rows[-1].pk) is None  # claimed once


def test_the_claim_reads_the_flagged_numbers_through_their_own_index(queued):
    """invalid_numbers() matches the partial index on flagged phones, so a claim never scans every volunteer
    (13 ms a claim at 100,000 volunteers before it; the planner takes a sequential scan on a tiny table, so the
    index is shown usable with sequential scans priced out)."""
    MentorFactory(phone="+15185550999", phone_invalid_at=timezone.now())
    notification = text()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = _claim_plan(notification.pk)
    assert "mentor_invalid_phone" in plan, plan
