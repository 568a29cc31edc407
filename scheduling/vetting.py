"""Vetting that reaches into classrooms: a volunteer who is no longer cleared is taken out of every
session the safety gate now refuses them, one transaction per volunteer.

Pages and the API call these, never `mentors.services`' vetting functions directly, so a failed,
revoked or lapsed check and a suspension always withdraw the volunteer's bookings (the admin shows
the vetting fields read-only).
"""
import logging
import uuid

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from alliances.models import Coordinator
from mentors import services as mentor_services
from mentors.models import Mentor
from notifications import inbound

from . import messages, services
from .models import Match

log = logging.getLogger(__name__)
CHECK = Mentor.BackgroundCheck


def _future_booked(mentor_id):
    return Match.objects.filter(mentor_id=mentor_id, status__in=Match.BOOKED, session__ends_at__gt=timezone.now())


def withdraw_uncleared(*, mentor_id, actor, why, via="web"):
    """Withdraw every future booked match of the volunteer that the safety gate now refuses.

    Caller holds the transaction. `why` ("their background check was recorded as failed") goes to the
    audit rows and to the coordinators (inbox and email), never to the teacher or the mentor.
    Returns the withdrawn matches.
    """
    withdrawn = []
    for match_id in _future_booked(mentor_id).order_by("session__starts_at", "pk").values_list("pk", flat=True):
        match = services.withdraw_match(match_id=match_id, actor=actor, via=via, reason=why)
        if match is not None:
            withdrawn.append(match)
    if withdrawn:
        _alert_coordinators(withdrawn[0].mentor, withdrawn, why)
    return withdrawn


def _alert_coordinators(mentor, matches, why):
    alliance = mentor.company.alliance
    key = f"withdrawn:mentor-{mentor.pk}:{uuid.uuid4().hex[:20]}"
    emails = Coordinator.objects.filter(alliance=alliance).values_list("user__email", flat=True)
    subject, body = messages.queue_withdrawal_alert(mentor=mentor, matches=matches, why=why,
                                                   coordinator_emails=[e for e in emails if e], key=key)
    inbound.post_alert(alliance=alliance, key=key, body=f"{subject}. {body}")
    log.info("withdrew volunteer %s from %d match(es): %s", mentor.pk, len(matches), why)


@transaction.atomic
def record_background_check(*, mentor_id, actor, status, reference="", expires=None, via="web"):
    """Record a check (see `mentors.services.record_background_check`), then withdraw the volunteer from
    every in-person session it does not cover (a failed, revoked or expired check covers none)."""
    mentor = mentor_services.record_background_check(mentor_id=mentor_id, actor=actor, status=status,
                                                     reference=reference, expires=expires, via=via)
    withdraw_uncleared(mentor_id=mentor.pk, actor=actor, via=via, why=_check_why(mentor))
    return mentor


def _check_why(mentor):
    if mentor.status != Mentor.Status.APPROVED:
        return f"they are {mentor.get_status_display()}"
    if mentor.background_check_status == CHECK.CLEARED:
        return f"their background check expires {mentor.background_check_expires:%Y-%m-%d}, before the session ends"
    return f"their background check was recorded as {mentor.get_background_check_status_display().lower()}"


@transaction.atomic
def suspend_volunteer(*, mentor_id, actor, reason, via="web"):
    """Suspend a volunteer and withdraw them from every future booked session, in person or virtual."""
    mentor = mentor_services.suspend_mentor(mentor_id=mentor_id, actor=actor, reason=reason, via=via)
    withdraw_uncleared(mentor_id=mentor.pk, actor=actor, via=via, why=f"they were suspended ({reason.strip()})")
    return mentor


def approve_volunteer(*, mentor_id, actor, via="web"):
    """Approve a pending volunteer (nothing to withdraw: approval only ever lets someone in)."""
    return mentor_services.approve_mentor(mentor_id=mentor_id, actor=actor, via=via)


def withdraw_uncleared_mentors(*, today=None):
    """The daily sweep: checks past their date become `expired`, and every volunteer whose check will
    not cover a booked session (ahead of time: before it ends) is withdrawn from it. One transaction
    per volunteer; returns how many matches were withdrawn."""
    today = today or timezone.now().date()
    withdrawn = 0
    lapsed = Mentor.objects.filter(background_check_status=CHECK.CLEARED, background_check_expires__lt=today)
    for mentor_id in lapsed.values_list("pk", flat=True):
        with transaction.atomic():
            mentor = mentor_services.expire_background_check(mentor_id=mentor_id, today=today)
            if mentor is not None:
                withdrawn += len(withdraw_uncleared(mentor_id=mentor_id, actor=None, via="system",
                                                    why=_check_why(mentor)))
    for mentor_id in _uncovered_mentor_ids():
        with transaction.atomic():
            mentor = Mentor.objects.get(pk=mentor_id)
            withdrawn += len(withdraw_uncleared(mentor_id=mentor_id, actor=None, via="system",
                                                why=_check_why(mentor)))
    return withdrawn


def _uncovered_mentor_ids():
    """Volunteers booked for a future session the safety gate would refuse them now: one that needs a
    check their check does not cover, or any session once they are no longer approved.

    Session days are compared in UTC, as the safety gate compares them (TIME_ZONE is UTC).
    """
    not_covered = (~Q(mentor__background_check_status=CHECK.CLEARED)
                   | Q(mentor__background_check_expires__lt=F("session__ends_at__date")))
    refused = Q(session__requires_background_check=True) & not_covered | ~Q(mentor__status=Mentor.Status.APPROVED)
    return set(
        Match.objects.filter(status__in=Match.BOOKED, session__ends_at__gt=timezone.now())
        .filter(refused).values_list("mentor_id", flat=True)
    )
