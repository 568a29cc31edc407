"""A weekly series is one calendar event that stays right, and every invitation is valid bytes.

The mentor's calendar is simulated by replaying the emailed invite.ics attachments, in order, through
vobject (testsupport.calendar_replay), a parser independent of the icalendar package that writes them.
"""
import email
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail

from mentors.tests.factories import MentorFactory
from notifications import feeds, services
from scheduling import requests as request_flow
from scheduling import services as scheduling
from scheduling.models import Match
from scheduling.tests.factories import NEW_YORK, make_request, next_weekday
from testsupport.calendar_replay import ReplayCalendar, occurrences_of, parse, vevents

pytestmark = pytest.mark.django_db


def send_emails():
    """What the workers do: every pending email goes out (texts are not the calendar's business)."""
    for pk in services.due().filter(channel="email").values_list("pk", flat=True):
        services.deliver_notification(pk, "email")


def attachments(message):
    """The invite.ics attachments of a sent email, as the raw bytes a mail client receives."""
    parsed = email.message_from_bytes(wire(message))
    return [part.get_payload(decode=True) for part in parsed.walk() if part.get_filename() == "invite.ics"]


def wire(message):
    """The bytes an SMTP server gets (Django's SMTP backend writes CRLF line ends)."""
    return message.message().as_bytes(linesep="\r\n")


def inline_calendars(message):
    parsed = email.message_from_bytes(wire(message))
    return [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]


class Mentor:
    """A mentor's calendar, fed by the emails they were sent, in order."""

    def __init__(self, match):
        self.match = match
        self.calendar = ReplayCalendar()
        self.seen = 0

    def read_mail(self):
        send_emails()
        address = self.match.mentor.user.email
        for message in mail.outbox[self.seen:]:
            if address in message.to:
                for ics in attachments(message):
                    self.calendar.apply(ics)
        self.seen = len(mail.outbox)
        return self.calendar.occurrences()


def booked_series(teacher, coordinator, weeks=3, **request_fields):
    request = make_request(teacher, weeks=weeks, **request_fields)
    mentor = MentorFactory(company__alliance=teacher.school.alliance)
    match = Match.objects.create(session=request.sessions.get(), mentor=mentor, score=0.5)
    scheduling.approve_match(match_id=match.pk, actor=coordinator.user)
    return Match.objects.get(pk=match.pk)


def intervals_of(match):
    return [(i.starts_at.astimezone(UTC), i.ends_at.astimezone(UTC)) for i in match.session.intervals.all()]


def move_to(match, intervals):
    session = match.session
    request_flow.reschedule_request(request_id=session.request_id, actor=session.request.teacher.user,
                                    intervals=intervals)
    match.refresh_from_db()
    return intervals_of(match)


def feed_occurrences(user):
    return occurrences_of(vevents(parse(feeds.feed_for(user))))


def test_a_series_is_one_event_with_an_rrule_and_one_stable_uid(teacher, coordinator):
    match = booked_series(teacher, coordinator)
    mentor = Mentor(match)
    assert mentor.read_mail() == intervals_of(match)
    [message] = [m for m in mail.outbox if m.to == [match.mentor.user.email]]
    [event] = parse(attachments(message)[0]).vevent_list
    assert event.uid.value == f"{match.uid}@mentorbridge"
    assert event.rrule.value == "FREQ=WEEKLY;COUNT=3"


def test_every_change_of_a_series_leaves_exactly_the_right_occurrences_in_the_calendar_and_the_feed(
    teacher, coordinator, settings
):
    settings.RECONFIRM_MARGIN_MINUTES = 60 * 24 * 365  # the mentor stays confirmed, so the feed shows it
    match = booked_series(teacher, coordinator, weeks=3)
    mentor = Mentor(match)
    assert mentor.read_mail() == intervals_of(match)
    scheduling.confirm_match(match_id=match.pk, actor=match.mentor.user)
    user = match.mentor.user
    weekly = intervals_of(match)
    hour = timedelta(hours=1)

    steps = {
        "moved an hour later": [(s + hour, e + hour) for s, e in weekly],
        "shortened to 2 weeks": [(s + hour, e + hour) for s, e in weekly[:2]],
        "lengthened to 4 weeks": [(s + hour + timedelta(weeks=w), e + hour + timedelta(weeks=w))
                                  for w, (s, e) in enumerate([weekly[0]] * 4)],
    }
    four = steps["lengthened to 4 weeks"]
    steps["one week skipped"] = [four[0], four[2], four[3]]
    steps["one week moved"] = [four[0], (four[2][0] + 2 * hour, four[2][1] + 2 * hour), four[3]]
    steps["shrunk to 1 week"] = [four[0]]
    for step, intervals in steps.items():
        expected = move_to(match, intervals)
        assert expected == sorted(intervals), step
        assert mentor.read_mail() == expected, step
        assert feed_occurrences(user) == expected, step
    uids = {event.uid.value for _, events in mentor.calendar.bookings.values() for event in events}
    assert uids == {f"{match.uid}@mentorbridge"}  # shrinking to one week kept the UID

    scheduling.cancel_match(match_id=match.pk, actor=coordinator.user, reason="the class was merged")
    assert mentor.read_mail() == []
    assert feed_occurrences(user) == []


