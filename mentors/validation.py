"""Rules for what volunteers and coordinators type in, shared by the web forms and the API serializers.

Each function takes raw input and returns the clean value, or raises Django's ValidationError with
words a volunteer or a teacher understands. Forms and serializers both turn that into an error on the
field it belongs to.
"""
from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError

from core.places import zip_place

# The rules both front doors share live in core; mentors' forms, API and import read them from here too.
from core.validation import LANGUAGE_CHOICES, normalize_email, phone_e164, phone_in_country  # noqa: F401

from .models import Company

SMS_CONSENT_TEXT = (
    "I agree to receive text messages from Mentorbridge about mentoring invitations, changes and reminders "
    "at this number. Message frequency varies; message and data rates may apply. Reply STOP to opt out, "
    "HELP for help."
)

TIMEZONE_CHOICES = [
    ("America/New_York", "Eastern time"),
    ("America/Chicago", "Central time"),
    ("America/Denver", "Mountain time"),
    ("America/Phoenix", "Arizona time"),
    ("America/Los_Angeles", "Pacific time"),
    ("America/Anchorage", "Alaska time"),
    ("Pacific/Honolulu", "Hawaii time"),
]

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MAX_BLACKOUT_DATES = 100


def email_domain(email):
    return email.rsplit("@", 1)[-1].lower()


@dataclass(frozen=True)
class Place:
    zip_code: str
    latitude: float
    longitude: float
    timezone: str


def geocode_zip(value):
    """Where a US ZIP code is, from the offline `zipcodes` table (no network call)."""
    raw = (value or "").strip()
    five = raw.split("-", 1)[0]
    if len(five) != 5 or not five.isdigit():
        raise ValidationError("Enter a five-digit US ZIP code, like 12305.", code="invalid_zip")
    found = zip_place(five)
    if found is None:
        raise ValidationError(f"We could not find ZIP code {five}. Check the five digits.", code="unknown_zip")
    return Place(five, found.latitude, found.longitude, found.timezone)


def check_timezone(value):
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError("Pick your timezone from the list.", code="invalid_timezone") from exc
    return value


def merge_availability(blocks):
    """Weekly blocks [(weekday, start, end), ...] sorted, with overlapping or touching blocks merged.

    Times are wall-clock times in the volunteer's own timezone; the matching engine turns them into UTC
    date by date, so daylight saving time is handled there.
    """
    cleaned = []
    for weekday, start, end in blocks:
        if not 0 <= int(weekday) <= 6:
            raise ValidationError("Pick a day of the week.", code="invalid_weekday")
        if not isinstance(start, time) or not isinstance(end, time):
            raise ValidationError("Enter a start and an end time.", code="invalid_time")
        if end <= start:
            raise ValidationError(
                f"On {WEEKDAY_NAMES[int(weekday)]} the block must end after it starts "
                f"({start:%H:%M} to {end:%H:%M}).", code="ends_before_start",
            )
        cleaned.append((int(weekday), start, end))
    merged = []
    for weekday, start, end in sorted(cleaned):
        if merged and merged[-1][0] == weekday and start <= merged[-1][2]:
            merged[-1] = (weekday, merged[-1][1], max(end, merged[-1][2]))
        else:
            merged.append((weekday, start, end))
    return merged


def parse_blackout_dates(values):
    """Unique, sorted dates; accepts date objects or 'YYYY-MM-DD' strings (one per line in a text box)."""
    if isinstance(values, str):
        values = [line.strip() for line in values.replace(",", "\n").splitlines() if line.strip()]
    dates = set()
    for value in values:
        if isinstance(value, date):
            dates.add(value)
            continue
        try:
            dates.add(date.fromisoformat(str(value).strip()))
        except ValueError as exc:
            raise ValidationError(
                f"“{value}” is not a date. Write dates like 2026-12-24, one per line.", code="invalid_date"
            ) from exc
    if len(dates) > MAX_BLACKOUT_DATES:
        raise ValidationError(f"At most {MAX_BLACKOUT_DATES} dates, please.", code="too_many_dates")
    return sorted(dates)


def company_for(email, invite_code=""):
    """The company a new volunteer joins: by invite code if given, else by their work-email domain.

    Raises a ValidationError keyed by the field at fault ("invite_code" or "email").
    """
    code = (invite_code or "").strip()
    if code:
        company = Company.objects.filter(invite_code__iexact=code).first()
        if company is None:
            raise ValidationError({"invite_code": "That invite code is not valid. Check it with your company."})
        return company
    company = Company.objects.filter(email_domain__iexact=email_domain(email)).first()
    if company is None:
        raise ValidationError({"email": (
            "We don't recognise this company email domain. Use your work email, or ask your company's "
            "volunteer lead for an invite code."
        )})
    return company
