"""Calendar invitations (RFC 5545 / RFC 5546), built by pure functions from plain data."""
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vDuration, vText

PRODID = "-//Mentorbridge//Mentorbridge 1.0//EN"


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str
    role: str = "REQ-PARTICIPANT"
    partstat: str = "NEEDS-ACTION"


@dataclass(frozen=True)
class Invitation:
    """Everything one booking's calendar entry says. `uid` never changes for the booking.

    `intervals` are its occurrences; several make a weekly series, written as one event with an RRULE.
    `tz` is the IANA zone the series recurs in (the school's), so it keeps its local time across DST.
    """

    uid: str
    sequence: int
    summary: str
    description: str
    location: str
    intervals: tuple  # ((start, end), ...) aware datetimes
    organizer_email: str
    organizer_name: str
    attendees: tuple = field(default_factory=tuple)
    url: str = ""
    tz: str = "UTC"


@dataclass(frozen=True)
class Series:
    """A weekly series as iCalendar states it: the first occurrence, a COUNT, the weeks dropped (EXDATE),
    the weeks moved (RECURRENCE-ID -> new start and end) and any occurrence off the weekly grid (RDATE)."""

    start: datetime
    end: datetime
    count: int
    dropped: tuple = ()
    moved: tuple = ()  # ((recurrence_id, start, end), ...)
    extra: tuple = ()  # ((start, end), ...)


def weekly_series(intervals, zone):
    """How `intervals` (aware (start, end) pairs) read as one weekly series in `zone`.

    The grid is the first occurrence's weekday, local time and length, repeated weekly to the last week.
    """
    local = sorted((start.astimezone(zone), end.astimezone(zone)) for start, end in intervals)
    first_start, first_end = local[0]
    length = first_end - first_start
    slots = {}
    extra = []
    for start, end in local:
        week = round((start.date() - first_start.date()).days / 7)
        if week in slots:
            extra.append((start, end))
        else:
            slots[week] = (start, end)
    count = max(slots) + 1
    dropped, moved = [], []
    for week in range(count):
        on_grid = _weeks_after(first_start, week, zone)
        if week not in slots:
            dropped.append(on_grid)
        elif slots[week] != (on_grid, on_grid + length):
            moved.append((on_grid, *slots[week]))
    return Series(first_start, first_end, count, tuple(dropped), tuple(moved), tuple(extra))


def _weeks_after(moment, weeks, zone):
    """The same local wall-clock time `weeks` weeks later (across a DST change, too)."""
    return datetime.combine(moment.date() + timedelta(weeks=weeks), moment.time(), zone)


def _address(email, name, **params):
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def _event(invitation, start, end, *, cancelled, stamp):
    event = Event()
    event.add("uid", invitation.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", invitation.sequence)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", invitation.summary)
    event.add("description", invitation.description)
    if invitation.location:
        event.add("location", invitation.location)
    if invitation.url:
        event.add("url", invitation.url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", _address(invitation.organizer_email, invitation.organizer_name))
    for attendee in invitation.attendees:
        event.add("attendee", _address(
            attendee.email, attendee.name, role=attendee.role, partstat=attendee.partstat, rsvp="TRUE"
        ))
    return event


def events(invitation, *, cancelled=False, stamp):
    """The VEVENTs of one booking: a single event, or a series' master (RRULE, EXDATE, RDATE) and one
    RECURRENCE-ID override per moved week, all under the booking's one UID."""
    if len(invitation.intervals) == 1:
        # One occurrence needs no zone: UTC ("Z"), which needs no VTIMEZONE; calendars show local time.
        [(start, end)] = invitation.intervals
        return [_event(invitation, start.astimezone(UTC), end.astimezone(UTC), cancelled=cancelled, stamp=stamp)]
    series = weekly_series(invitation.intervals, ZoneInfo(invitation.tz))
    master = _event(invitation, series.start, series.end, cancelled=cancelled, stamp=stamp)
    master.add("rrule", {"freq": "weekly", "count": series.count})
    if series.dropped:
        master.add("exdate", list(series.dropped))
    if series.extra:
        master.add("rdate", [(start, end) for start, end in series.extra])
    overrides = []
    for recurrence_id, start, end in series.moved:
        override = _event(invitation, start, end, cancelled=cancelled, stamp=stamp)
        override.add("recurrence-id", recurrence_id)
        overrides.append(override)
    return [master, *overrides]


def build_calendar(invitations, *, method, now=None, name=""):
    """One VCALENDAR with the events of each booking. `method` is REQUEST, CANCEL or None (a feed).

    A single occurrence is in UTC; a series carries its TZID (with a VTIMEZONE), so it keeps its local time.
    Returns text; `to_bytes` gives what goes on the wire (UTF-8, CRLF, folded at 75 octets).
    """
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", vDuration(timedelta(hours=1)), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    for invitation in invitations:
        for event in events(invitation, cancelled=method == "CANCEL", stamp=stamp):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode("utf-8")


def to_bytes(ics):
    """An iCalendar text as it goes in an email or a feed response: UTF-8 bytes."""
    return ics.encode("utf-8")


def build_request(invitation, now=None):
    """A METHOD:REQUEST invitation (also used for updates: raise `sequence`)."""
    return build_calendar([invitation], method="REQUEST", now=now)


def build_cancel(invitation, now=None):
    """A METHOD:CANCEL with STATUS:CANCELLED; the caller passes a raised `sequence`."""
    return build_calendar([invitation], method="CANCEL", now=now)


def build_feed(invitations, *, name, now=None):
    """A subscription feed: the same UIDs as the invitations, no METHOD (RFC 5545 publishing)."""
    return build_calendar(invitations, method=None, now=now, name=name)
