"""Personal calendar subscription feeds: a mentor's or a teacher's confirmed sessions.

The events carry the same UIDs as the emailed invitations, so a calendar that has both
shows one event; a cancelled booking simply leaves the feed. What a feed holds is the domain's
answer to NOTIFICATIONS_CALENDAR_FEED (see hooks.py).
"""
from . import calendar, hooks


def feed_for(user, now=None):
    """The iCalendar feed (no METHOD) of `user`'s booked sessions, oldest first."""
    return calendar.build_feed(hooks.call("NOTIFICATIONS_CALENDAR_FEED", user), name="Mentorbridge", now=now)


def can_subscribe(user):
    return hasattr(user, "mentor") or hasattr(user, "teacher")
