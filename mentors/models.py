"""Companies and their volunteers: who knows what, when they are free, how far they go."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.models import Skill


class Company(models.Model):
    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.PROTECT, related_name="companies")
    name = models.CharField(max_length=200)
    # Volunteers whose verified work email ends in this domain join this company.
    email_domain = models.CharField(max_length=100, unique=True, null=True, blank=True)
    invite_code = models.CharField(max_length=32, unique=True, null=True, blank=True)
    # The company as a member of its alliance (its contact, what it offers, the MOU it accepted).
    member = models.OneToOneField("alliances.Member", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="company")

    class Meta:
        verbose_name_plural = "companies"

    def __str__(self):
        return self.name


class Mentor(models.Model):
    """A volunteer's profile."""

    class Status(models.TextChoices):
        PENDING = "pending", "awaiting coordinator approval"
        APPROVED = "approved"
        SUSPENDED = "suspended"

    class BackgroundCheck(models.TextChoices):
        NONE = "none", "not started"
        PENDING = "pending"
        CLEARED = "cleared"
        FAILED = "failed"
        REVOKED = "revoked"
        EXPIRED = "expired"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="mentors")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    bio = models.TextField(blank=True, max_length=1000)
    skills = models.ManyToManyField(Skill, blank=True, related_name="mentors")
    grade_bands = models.JSONField(default=list, help_text='e.g. ["6-8", "9-12"]')
    formats = models.JSONField(default=list, help_text='e.g. ["in_person", "virtual"]')
    languages = models.JSONField(default=list, help_text='ISO 639-1 codes, e.g. ["en", "es"]')
    zip_code = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    travel_km = models.PositiveSmallIntegerField(default=15)
    timezone = models.CharField(max_length=64, default="America/New_York")
    phone = models.CharField(max_length=20, blank=True, help_text="E.164")
    sms_consent_at = models.DateTimeField(null=True, blank=True)
    sms_consent_text = models.TextField(blank=True)
    sms_consent_ip = models.GenericIPAddressField(null=True, blank=True)
    # Set when Twilio says the number cannot receive texts; never retried until the mentor fixes it.
    phone_invalid_at = models.DateTimeField(null=True, blank=True)
    background_check_status = models.CharField(
        max_length=16, choices=BackgroundCheck.choices, default=BackgroundCheck.NONE
    )
    background_check_reference = models.CharField(max_length=100, blank=True)
    background_check_expires = models.DateField(null=True, blank=True)
    monthly_session_cap = models.PositiveSmallIntegerField(default=2)
    # Set when the volunteer follows the emailed link (or a coordinator imported them from a company list).
    email_verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="mentor_location_valid",
            ),
            models.CheckConstraint(
                condition=~Q(background_check_status="cleared") | Q(background_check_expires__isnull=False),
                name="mentor_cleared_check_has_expiry",
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=r"^\+[1-9][0-9]{6,14}$"), name="mentor_phone_e164"
            ),
        ]
        indexes = [
            # The numbers flagged as unable to get texts, which every outbox claim reads (invalid_numbers):
            # a handful of rows, where without it each text scanned every volunteer.
            models.Index(fields=["phone"], condition=Q(phone_invalid_at__isnull=False), name="mentor_invalid_phone"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.user.get_full_name() or self.user.username

    @property
    def location(self):
        if self.latitude is None:
            return None
        return (self.latitude, self.longitude)

    def cleared_through(self):
        """The last date the background check covers, or None when it is not cleared."""
        if self.background_check_status != self.BackgroundCheck.CLEARED:
            return None
        return self.background_check_expires

    @property
    def can_be_texted(self):
        return bool(self.phone) and self.sms_consent_at is not None and self.phone_invalid_at is None


class AvailabilityWindow(models.Model):
    """A weekly block in the mentor's own timezone (turned into UTC at matching time)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0
        TUESDAY = 1
        WEDNESDAY = 2
        THURSDAY = 3
        FRIDAY = 4
        SATURDAY = 5
        SUNDAY = 6

    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="availability_ends_after_start"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="availability_weekday_range"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class BlackoutDate(models.Model):
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="blackout_dates")
    date = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mentor", "date"], name="unique_blackout_per_day")]

    def __str__(self):
        return f"{self.mentor} away {self.date:%Y-%m-%d}"


class VettingChange(models.Model):
    """Audit trail of a volunteer's vetting: who approved, suspended or recorded a check, from what, to what, why.

    Written by `mentors.services` in the transaction of the change itself, like `MatchTransition` for matches.
    """

    class Kind(models.TextChoices):
        STATUS = "status", "volunteer status"
        BACKGROUND_CHECK = "background_check", "background check"

    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="vetting_changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_value = models.CharField(max_length=100, blank=True)
    to_value = models.CharField(max_length=100)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    # "web", "api", "admin" or "system" (the daily expiry sweep): how the change arrived.
    via = models.CharField(max_length=16, default="web")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.mentor} {self.kind}: {self.from_value or '-'} -> {self.to_value}"
