"""Every write of the impact app that is not a feedback answer (those are in `feedback.py`)."""
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from core.accounts import find_user_by_email, send_after_commit, set_password_link

from .models import CompanyLead, SchoolEquity, Target


@transaction.atomic
def set_target(*, alliance, actor, starts_on, ends_on, students, mentors, hours, schools):
    """Set (or replace) the alliance's target for the school year starting `starts_on`.

    A year overlapping another of the alliance's school years is a field error.
    """
    overlapping = (Target.objects.select_for_update().filter(alliance=alliance, starts_on__lte=ends_on,
                                                             ends_on__gte=starts_on).exclude(starts_on=starts_on))
    if overlapping.exists():
        raise ValidationError({"starts_on": "This school year overlaps another one that has targets already."})
    target, _ = Target.objects.update_or_create(
        alliance=alliance, starts_on=starts_on,
        defaults={"ends_on": ends_on, "students": students, "mentors": mentors, "hours": hours,
                  "schools": schools, "changed_by": actor})
    return target


@transaction.atomic
def record_equity(*, school, title_i, frl_percent):
    """Record a school's Title I status and share of students eligible for free or reduced-price lunch."""
    if frl_percent is not None and not 0 <= frl_percent <= 100:
        raise ValidationError({"frl_percent": "Enter a share from 0 to 100 percent."})
    equity, _ = SchoolEquity.objects.update_or_create(school=school, defaults={"title_i": title_i,
                                                                               "frl_percent": frl_percent})
    return equity


@transaction.atomic
def invite_company_lead(*, company, actor, email, first_name, last_name=""):
    """Make `email` the company lead of `company` and email them a link to set their password.

    An address that already belongs to an account of any role is a field error: one person, one role.
    """
    if find_user_by_email(email) is not None:
        raise ValidationError({"email": "That address already has an account; invite another address."})
    user = get_user_model().objects.create_user(username=email.lower(), email=email.lower(),
                                                first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    lead = CompanyLead.objects.create(user=user, company=company, invited_by=actor)
    send_after_commit(
        subject=f"See {company.name}'s volunteering on Mentorbridge",
        body=(f"Hello {first_name},\n\n{actor.get_full_name() or 'Your alliance coordinator'} invited you to see "
              f"{company.name}'s volunteer hours and students reached on Mentorbridge. Set your password here:\n\n"
              f"{set_password_link(user)}\n"),
        to=user.email, alliance=company.alliance)
    return lead
