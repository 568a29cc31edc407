"""A calendar that applies iTIP messages in order, read with vobject: a second parser, independent of the
icalendar package that writes them, so a test compares occurrence lists, not our own reading of our output.

REQUEST with a SEQUENCE at least the stored one replaces the whole booking (master and overrides);
CANCEL without RECURRENCE-ID removes it (RFC 5546, 3.2.2 and 3.2.5).
"""
from datetime import UTC
from zoneinfo import ZoneInfo

import vobject


def _local(value, prop):
    """A date-time at its wall-clock time in the IANA zone its TZID names. vobject keeps the TZID (as
    X-VOBJ-ORIGINAL-TZID) but reads offsets from the VTIMEZONE through dateutil, which ignores the RDATEs
    icalendar writes there; the zone's name is the unambiguous part."""
    tzid = (prop.params.get("TZID") or prop.params.get("X-VOBJ-ORIGINAL-TZID") or [None])[0]
    if tzid and value.tzinfo is not None:
        return value.replace(tzinfo=None).replace(tzinfo=ZoneInfo(tzid))
    return value


def parse(ics):
    """The VCALENDAR in `ics` (str or UTF-8 bytes, decoded strictly)."""
    text = ics.decode("utf-8") if isinstance(ics, bytes) else ics
    return vobject.readOne(text)


def vevents(calendar):
    return calendar.contents.get("vevent", [])


class ReplayCalendar:
    def __init__(self):
        self.bookings = {}  # uid -> (sequence, [vevent, ...])

    def apply(self, ics):
        calendar = parse(ics)
        method = calendar.method.value.upper()
        by_uid = {}
        for event in vevents(calendar):
            by_uid.setdefault(event.uid.value, []).append(event)
        for uid, events in by_uid.items():
            sequence = max(int(e.sequence.value) if hasattr(e, "sequence") else 0 for e in events)
            stored = self.bookings.get(uid)
            if stored is not None and sequence < stored[0]:
                continue  # an older message arriving late changes nothing
            if method == "CANCEL":
                self.bookings.pop(uid, None)
            elif method == "REQUEST":
                self.bookings[uid] = (sequence, events)
            else:
                raise AssertionError(f"unexpected METHOD {method}")

    def occurrences(self):
        """Every occurrence in the calendar now, sorted, in UTC."""
        return occurrences_of([e for _, events in self.bookings.values() for e in events])


def occurrences_of(events):
    """Sorted (start, end) pairs in UTC of every occurrence of these VEVENTs (masters and overrides)."""
    found = []
    masters = [e for e in events if not hasattr(e, "recurrence_id")]
    overrides = {(e.uid.value, _local(e.recurrence_id.value, e.recurrence_id).astimezone(UTC)): e
                 for e in events if hasattr(e, "recurrence_id")}
    for master in masters:
        start = _local(master.dtstart.value, master.dtstart)
        length = _local(master.dtend.value, master.dtend) - start
        if hasattr(master, "rrule"):
            starts = [_local(s, master.dtstart) for s in master.getrruleset(addRDate=True)]
        else:
            starts = [start]
        for occurrence in starts:
            key = (master.uid.value, occurrence.astimezone(UTC))
            override = overrides.pop(key, None)
            if override is not None:
                occurrence = _local(override.dtstart.value, override.dtstart)
                end = _local(override.dtend.value, override.dtend)
            else:
                end = occurrence + length
            found.append((occurrence.astimezone(UTC), end.astimezone(UTC)))
    assert not overrides, f"overrides of no occurrence: {list(overrides)}"
    return sorted(found)
