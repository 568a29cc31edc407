"""Bulk import of a company's volunteers from CSV: a dry run that names every bad row, then one transaction.

The dry run returns a signed token carrying the good rows; confirming with it re-checks them and imports
all of them or none (if anything changed since the preview, the coordinator sees a fresh preview).
"""
import csv
import io
from dataclasses import asdict, dataclass, field

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import accounts

from . import services, validation
from .models import Company, Mentor

REQUIRED_COLUMNS = ("email", "first_name", "last_name")
OPTIONAL_COLUMNS = ("phone", "zip_code")
MAX_ROWS = 2000
MAX_BYTES = 1_000_000
TOKEN_SALT = "mentorbridge.csv-import"
TOKEN_MAX_AGE = 60 * 60


@dataclass
class Row:
    line: int
    email: str
    first_name: str
    last_name: str
    phone: str = ""
    zip_code: str = ""


@dataclass
class Problem:
    line: int
    field: str
    message: str


@dataclass
class Preview:
    company: Company
    good: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def bad_lines(self):
        return sorted({p.line for p in self.problems})

    def token(self):
        return signing.dumps({"company": self.company.pk, "rows": [asdict(r) for r in self.good]},
                             salt=TOKEN_SALT, compress=True)

    def as_dict(self):
        return {
            "company": self.company.name,
            "good_rows": [asdict(r) for r in self.good],
            "bad_rows": [asdict(p) for p in self.problems],
            "confirm_token": self.token() if self.good else None,
        }


class ImportRefused(Exception):
    """The file as a whole cannot be read (wrong columns, not CSV, too big)."""


def decode(upload):
    """Text of an uploaded file (bytes or str), accepting Excel's UTF-8 with BOM."""
    data = upload.read() if hasattr(upload, "read") else upload
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise ImportRefused("The file is larger than 1 MB; split it into smaller files.")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRefused("Save the file as CSV UTF-8 and try again.") from exc
    return data


def read_rows(text):
    try:
        return _read_rows(text)
    except csv.Error as exc:
        raise ImportRefused(f"This file is not a readable CSV file ({exc}). Save it as CSV UTF-8.") from exc


def _read_rows(text):
    reader = csv.DictReader(io.StringIO(text))
    columns = [(c or "").strip().lower() for c in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportRefused(
            f"The first line must name the columns; missing: {', '.join(missing)}. "
            f"Expected: {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}."
        )
    reader.fieldnames = columns
    rows = []
    for line, raw in enumerate(reader, start=2):
        if not any((v or "").strip() for k, v in raw.items() if k):
            continue
        rows.append((line, {k: (raw.get(k) or "").strip() for k in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}))
        if len(rows) > MAX_ROWS:
            raise ImportRefused(f"At most {MAX_ROWS} volunteers per file.")
    return rows


def check_row(line, raw, seen, company):
    """One row's problems (a list), and the clean Row when there are none.

    An address must be at the company's domain when it has one; an address that already has an account
    is refused (an import never touches an existing account).
    """
    problems = []
    try:
        email = validation.normalize_email(raw["email"])
    except ValidationError as exc:
        why = " ".join(exc.messages) if exc.code == "too_long" else "is not an email address."
        return [Problem(line, "email", f"“{raw['email'][:160]}” {why}")], None
    domain = (company.email_domain or "").lower()
    if domain and validation.email_domain(email) != domain:
        problems.append(Problem(line, "email", f"{email} is not at {domain}, {company.name}'s email domain."))
    elif email in seen:
        problems.append(Problem(line, "email", f"{email} appears more than once (first on line {seen[email]})."))
    else:
        seen[email] = line
        if accounts.find_user_by_email(email) is not None:
            problems.append(Problem(line, "email", f"{email} already has a Mentorbridge account."))
    for name in ("first_name", "last_name"):
        if not raw[name]:
            problems.append(Problem(line, name, f"The {name.replace('_', ' ')} is missing."))
    phone = _clean(raw["phone"], validation.phone_e164, line, "phone", problems) if raw["phone"] else ""
    place = _clean(raw["zip_code"], validation.geocode_zip, line, "zip_code", problems) if raw["zip_code"] else None
    if problems:
        return problems, None
    return [], Row(line, email, raw["first_name"][:150], raw["last_name"][:150], phone or "",
                   place.zip_code if place else "")


def _clean(value, check, line, name, problems):
    try:
        return check(value)
    except ValidationError as exc:
        problems.append(Problem(line, name, " ".join(exc.messages)))
        return None


def preview(*, company, upload):
    """Check every row; import nothing. Raises ImportRefused when the file as a whole is unusable."""
    preview = Preview(company=company)
    seen = {}
    for line, raw in read_rows(decode(upload)):
        problems, row = check_row(line, raw, seen, company)
        preview.problems += problems
        if row is not None:
            preview.good.append(row)
    return preview


class StalePreview(Exception):
    """The data changed since the dry run; the coordinator must look again."""

    def __init__(self, preview):
        super().__init__("Something changed since the preview (for example an account was created). "
                         "Check the list again before importing.")
        self.preview = preview


def load_token(token):
    try:
        return signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature as exc:
        raise ImportRefused("This preview has expired or was changed. Upload the file again.") from exc


@transaction.atomic
def confirm(*, token, alliance, actor):
    """Import every row of a dry run in one transaction, and email each volunteer a set-password link."""
    data = load_token(token)
    company = Company.objects.filter(pk=data["company"], alliance=alliance).first()
    if company is None:
        raise ImportRefused("That company is not in your alliance.")
    rows = [Row(**r) for r in data["rows"]]
    again = Preview(company=company)
    seen = {}
    for row in rows:
        problems, clean = check_row(row.line, asdict(row), seen, company)
        again.problems += problems
        if clean:
            again.good.append(clean)
    if again.problems:
        raise StalePreview(again)
    try:
        with transaction.atomic():
            return [_create(company, row) for row in again.good]
    except IntegrityError as exc:  # an account appeared between the check and the insert
        raise ImportRefused("Something changed while importing; nothing was imported. Upload the file again.") \
            from exc


def _create(company, row):
    # At the company's own domain the coordinator's list is trusted; a company without one (personal
    # addresses) gets accounts that stay unusable until the emailed set-password link proves the mailbox.
    trusted = bool(company.email_domain)
    user = get_user_model().objects.create_user(
        username=row.email, email=row.email, first_name=row.first_name, last_name=row.last_name, password=None,
        is_active=trusted,
    )
    mentor = Mentor.objects.create(
        user=user, company=company, status=Mentor.Status.PENDING, phone=row.phone, languages=["en"],
        email_verified_at=timezone.now() if trusted else None,
    )
    if row.zip_code:
        place = validation.geocode_zip(row.zip_code)
        mentor.zip_code, mentor.latitude, mentor.longitude = place.zip_code, place.latitude, place.longitude
        mentor.timezone = place.timezone or mentor.timezone
        mentor.save(update_fields=["zip_code", "latitude", "longitude", "timezone"])
    services.send_set_password_email(user, company)
    return mentor
