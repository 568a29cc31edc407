"""Volunteer-side writes: sign-up, email verification, profile, and the coordinator's vetting.

Account emails (verify your address, set your password) go straight through Django's email framework
after the transaction commits; they are not match notifications and do not use the outbox.
"""
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import accounts
from core.accounts import (
    create_inactive_user,
    find_user_by_email,
    send_verification_email,
    set_password_link,
    tell_owner_about_repeat_signup,
)
from notifications import emails

from . import validation
from .models import AvailabilityWindow, BlackoutDate, Mentor, VettingChange


def send_set_password_email(user, company):
    accounts.send_after_commit(
        subject="You're invited to mentor with Mentorbridge",
        body=(f"Hello {user.first_name},\n\n{company.name} signed you up to volunteer as a STEM mentor in "
              f"local classrooms. Choose a password to get started:\n\n{set_password_link(user)}\n\n"
              "Then tell us what you know and when you are free. If you did not expect this, ignore this email."),
        to=user.email, alliance=company.alliance,
    )


@transaction.atomic
def sign_up_volunteer(*, email, password, first_name, last_name, invite_code=""):
    """Create a pending volunteer and email a verification link; an existing address gets a notice instead.

    The caller shows the same message whichever happened, so nobody learns whether an account exists.
    Raises ValidationError (by field) when no company matches the email domain or invite code.
    """
    email = validation.normalize_email(email)
    company = validation.company_for(email, invite_code)
    existing = find_user_by_email(email)
    if existing is not None:
        tell_owner_about_repeat_signup(existing)
        return None
    user = create_inactive_user(email=email, password=password, first_name=first_name, last_name=last_name)
    if user is None:
        tell_owner_about_repeat_signup(find_user_by_email(email))
        return None
    mentor = Mentor.objects.create(user=user, company=company, status=Mentor.Status.PENDING, languages=["en"])
    send_verification_email(user)
    return mentor


# --- profile ---------------------------------------------------------------

PROFILE_FIELDS = ("bio", "grade_bands", "formats", "languages", "travel_km", "timezone", "monthly_session_cap")


@transaction.atomic
def update_profile(*, mentor, data, ip=None):
    """Apply a validated slice of the profile; absent keys are left as they are.

    `data` may hold PROFILE_FIELDS, "skills", "zip_code", "availability" (merged blocks), "blackout_dates",
    and "phone" with "sms_consent". Coordinator-only fields are never read from it.
    """
    fields = [name for name in PROFILE_FIELDS if name in data]
    for name in fields:
        setattr(mentor, name, data[name])
    if "zip_code" in data:
        fields += _set_home(mentor, data["zip_code"])
    if "phone" in data:
        fields += _set_phone(mentor, data["phone"], data.get("sms_consent", False), ip)
    if fields:
        mentor.save(update_fields=sorted(set(fields)))
    if "skills" in data:
        mentor.skills.set(data["skills"])
    if "availability" in data:
        replace_availability(mentor, data["availability"])
    if "blackout_dates" in data:
        replace_blackout_dates(mentor, data["blackout_dates"])
    return mentor


def _set_home(mentor, place):
    if place is None:
        mentor.zip_code, mentor.latitude, mentor.longitude = "", None, None
    else:
        mentor.zip_code, mentor.latitude, mentor.longitude = place.zip_code, place.latitude, place.longitude
    return ["zip_code", "latitude", "longitude"]


def _set_phone(mentor, phone, consent, ip):
    """Store the number; keep proof of consent (wording, time, address) only when the box was ticked."""
    changed = phone != mentor.phone
    mentor.phone = phone or ""
    mentor.phone_invalid_at = None if changed else mentor.phone_invalid_at
    if phone and consent:
        if changed or mentor.sms_consent_at is None:
            mentor.sms_consent_at = timezone.now()
            mentor.sms_consent_text = validation.SMS_CONSENT_TEXT
            mentor.sms_consent_ip = ip
    else:
        mentor.sms_consent_at, mentor.sms_consent_text, mentor.sms_consent_ip = None, "", None
    return ["phone", "phone_invalid_at", "sms_consent_at", "sms_consent_text", "sms_consent_ip"]


