"""Volunteer-side writes: sign-up, email verification, profile, and the coordinator's vetting.

Account emails (verify your address, set your password) go straight through Django's email framework
after the transaction commits; they are not match notifications and do not use the outbox.
"""
from datetime import date
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import validation
from .models import AvailabilityWindow, BlackoutDate, Mentor

VERIFY_SALT = "mentorbridge.verify-email"
VERIFY_MAX_AGE = 60 * 60 * 24 * 3
SIGNUP_SENT_MESSAGE = (
    "Thanks! We sent a link to that address. Open it within three days to confirm your email, then sign in."
)


class VerificationFailed(Exception):
    """The link is broken, expired or for an address that changed since."""


def site_url(path):
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


def _send_after_commit(*, subject, body, to):
    transaction.on_commit(partial(send_mail, subject, body, None, [to], fail_silently=False))


def find_user_by_email(email):
    User = get_user_model()
    return User.objects.filter(email__iexact=email).first() or User.objects.filter(username__iexact=email).first()


def verification_link(user):
    token = signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=VERIFY_SALT)
    return site_url(f"/accounts/verify/{token}/")


def set_password_link(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return site_url(f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/")


def send_verification_email(user):
    _send_after_commit(
        subject="Confirm your email for Mentorbridge",
        body=(f"Hello {user.first_name or ''},\n\nPlease confirm your email address by opening this link "
              f"within three days:\n\n{verification_link(user)}\n\nIf you did not sign up, ignore this email."),
        to=user.email,
    )


def send_set_password_email(user, company):
    _send_after_commit(
        subject="You're invited to mentor with Mentorbridge",
        body=(f"Hello {user.first_name},\n\n{company.name} signed you up to volunteer as a STEM mentor in "
              f"local classrooms. Choose a password to get started:\n\n{set_password_link(user)}\n\n"
              "Then tell us what you know and when you are free. If you did not expect this, ignore this email."),
        to=user.email,
    )


def tell_owner_about_repeat_signup(user):
    """Someone signed up with an address that already has an account: tell its owner, nobody else."""
    if user.is_active:
        action = f"If it was you, sign in at {site_url('/accounts/login/')} or reset your password at " \
                 f"{site_url('/accounts/password_reset/')}."
    else:
        action = f"If it was you, confirm your email with this link first:\n\n{verification_link(user)}"
    _send_after_commit(
        subject="Someone tried to sign up with your email",
        body=f"Hello,\n\nSomeone tried to create a Mentorbridge account with this email address, which "
             f"already has one. {action}\n\nIf it was not you, you can ignore this email.",
        to=user.email,
    )


def create_inactive_user(*, email, password, first_name, last_name):
    """A user who cannot sign in until they follow the emailed link; None if the address was taken meanwhile."""
    user = get_user_model()(username=email, email=email, first_name=first_name, last_name=last_name,
                            is_active=False)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # a concurrent sign-up with the same address won the race
        return None
    return user


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


@transaction.atomic
def verify_email(*, token):
    """Follow a verification link: the account becomes active and its volunteer or teacher profile verified."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature as exc:
        raise VerificationFailed("This link is broken or has expired.") from exc
    user = get_user_model().objects.select_for_update().filter(pk=data.get("u")).first()
    if user is None or user.email.lower() != data.get("e"):
        raise VerificationFailed("This link is for an account that no longer exists.")
    return mailbox_proven(user=user)


@transaction.atomic
def mailbox_proven(*, user):
    """The owner of the address followed a link we emailed (verification or set-password): the account
    becomes active and its volunteer or teacher profile verified."""
    now = timezone.now()
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    for profile in (getattr(user, "mentor", None), getattr(user, "teacher", None)):
        if profile is not None and profile.email_verified_at is None:
            profile.email_verified_at = now
            profile.save(update_fields=["email_verified_at"])
    return user


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
def approve_mentor(*, mentor_id, actor):
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
def record_background_check(*, mentor_id, actor, status, reference="", expires=None, today=None):
    """A coordinator records a background check. A cleared check needs an expiry date in the future."""
    today = today or date.today()
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
