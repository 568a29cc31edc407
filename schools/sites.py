"""A nonprofit's own sites: where its programmes meet, added and kept up by its own staff.

A site is a School row of kind partner_site linked to its member, placed by its ZIP code (core.places, offline)
so matching measures travel to it and its times read in its own timezone.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .models import MentorRequest, School

TIMEZONE_LOCKED = ("This site has requests still open; their times were set in {old}. Finish or cancel them "
                   "before moving the site to {new}, or add the new place as another site.")


def site_keeper(staff):
    """The member whose sites `staff` keeps: only verified staff of an approved nonprofit (else 403)."""
    if not staff.may_request_mentors:
        raise PermissionDenied("Your coordinator has to approve your organization and verify your account first.")
    return staff.member


def sites_of(member):
    """A member's own sites, by name."""
    return School.objects.filter(member=member, kind=School.Kind.PARTNER_SITE).order_by("name")


@transaction.atomic
def save_partner_site(*, member, site=None, name, address, city, place, timezone):
    """Add a site for `member`, or change `site` (one of its own). `place` is the ZIP's core.places.ZipPlace.

    A site whose requests are still open keeps its timezone: their sessions were booked at local times there, and
    moving the zone would move every invitation. Refused with a ValidationError on the field that caused it."""
    if site is None:
        site = School(alliance_id=member.alliance_id, member=member, kind=School.Kind.PARTNER_SITE)
    else:
        site = School.objects.select_for_update().get(pk=site.pk, member=member, kind=School.Kind.PARTNER_SITE)
        if timezone != site.timezone and _has_open_requests(site):
            raise ValidationError({"timezone": TIMEZONE_LOCKED.format(old=site.timezone, new=timezone)})
    site.name, site.address, site.city, site.timezone = name, address, city, timezone
    site.zip_code, site.latitude, site.longitude = place.zip_code, place.latitude, place.longitude
    site.save()
    return site


def _has_open_requests(site):
    done = [MentorRequest.Status.CANCELLED, MentorRequest.Status.COMPLETED]
    return MentorRequest.objects.filter(school=site).exclude(status__in=done).exists()
