"""The match lifecycle services: transitions, safety gates, seats, bookings, and the rows they write."""
from datetime import date, timedelta

import pytest
from icalendar import Calendar

from core.words import phone_text
from mentors.tests.factories import MentorFactory
from notifications.models import Notification
from scheduling import services, tasks
from scheduling.models import Booking, Match, MatchTransition
from scheduling.tests.factories import held, make_request

pytestmark = pytest.mark.django_db


def propose(teacher, mentor=None, **request_fields):
    request = make_request(teacher, **request_fields)
    mentor = mentor or MentorFactory(company__alliance=teacher.school.alliance)
    return Match.objects.create(session=request.sessions.get(), mentor=mentor, score=0.5, reasons={"skills": 0.5})


def test_approving_writes_an_invitation_text_and_email_in_the_same_transaction(teacher, coordinator):
    match = propose(teacher)
    services.approve_match(match_id=match.pk, actor=coordinator.user)
    match.refresh_from_db()
    assert match.status == "approved"
    kinds = sorted(Notification.objects.filter(match=match).values_list("channel", "kind"))
    assert kinds == [("email", "invitation"), ("sms", "invitation")]
    transition = MatchTransition.objects.get(match=match)
    assert (transition.from_status, transition.to_status) == ("proposed", "approved")
    assert transition.actor == coordinator.user


def test_every_email_is_signed_with_the_alliances_name(teacher, coordinator):
    match = propose(teacher)
    services.approve_match(match_id=match.pk, actor=coordinator.user)
    email = Notification.objects.get(match=match, channel="email")
    assert email.body.startswith(f"{teacher.school.alliance.name} · Mentorbridge")
    assert f"you volunteer with {teacher.school.alliance.name}" in email.body
    assert teacher.school.alliance.name not in Notification.objects.get(match=match, channel="sms").body


def test_the_invitation_carries_a_request_with_a_stable_uid(teacher, coordinator):
    match = propose(teacher)
    services.approve_match(match_id=match.pk, actor=coordinator.user)
    ics = Calendar.from_ical(Notification.objects.get(match=match, channel="email").ics)
    assert ics["METHOD"] == "REQUEST"
    [event] = ics.walk("VEVENT")
    assert str(event["UID"]) == f"{match.uid}@mentorbridge"
    assert event["SEQUENCE"] == 0
    assert "mailto:" + match.mentor.user.email in [str(a) for a in event.get("ATTENDEE")]


def test_it_refuses_to_approve_a_mentor_without_a_cleared_background_check(teacher, coordinator):
    mentor = MentorFactory(background_check_status="pending", background_check_expires=None,
                           company__alliance=teacher.school.alliance)
    match = propose(teacher, mentor)
    with pytest.raises(services.MatchError, match="no cleared background check"):
        services.approve_match(match_id=match.pk, actor=coordinator.user)
    assert Match.objects.get(pk=match.pk).status == "proposed"
    assert not Notification.objects.exists()
    assert not Booking.objects.exists()


def test_it_refuses_a_mentor_whose_check_expires_before_the_series_ends(teacher, coordinator):
    request_day = date.today() + timedelta(days=14)
    mentor = MentorFactory(background_check_expires=request_day + timedelta(days=7),
                           company__alliance=teacher.school.alliance)
    match = propose(teacher, mentor, weeks=3, day=request_day)
    with pytest.raises(services.MatchError) as refused:
        services.approve_match(match_id=match.pk, actor=coordinator.user)
    assert refused.value.code == "background_check_expires"


def test_it_refuses_an_unapproved_volunteer(teacher, coordinator):
    mentor = MentorFactory(status="pending", company__alliance=teacher.school.alliance)
    with pytest.raises(services.MatchError, match="not an approved volunteer"):
        services.approve_match(match_id=propose(teacher, mentor).pk, actor=coordinator.user)


def test_a_session_never_gets_more_mentors_than_it_needs(teacher, coordinator):
    first = propose(teacher)
    second = Match.objects.create(session=first.session, mentor=MentorFactory(), score=0.4)
    services.approve_match(match_id=first.pk, actor=coordinator.user)
    with pytest.raises(services.MatchError) as refused:
        services.approve_match(match_id=second.pk, actor=coordinator.user)
    assert refused.value.code == "session_full"
    assert Match.objects.get(pk=second.pk).status == "proposed"


