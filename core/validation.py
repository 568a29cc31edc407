"""What both front doors (volunteers and teachers) check the same way: email, phone, language.

Each function takes raw input and returns the clean value, or raises Django's ValidationError with words a
volunteer or a teacher understands; forms and serializers put it on the field it belongs to.
"""
import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

LANGUAGE_CHOICES = [
    ("en", "English"), ("es", "Spanish"), ("zh", "Chinese"), ("fr", "French"), ("ht", "Haitian Creole"),
    ("pt", "Portuguese"), ("vi", "Vietnamese"), ("ar", "Arabic"), ("ru", "Russian"), ("ko", "Korean"),
    ("hi", "Hindi"), ("tl", "Tagalog"),
]

# An account's username is its email, and Django's username holds at most 150 characters.
MAX_EMAIL_LENGTH = 150


def normalize_email(value):
    """A lower-case, trimmed address of at most 150 characters; refuses anything that is not an address."""
    email = (value or "").strip().lower()
    if len(email) > MAX_EMAIL_LENGTH:
        raise ValidationError(f"Use an email address of at most {MAX_EMAIL_LENGTH} characters.", code="too_long")
    validate_email(email)
    return email


def phone_e164(value):
    """A US (or +country) phone number in E.164, e.g. '+15185550123'."""
    raw = (value or "").strip()
    message = "Enter a mobile number we can text, like (518) 555-0123."
    try:
        number = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(message, code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(message, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_in_country(number, country):
    """Whether an E.164 number belongs to `country` (ISO 3166, e.g. 'US')."""
    return phonenumbers.region_code_for_number(phonenumbers.parse(number)) == country
