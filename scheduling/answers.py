"""Answering an invitation from its link: short, signed, tied to the booking and its revision.

The link (`/i/<token>/`) is in the invitation email (Accept and Decline) and, shortened, in the text.
It is single use in effect: once the match has moved on, the page says what happened and changes
nothing; it expires with the invitation (its `respond_by`) and with any change of the session (the
revision is part of the signature). Answers go through the same services as the web and SMS answers (answer_views.py).
"""
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from core.accounts import site_url

from .models import Match

SALT = "mentorbridge.invitation-answer"
OPEN = (Match.Status.APPROVED, Match.Status.INVITED)


def token_for(match):
    """`<match id>-<revision>-<mac>`: short enough for a text."""
    revision = match.session.revision
    return f"{match.pk}-{revision}-{_mac(match, revision)}"


def _mac(match, revision):
    return salted_hmac(SALT, f"{match.uid}:{revision}").hexdigest()[:16]


def link_for(match, answer=""):
    url = site_url(reverse("scheduling:answer", args=[token_for(match)]))
    return f"{url}?answer={answer}" if answer else url


def match_for(token):
    """The match a token names, or None for a forged or malformed one (a changed session: `stale` is True)."""
    try:
        match_id, revision, mac = token.split("-")
        match = Match.objects.select_related("session__request__school", "session__request__teacher__user",
                                             "session__request__partner_staff__user",
                                             "mentor__user").get(pk=int(match_id))
    except (ValueError, Match.DoesNotExist):
        return None, False
    if not constant_time_compare(mac, _mac(match, int(revision))):
        return None, False
    return match, int(revision) != match.session.revision


def state_of(match, stale):
    """Why this link can no longer answer, in words for the page; None while it can."""
    if match.status == Match.Status.CONFIRMED:
        return "confirmed"
    if match.status == Match.Status.DECLINED:
        return "declined"
    if match.status not in OPEN:
        return "closed"
    if stale:
        return "changed"
    if match.respond_by is not None and match.respond_by < timezone.now():
        return "expired"
    if match.session.starts_at <= timezone.now():
        return "closed"
    return None