def replace_availability(mentor, blocks):
    """Replace the weekly blocks with `blocks` (merged first, so overlaps never reach the engine)."""
    merged = validation.merge_availability(blocks)
    mentor.availability.all().delete()
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(mentor=mentor, weekday=d, start_time=s, end_time=e) for d, s, e in merged
    )


def replace_blackout_dates(mentor, dates):
    mentor.blackout_dates.all().delete()
    BlackoutDate.objects.bulk_create(BlackoutDate(mentor=mentor, date=d) for d in sorted(set(dates)))


def profile_is_complete(mentor):
    return bool(mentor.grade_bands and mentor.formats and mentor.availability.exists()
                and mentor.skills.exists())


# --- coordinator vetting ---------------------------------------------------
# These change only the volunteer's own record (and its audit row). Taking a volunteer who is no longer
# cleared out of their classrooms is `scheduling.vetting`'s job: pages and API call that.


def _audit(mentor, *, kind, was, now, actor, via, reason=""):
    VettingChange.objects.create(mentor=mentor, kind=kind, from_value=was, to_value=now, actor=actor, via=via,
                                 reason=reason)


@transaction.atomic
def approve_mentor(*, mentor_id, actor, via="web"):
    """A coordinator approves a pending volunteer (approval alone never skips the background check).

    Approving an approved volunteer changes nothing and writes nothing; any other status is a field error.
    """
    mentor = Mentor.objects.select_for_update().get(pk=mentor_id)
    if mentor.status == Mentor.Status.PENDING:
        Mentor.objects.filter(pk=mentor.pk).update(status=Mentor.Status.APPROVED)
        _audit(mentor, kind=VettingChange.Kind.STATUS, was=mentor.status, now=Mentor.Status.APPROVED,
               actor=actor, via=via)
        mentor.status = Mentor.Status.APPROVED
        _email_approved(mentor)
    elif mentor.status != Mentor.Status.APPROVED:
        raise ValidationError({"status": f"This volunteer is {mentor.get_status_display()}; "
                                         "only pending volunteers can be approved."})
    return mentor


def _tell_approved(mentor):
    """The note a volunteer gets once approved (sent after the approval commits)."""
    alliance = mentor.company.alliance
    accounts.send_after_commit(
        subject=f"You're approved to mentor with {alliance.name}",
        body=(f"Hello {mentor.user.first_name or mentor.display_name},\n\n{alliance.name} has approved you as a "
              "volunteer mentor. When a class needs someone with your skills at a time you're free, we'll text or "
              "email you an invitation to accept or decline.\n\nKeep your profile up to date: "
              f"{accounts.site_url('/me/profile/')}\n"),
        to=mentor.user.email, alliance=alliance)


def _next_steps(mentor):
    steps = []
    if mentor.cleared_through() is None:
        steps.append("Your coordinator starts your background check; classroom visits wait until it is cleared "
                     "(virtual sessions may not need it).")
    if mentor.can_be_texted:
        steps.append(f"When a classroom needs you, we text {mentor.phone}: reply YES or NO. Each invitation also "
                     "comes by email with a calendar entry and Accept and Decline links.")
    else:
        steps.append("When a classroom needs you, we email you an invitation with Accept and Decline links. Add a "
                     "mobile number to your profile to get invitations by text too.")
    steps.append("Keep your availability and blackout dates up to date, so invitations fit your week.")
    return steps


def _email_approved(mentor):
    alliance = mentor.company.alliance
    emails.queue_email(
        key=f"volunteer-approved:email:{mentor.user.email}", kind="volunteer_approved", to=mentor.user.email,
        subject=f"Welcome to {alliance.name}: you're approved as a mentor", template="volunteer_approved",
        alliance=alliance,
        context={"alliance_name": alliance.name, "name": mentor.display_name, "next_steps": _next_steps(mentor),
                 "sessions_url": accounts.site_url(reverse("my-sessions")),
                 "why": f"You got this email because you signed up as a volunteer with {alliance.name}."},
    )


