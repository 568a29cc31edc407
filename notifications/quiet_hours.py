"""No routine text at night: held until morning in the recipient's own timezone."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings


def hold_until(moment, tz_name):
    """When a routine text written at `moment` may go to someone in `tz_name`: None for now, else the next 8 am.

    The quiet hours come from SMS_QUIET_HOURS, (start hour, end hour) in local time, e.g. (21, 8); None: none.
    """
    if not settings.SMS_QUIET_HOURS or not tz_name:
        return None  # no quiet hours configured, or no timezone known for the recipient
    start, end = settings.SMS_QUIET_HOURS
    zone = ZoneInfo(tz_name)
    local = moment.astimezone(zone)
    if end <= local.hour < start:
        return None
    day = local.date() if local.hour < end else local.date() + timedelta(days=1)
    # A wall-clock time built in the zone: right across daylight-saving changes.
    return datetime.combine(day, time(end), zone)
