"""Accounts shared by every front door (volunteers, teachers): links, account emails, sign-up and verification.

Account emails go out after commit through `send_after_commit`, so a sign-up that rolls back mails nothing;
each is plain text with an HTML alternative in the alliance's look (core.brand), like every other email.
"""
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.brand import email_look

VERIFY_SALT = "mentorbridge.verify-email"
VERIFY_MAX_AGE = 60 * 60 * 24 * 3
SIGNUP_SENT_MESSAGE = (
    "Thanks! We sent a link to that address. Open it within three days to confirm your email, then sign in."
)


class VerificationFailed(Exception):
    """The link is broken, expired or for an address that changed since."""


def site_url(path):
    """The absolute URL of `path` on the public site (links in emails and texts)."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


def send_after_commit(*, subject, body, to, alliance=None):
    """Email `to` once the current transaction commits (nothing is sent for a change that rolls back), in
    `alliance`'s look (the house look when None)."""
    brand = email_look(alliance)
    why = f"You got this email because this address was given to {brand['name']} on Mentorbridge."
    html = render_to_string("emails/message.html", {"text": body, "why": why, "brand": brand})
    transaction.on_commit(partial(send_mail, subject, body, None, [to], fail_silently=False, html_message=html))


def find_user_by_email(email):
    """The account with this email (or username), whatever its case; None if there is none."""
    User = get_user_model()
    return User.objects.filter(email__iexact=email).first() or User.objects.filter(username__iexact=email).first()


def verification_link(user):
    token = signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=VERIFY_SALT)
    return site_url(f"/accounts/verify/{token}/")


def set_password_link(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return site_url(f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/")


def send_verification_email(user):
    """Email the link that activates the account and verifies its email (after commit)."""
    send_after_commit(
        subject="Confirm your email for Mentorbridge",
        body=(f"Hello {user.first_name or ''},\n\nPlease confirm your email address by opening this link "
              f"within three days:\n\n{verification_link(user)}\n\nIf you did not sign up, ignore this email."),
        to=user.email,
    )


def tell_owner_about_repeat_signup(user):
    """Someone signed up with an address that already has an account: tell its owner, nobody else."""
    if user.is_active:
        action = f"If it was you, sign in at {site_url('/accounts/login/')} or reset your password at " \
                 f"{site_url('/accounts/password_reset/')}."
    else:
        action = f"If it was you, confirm your email with this link first:\n\n{verification_link(user)}"
    send_after_commit(
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
