"""Coordinators told of sign-ups awaiting them: one digest a day per coordinator, not one email per person."""
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from alliances.models import Alliance
from core.accounts import site_url
from mentors.models import Mentor
from notifications import emails
from schools.models import Teacher

LISTED = 20


def awaiting(alliance):
    """(volunteers to approve, teachers to verify) of the alliance, oldest first."""
    volunteers = Mentor.objects.filter(company__alliance=alliance, status=Mentor.Status.PENDING).select_related(
        "user", "company").order_by("user__date_joined", "pk")
    teachers = Teacher.objects.filter(school__alliance=alliance, verified_at__isnull=True).select_related(
        "user", "school").order_by("user__date_joined", "pk")
    return list(volunteers), list(teachers)


def queue_signup_digests(now=None):
    """Email each coordinator whose alliance has sign-ups waiting; at most once a day (keyed by date).
    Returns how many digests were queued."""
    now = now or timezone.now()
    queued = 0
    for alliance in Alliance.objects.prefetch_related("coordinators__user"):
        volunteers, teachers = awaiting(alliance)
        if not (volunteers or teachers):
            continue
        since = now - timedelta(days=1)
        new = sum(1 for person in [*volunteers, *teachers] if person.user.date_joined >= since)
        for coordinator in alliance.coordinators.all():
            queued += _queue(alliance, coordinator, volunteers, teachers, new, now)
    return queued


def _queue(alliance, coordinator, volunteers, teachers, new, now):
    email = coordinator.user.email
    if not email:
        return 0
    total = len(volunteers) + len(teachers)
    emails.queue_email(
        key=f"signup-digest:email:{email}:{now:%Y-%m-%d}", kind="signup_digest", to=email,
        subject=f"{total} sign-up{'s' if total != 1 else ''} waiting for you at {alliance.name}",
        template="signup_digest", alliance=alliance,
        context={"alliance_name": alliance.name, "name": str(coordinator), "total": total, "new": new,
                 "volunteers": [f"{m.display_name} ({m.company.name})" for m in volunteers[:LISTED]],
                 "teachers": [f"{t} ({t.school.name})" for t in teachers[:LISTED]],
                 "volunteers_url": site_url(reverse("coordinator-volunteers")),
                 "teachers_url": site_url(reverse("coordinator-teachers")),
                 "why": f"You got this email because you coordinate {alliance.name}. It comes once a day while "
                        "sign-ups are waiting."},
    )
    return 1