@transaction.atomic
def suspend_mentor(*, mentor_id, actor, reason, via="web"):
    """A coordinator suspends a volunteer: no match can be approved or confirmed for them any more.

    The reason is required (a field error otherwise) and kept in the audit row; a suspended volunteer
    stays suspended (suspending again is a field error, so nobody thinks they did something).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why, so the next coordinator knows."})
    mentor = Mentor.objects.select_for_update().get(pk=mentor_id)
    if mentor.status == Mentor.Status.SUSPENDED:
        raise ValidationError({"status": "This volunteer is already suspended."})
    Mentor.objects.filter(pk=mentor.pk).update(status=Mentor.Status.SUSPENDED)
    _audit(mentor, kind=VettingChange.Kind.STATUS, was=mentor.status, now=Mentor.Status.SUSPENDED,
           actor=actor, via=via, reason=reason)
    mentor.status = Mentor.Status.SUSPENDED
    return mentor


@transaction.atomic
def record_background_check(*, mentor_id, actor, status, reference="", expires=None, today=None, via="web",
                            reason=""):
    """A coordinator records a background check. A cleared check needs an expiry date in the future.

    Writes an audit row with the status before and after (and the expiry, when there is one).
    """
    today = today or date.today()
    if status not in Mentor.BackgroundCheck.values:
        raise ValidationError({"status": "Pick a background check status."})
    if status == Mentor.BackgroundCheck.CLEARED:
        if expires is None:
            raise ValidationError({"expires": "A cleared check needs the date it expires."})
        if expires <= today:
            raise ValidationError({"expires": "That date has passed; a cleared check must expire in the future."})
    else:
        expires = expires if status == Mentor.BackgroundCheck.EXPIRED else None
    mentor = Mentor.objects.select_for_update().get(pk=mentor_id)
    was = _check_label(mentor.background_check_status, mentor.background_check_expires)
    mentor.background_check_status = status
    mentor.background_check_reference = (reference or "").strip()
    mentor.background_check_expires = expires
    mentor.save(update_fields=["background_check_status", "background_check_reference", "background_check_expires"])
    _audit(mentor, kind=VettingChange.Kind.BACKGROUND_CHECK, was=was, now=_check_label(status, expires),
           actor=actor, via=via, reason=reason)
    return mentor


def invalid_numbers():
    """The numbers of profiles flagged as unable to get texts, as a query the outbox's claim embeds
    (NOTIFICATIONS_INVALID_NUMBERS)."""
    return Mentor.objects.filter(phone_invalid_at__isnull=False).exclude(phone="").values("phone")


def flag_bad_number(phone):
    """The SMS provider says the number cannot get texts: mark the profiles, which stops all texts to it until
    the volunteer fixes it (NOTIFICATIONS_BAD_NUMBER_HANDLER)."""
    Mentor.objects.filter(phone=phone, phone_invalid_at__isnull=True).update(phone_invalid_at=timezone.now())


def _check_label(status, expires):
    return f"{status} until {expires:%Y-%m-%d}" if status == Mentor.BackgroundCheck.CLEARED and expires else status


@transaction.atomic
def expire_background_check(*, mentor_id, today):
    """The daily sweep: a cleared check whose expiry date has passed becomes `expired` (audited as the
    system). Returns the volunteer, or None when the check was renewed or changed meanwhile."""
    mentor = Mentor.objects.select_for_update().get(pk=mentor_id)
    if mentor.background_check_status != Mentor.BackgroundCheck.CLEARED or mentor.background_check_expires >= today:
        return None
    return record_background_check(
        mentor_id=mentor.pk, actor=None, status=Mentor.BackgroundCheck.EXPIRED, today=today,
        reference=mentor.background_check_reference, expires=mentor.background_check_expires, via="system",
        reason="the check passed its expiry date",
    )
