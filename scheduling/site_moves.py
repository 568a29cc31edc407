"""A partner's site that moves: the sessions to come there move with it.

A nonprofit's staff keep their own sites (schools.sites). When a site's place changes (street, city or ZIP),
each in-person session still to come there changes place too: its revision goes up, so calendars move the
event, and every booked mentor hears where it meets now. Nobody is held to a place they never agreed to: a
mentor for whom the new place is beyond their own travel range (the engine's constraint 6) is asked again when
confirmed (YES keeps the place, NO or silence frees it), and released when not yet confirmed, matching then
looking for someone else (the requester, who moved the site, is not told of that).
"""
from collections import Counter
from math import radians

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.vocabulary import Format
from schools import sites
from schools.models import School

from . import messages
from .engine.rules import haversine_km
from .locks import lock_matches, lock_requests, lock_sessions
from .models import Match, Session
from .services import ask_to_reconfirm, cancel_match

BEYOND_RANGE = "the site moved beyond the mentor's travel range"


@transaction.atomic
def save_site(*, member, actor, site=None, **fields):
    """Add or change one of `member`'s sites (schools.sites.save_partner_site takes `fields`); when an existing
    site's place changed, its sessions to come follow it. Returns the saved site and what became of the
    mentors booked there (a Counter of "told", "asked" and "released"; empty when nothing moved)."""
    if site is None:
        return sites.save_partner_site(member=member, **fields), Counter()
    site = School.objects.select_for_update().get(pk=site.pk, member=member, kind=School.Kind.PARTNER_SITE)
    before = site.full_address  # older rows carry the city and ZIP inside `address`: the same place still
    saved = sites.save_partner_site(member=member, site=site, **fields)
    if saved.full_address == before:
        return saved, Counter()
    return saved, _follow(saved, actor=actor, old_address=before)


def _follow(site, *, actor, old_address):
    upcoming = (Session.objects.filter(request__school=site, request__format=Format.IN_PERSON,
                                       starts_at__gt=timezone.now())
                .exclude(status=Session.Status.CANCELLED))
    lock_requests(set(upcoming.values_list("request_id", flat=True)))
    session_ids = [session.pk for session in lock_sessions(list(upcoming.values_list("pk", flat=True)))]
    Session.objects.filter(pk__in=session_ids).update(revision=F("revision") + 1)
    outcomes = Counter()
    for match in lock_matches(Match.objects.filter(session_id__in=session_ids, status__in=Match.BOOKED)):
        if within_range(match.mentor, site):
            messages.queue_site_moved(match, old_address=old_address, ask=False)
            outcomes["told"] += 1
        elif match.status == Match.Status.CONFIRMED:
            ask_to_reconfirm(match, actor=actor, reason=BEYOND_RANGE + "; asked to reconfirm")
            messages.queue_site_moved(match, old_address=old_address, ask=True)
            outcomes["asked"] += 1
        else:
            cancel_match(match_id=match.pk, actor=actor, via="system", reason=BEYOND_RANGE, tell_teacher=False)
            outcomes["released"] += 1
    return outcomes


def outcome_words(outcomes):
    """What the move did to the mentors booked there, for the partner who moved the site ("" when nothing)."""
    def mentors(n):
        return f"{n} mentor{'s' if n != 1 else ''}"
    parts = [f"{mentors(outcomes['told'])} told the new address" if outcomes["told"] else "",
             f"{mentors(outcomes['asked'])} asked again, as it is further than they travel"
             if outcomes["asked"] else "",
             f"{mentors(outcomes['released'])} not yet confirmed released, as it is further than they travel; "
             "we are looking for someone else" if outcomes["released"] else ""]
    said = [part for part in parts if part]
    return f"Sessions booked there move with it: {'; '.join(said)}." if said else ""


def within_range(mentor, site):
    """Is `site` within the mentor's own travel radius (great-circle distance, as the engine measures it)?"""
    if mentor.latitude is None or site.latitude is None:
        return False
    points = map(radians, (mentor.latitude, mentor.longitude, site.latitude, site.longitude))
    return float(haversine_km(*points)) <= mentor.travel_km
