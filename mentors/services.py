"""Volunteer-side writes: sign-up, email verification, profile, and the coordinator's vetting.

Account emails (verify your address, set your password) go straight through Django's email framework
after the transaction commits; they are not match notifications and do not use the outbox.
"""
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import accounts
from core.accounts import (
    create_inactive_user,
    find_user_by_email,
    send_verification_email,
    set_password_link,
    tell_owner_about_repeat_signup,
)

from . import validation
from .models import AvailabilityWindow, BlackoutDate, Mentor


def send_set_password_email(user, company):
    accounts.send_after_commit(
        subject="You're invited to mentor with Mentorbridge",
        body=(f"Hello {user.first_name},\n\n{company.name} signed you up to volunteer as a STEM mentor in "
              f"local classrooms. Choose a password to get started:\n\n{set_password_link(user)}\n\n"
              "Then tell us what you know and when you are free. If you did not expect this, ignore this email."),
        to=user.email,
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

@transaction.atomic
def approve_mentor(*, mentor_id):
    """A coordinator approves a pending volunteer (approval alone never skips the background check)."""
    mentor = Mentor.objects.select_for_update().get(pk=mentor_id)
    if mentor.status == Mentor.Status.PENDING:
        mentor.status = Mentor.Status.APPROVED
        mentor.save(update_fields=["status"])
    elif mentor.status != Mentor.Status.APPROVED:
        raise ValidationError({"status": f"This volunteer is {mentor.get_status_display()}; "
                                         "only pending volunteers can be approved."})
    return mentor


@transaction.atomic
def record_background_check(*, mentor_id, status, reference="", expires=None):
    """A coordinator records a background check. A cleared check needs an expiry date in the future."""
    today = date.today()
    if status not in Mentor.BackgroundCheck.values:
        raise ValidationError({"status": "Pick a background check status."})
    if status == Mentor.BackgroundCheck.CLEARED:
        if expires is None:
            raise ValidationError({"expires": "A cleared check needs the date it expires."})
        if expires <= today:
            raise ValidationError({"expires": "That date has passed; a cleared check must expire in the future."})
    mentor = Mentor.objects.select_for_update().get(pk=mentor_id)
    mentor.background_check_status = status
    mentor.background_check_reference = (reference or "").strip()
    mentor.background_check_expires = expires
    mentor.save(update_fields=["background_check_status", "background_check_reference", "background_check_expires"])
    return mentor


def number_flagged_invalid(phone):
    """Whether a profile with this number was flagged as unable to get texts (NOTIFICATIONS_BAD_NUMBER_CHECK)."""
    return Mentor.objects.filter(phone=phone, phone_invalid_at__isnull=False).exists()


def flag_bad_number(phone):
    """The SMS provider says the number cannot get texts: mark the profiles, which stops all texts to it until
    the volunteer fixes it (NOTIFICATIONS_BAD_NUMBER_HANDLER)."""
    Mentor.objects.filter(phone=phone, phone_invalid_at__isnull=True).update(phone_invalid_at=timezone.now())
