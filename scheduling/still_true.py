"""Is a message about a match still true when it would go out? (NOTIFICATIONS_STILL_STANDS)

Each message is written with `stands_for`: the match statuses it was written for and the session's
revision ("approved,invited@3"). Texts are held through the night; by morning the match may have been
cancelled, confirmed on the web, or moved. At send time the outbox asks `message_stands`; a message that
no longer stands is withdrawn with the reason returned here, never sent.
"""
from django.utils import timezone

from notifications.models import Notification

from .models import Match

# Messages that ask or tell the mentor about a session to come: pointless once it has started.
BEFORE_START = {"invitation", "update", "reconfirm"}
# Messages that call something off: true only if the mentor ever heard of it.
CALL_OFFS = {"cancelled", "withdrawn"}
UNSENT = (Notification.Status.PENDING, Notification.Status.SUPPRESSED, Notification.Status.WITHDRAWN)


def stands_for(match, *statuses):
    """What a message about `match` is written for: these statuses (default: its own) at this revision."""
    return f"{','.join(statuses or [match.status])}@{match.session.revision}"


def message_stands(notification):
    """None when the message is still true; else why it is not (recorded on the withdrawn row)."""
    match = Match.objects.select_related("session").filter(pk=notification.match_id).first()
    if match is None:
        return "the match no longer exists"
    statuses, _, revision = notification.stands_for.partition("@")
    if match.status not in statuses.split(","):
        return f"the match is now {match.status}"
    if revision and int(revision) != match.session.revision:
        return "the session changed after this message was written"
    if notification.kind in BEFORE_START and match.session.starts_at <= timezone.now():
        return "the session had already started"
    if notification.kind in CALL_OFFS and not heard_of(match, to=notification.to, but_not=notification.pk):
        return "the mentor never heard of this match here"
    return None


def heard_of(match, *, to=None, but_not=None):
    """True once any message about `match` went out to its mentor (not merely queued, held or withdrawn);
    with `to`, on that number or address (a cancellation by text needs an invitation by text before it)."""
    mentor = match.mentor
    addresses = [to] if to else [t for t in (mentor.phone, mentor.user.email) if t]
    return Notification.objects.filter(match=match, to__in=addresses).exclude(status__in=UNSENT).exclude(
        pk=but_not).exists()