def test_a_dropped_week_is_an_exdate_and_a_moved_week_a_recurrence_id(teacher, coordinator):
    match = booked_series(teacher, coordinator, weeks=4)
    weekly = intervals_of(match)
    moved = (weekly[3][0] + timedelta(hours=2), weekly[3][1] + timedelta(hours=2))
    move_to(match, [weekly[0], weekly[2], moved])
    send_emails()
    update = [m for m in mail.outbox if m.to == [match.mentor.user.email]][-1]
    master, override = parse(attachments(update)[0]).vevent_list
    assert master.rrule.value == "FREQ=WEEKLY;COUNT=4"
    assert [d.astimezone(UTC) for d in master.exdate.value] == [weekly[1][0]]
    assert override.recurrence_id.value.astimezone(UTC) == weekly[3][0]
    assert int(master.sequence.value) == int(override.sequence.value) == 1


def first_tuesday_before_a_dst_change(weeks):
    """A Tuesday from which a `weeks`-week series in New York crosses a change of clocks."""
    day = next_weekday(7)
    offset = lambda d: datetime.combine(d, time(10), NEW_YORK).utcoffset()  # noqa: E731
    while offset(day) == offset(day + timedelta(weeks=weeks - 1)):
        day += timedelta(weeks=1)
    return day


def test_a_series_across_a_dst_change_keeps_its_local_time_without_overrides(teacher, coordinator):
    match = booked_series(teacher, coordinator, weeks=4, day=first_tuesday_before_a_dst_change(4))
    utc_hours = {start.hour for start, _ in intervals_of(match)}
    assert len(utc_hours) == 2  # the clocks changed in between: two different UTC hours
    send_emails()
    [message] = [m for m in mail.outbox if m.to == [match.mentor.user.email]]
    calendar = parse(attachments(message)[0])
    assert len(calendar.vevent_list) == 1  # one master, every week on the grid in local time
    assert occurrences_of(calendar.vevent_list) == intervals_of(match)


ACCENTED = {"topic": "Robótica 🚀 — Zoë’s line-following robots for Año 7 with a very long name indeed",
            "description": "Zoë Brontë brings 🤖 kits; «bienvenue» à l’École Saint-Jérôme"}


def test_invitations_with_accents_and_emoji_are_utf8_crlf_folded_at_75_octets(teacher, coordinator):
    teacher.school.name = "École Saint-Jérôme 🏫"
    teacher.school.save()
    match = booked_series(teacher, coordinator, weeks=2, **ACCENTED)
    send_emails()
    [message] = [m for m in mail.outbox if m.to == [match.mentor.user.email]]
    [attached] = attachments(message)
    [inline] = inline_calendars(message)
    assert inline.get_param("method") == "REQUEST" and inline.get_content_charset() == "utf-8"
    for raw in (attached, inline.get_payload(decode=True), feeds.feed_for(match.mentor.user).encode()):
        text = raw.decode("utf-8")  # strict: Latin-1 bytes would fail here
        assert "\\U0001f680" not in text and "\\u" not in text
        lines = raw.split(b"\r\n")
        assert lines[-1] == b"" and all(b"\n" not in line for line in lines)
        assert max(len(line) for line in lines) <= 75
    event = parse(attached).vevent_list[0]
    assert event.summary.value == f"Mentorbridge: {ACCENTED['topic']} (École Saint-Jérôme 🏫)"
    assert ACCENTED["description"] in event.description.value


def test_a_cancel_after_the_mentor_confirmed_carries_partstat_accepted(teacher, coordinator):
    match = booked_series(teacher, coordinator, weeks=1)
    send_emails()
    scheduling.confirm_match(match_id=match.pk, actor=match.mentor.user)
    scheduling.cancel_match(match_id=match.pk, actor=coordinator.user, reason="snow day")
    send_emails()
    cancel = [m for m in mail.outbox if m.to == [match.mentor.user.email] and m.subject.startswith("Cancelled")]
    [event] = parse(attachments(cancel[0])[0]).vevent_list
    mentor_line = [a for a in event.attendee_list if match.mentor.user.email in a.value]
    assert mentor_line[0].params["PARTSTAT"] == ["ACCEPTED"]
    assert event.status.value == "CANCELLED"
