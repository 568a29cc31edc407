"""Calendar invitations (RFC 5545 / RFC 5546), built by pure functions from plain data."""
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

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
    """Everything one booking's calendar entry says. `uid` never changes for the booking."""

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


def event_uid(base_uid, index, count):
    """The UID of one interval's event: the booking's UID, suffixed when a series has several."""
    return base_uid if count == 1 else f"{index}.{base_uid}"


def _address(email, name, **params):
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def _event(invitation, index, start, end, *, cancelled, stamp):
    event = Event()
    event.add("uid", event_uid(invitation.uid, index, len(invitation.intervals)))
    event.add("dtstamp", stamp)
    event.add("sequence", invitation.sequence)
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", end.astimezone(UTC))
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


def build_calendar(invitations, *, method, now=None, name=""):
    """One VCALENDAR with a VEVENT per interval. `method` is REQUEST, CANCEL or None (a feed).

    Times are written in UTC ("Z"), which needs no VTIMEZONE; calendars show them in local time.
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
        for index, (start, end) in enumerate(invitation.intervals):
            calendar.add_component(_event(invitation, index, start, end, cancelled=method == "CANCEL", stamp=stamp))
    return calendar.to_ical().decode()


def build_request(invitation, now=None):
    """A METHOD:REQUEST invitation (also used for updates: raise `sequence`)."""
    return build_calendar([invitation], method="REQUEST", now=now)


def build_cancel(invitation, now=None):
    """A METHOD:CANCEL with STATUS:CANCELLED; the caller passes a raised `sequence`."""
    return build_calendar([invitation], method="CANCEL", now=now)


def build_feed(invitations, *, name, now=None):
    """A subscription feed: the same UIDs as the invitations, no METHOD (RFC 5545 publishing)."""
    return build_calendar(invitations, method=None, now=now, name=name)