def test_a_mentor_cannot_be_booked_into_two_overlapping_sessions(teacher, coordinator):
    mentor = MentorFactory(company__alliance=teacher.school.alliance)
    first = propose(teacher, mentor, hour=10)
    second = propose(teacher, mentor, hour=10, topic="Coding games")
    services.approve_match(match_id=first.pk, actor=coordinator.user)
    with pytest.raises(services.MatchError) as refused:
        services.approve_match(match_id=second.pk, actor=coordinator.user)
    assert refused.value.code == "mentor_double_booked"
    assert Booking.objects.filter(mentor=mentor, active=True).count() == 1


def test_the_database_itself_refuses_overlapping_active_bookings(teacher, coordinator):
    from django.db import IntegrityError, transaction

    mentor = MentorFactory(company__alliance=teacher.school.alliance)
    first = propose(teacher, mentor, hour=10)
    second = propose(teacher, mentor, hour=10, topic="Coding games")
    services.approve_match(match_id=first.pk, actor=coordinator.user)
    interval = second.session.intervals.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(match=second, mentor=mentor, starts_at=interval.starts_at, ends_at=interval.ends_at)


def test_a_transition_that_is_no_longer_allowed_fails_loudly(teacher, coordinator):
    match = propose(teacher)
    services.reject_match(match_id=match.pk, actor=coordinator.user, reason="not a fit")
    with pytest.raises(services.TransitionNotAllowed, match="rejected and can no longer become approved"):
        services.approve_match(match_id=match.pk, actor=coordinator.user)


def test_confirming_tells_the_teacher_with_the_mentors_contact_details(teacher, coordinator):
    match = propose(teacher)
    services.approve_match(match_id=match.pk, actor=coordinator.user)
    services.confirm_match(match_id=match.pk, via="sms")
    told = Notification.objects.get(kind="confirmed_to_teacher", channel="email")
    assert told.to == teacher.user.email
    assert match.mentor.user.email in told.body and phone_text(match.mentor.phone) in told.body  # (518) 555-0123
    assert Match.objects.get(pk=match.pk).session.request.status == "confirmed"


def test_declining_frees_the_time_and_queues_a_backfill_of_that_session_as_an_alliance_task(
    teacher, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    match = propose(teacher)
    services.approve_match(match_id=match.pk, actor=coordinator.user)
    queued = []
    monkeypatch.setattr(tasks.match_alliance, "delay", lambda *args, **kwargs: queued.append((args, kwargs)))
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_match(match_id=match.pk, via="sms")
    assert Match.objects.get(pk=match.pk).status == "declined"
    assert not Booking.objects.filter(match=match, active=True).exists()
    session = match.session
    window = [session.starts_at.isoformat(), session.ends_at.isoformat()]
    assert queued == [((session.alliance_id, [window]), {"session_ids": [session.pk]})]


def test_cancelling_a_booked_match_withdraws_the_invite_with_a_raised_sequence(teacher, coordinator):
    match = propose(teacher)
    services.approve_match(match_id=match.pk, actor=coordinator.user)
    services.cancel_match(match_id=match.pk, actor=teacher.user, reason="school closed")
    ics = Calendar.from_ical(Notification.objects.get(kind="cancelled", channel="email").ics)
    [event] = ics.walk("VEVENT")
    assert ics["METHOD"] == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"{match.uid}@mentorbridge"
    assert event["SEQUENCE"] == 1


def test_completion_records_hours_and_students(teacher, coordinator):
    match = propose(teacher)
    services.approve_match(match_id=match.pk, actor=coordinator.user)
    held(services.confirm_match(match_id=match.pk))
    services.complete_match(match_id=match.pk, actor=teacher.user, hours="1.5", students_reached=24)
    match.refresh_from_db()
    assert (match.status, str(match.hours), match.students_reached) == ("completed", "1.50", 24)
