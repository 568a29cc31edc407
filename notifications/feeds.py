"""Personal calendar subscription feeds: a mentor's or a teacher's confirmed sessions.

The events carry the same UIDs as the emailed invitations, so a calendar that has both
shows one event; a cancelled booking simply leaves the feed.
"""
from datetime import timedelta

from django.utils import timezone

from . import calendar
from .compose import invitation_for

# How far back a feed keeps past sessions.
HISTORY = timedelta(days=90)
SHOWN = ("confirmed", "completed")


def _matches_for(user):
    from scheduling.models import Match

    matches = Match.objects.filter(status__in=SHOWN, session__ends_at__gte=timezone.now() - HISTORY).exclude(
        session__status="cancelled"
    )
    mentor, teacher = getattr(user, "mentor", None), getattr(user, "teacher", None)
    if mentor is not None:
        return matches.filter(mentor=mentor)
    if teacher is not None:
        return matches.filter(session__request__teacher=teacher)
    return matches.none()


def feed_for(user, now=None):
    """The iCalendar feed (no METHOD) of `user`'s booked sessions, oldest first."""
    matches = (
        _matches_for(user)
        .select_related("mentor__user", "session__request__school__alliance", "session__request__teacher__user")
        .prefetch_related("session__intervals")
        .order_by("session__starts_at", "pk")
    )
    invitations = [invitation_for(match, partstat="ACCEPTED") for match in matches]
    return calendar.build_feed(invitations, name="Mentorbridge", now=now)


def can_subscribe(user):
    return hasattr(user, "mentor") or hasattr(user, "teacher")
