"""Times for people: a stored UTC moment in the school's or the viewer's zone, with the zone's abbreviation.

Times are stored in UTC and converted only here, at the edge (a page, a text, an invitation). The viewer's
zone is the one `ViewerTimezoneMiddleware` activates for the request.
"""
import zoneinfo
from zoneinfo import ZoneInfo

from django.utils import timezone


def zone(tz_name=None):
    """The named zone, or the active one (the viewer's) when no valid name is given."""
    if tz_name:
        try:
            return ZoneInfo(str(tz_name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.get_current_timezone()


def clock(local):
    """'3:00 PM' (no leading zero, US style)."""
    return f"{local.hour % 12 or 12}:{local:%M %p}"


def moment_text(moment, tz_name=None):
    """'Mon Dec 7, 10:00 AM EST': `moment` in `tz_name` (or the viewer's zone) with its abbreviation."""
    local = moment.astimezone(zone(tz_name))
    return f"{local:%a %b} {local.day}, {clock(local)} {local:%Z}"


def span_text(start, end, tz_name=None):
    """'Mon Dec 7, 10:00 AM – 11:00 AM EST', or both full moments when they fall on different days."""
    tz = zone(tz_name)
    first, last = start.astimezone(tz), end.astimezone(tz)
    if first.date() != last.date():
        return f"{moment_text(start, tz_name)} – {moment_text(end, tz_name)}"
    return f"{first:%a %b} {first.day}, {clock(first)} – {clock(last)} {last:%Z}"


def day_text(moment, tz_name=None):
    """'Mon Dec 7' for the local day of `moment` (what a list groups by)."""
    local = moment.astimezone(zone(tz_name))
    return f"{local:%a %b} {local.day}"


def local_date(moment, tz_name=None):
    return moment.astimezone(zone(tz_name)).date()
