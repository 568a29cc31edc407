"""Schools and teachers, and what teachers ask for."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from alliances.models import Alliance
from core.models import Skill
from core.vocabulary import Format, GradeBand


class School(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300)
    zip_code = models.CharField(max_length=10)
    latitude = models.FloatField()
    longitude = models.FloatField()
    timezone = models.CharField(max_length=64, default="America/New_York")
    email_domain = models.CharField(max_length=100, blank=True)
    # The school as a member of its alliance (its contact, what it offers, the MOU it accepted).
    member = models.OneToOneField("alliances.Member", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="school")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(latitude__gte=-90, latitude__lte=90), name="school_latitude_range"),
            models.CheckConstraint(condition=Q(longitude__gte=-180, longitude__lte=180), name="school_longitude_range"),
        ]

    def __str__(self):
        return self.name


class SchoolClosedDay(models.Model):
    """A day one school is closed (testing, an early-release day kept free, a local holiday); the
    alliance-wide days are `alliances.ClosedDay`. Nothing is requested or matched on either."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField()
    name = models.CharField(max_length=120, help_text="e.g. state testing, a snow day")

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["school", "date"], name="school_closed_day_once")]

    def __str__(self):
        return f"{self.name} ({self.date:%b %-d, %Y})"


class Teacher(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teacher")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="teachers")
    phone = models.CharField(max_length=20, blank=True, help_text="E.164")
    # Nothing may be requested before a coordinator verifies the teacher.
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the teacher follows the emailed link, or joins by a coordinator's invitation to that address.
    email_verified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.user.get_full_name() or self.user.username

    @property
    def is_verified(self):
        return self.verified_at is not None


class MentorRequest(models.Model):
    """A teacher's ask: a topic for a class. Carries a headcount, never student names."""

    class Kind(models.TextChoices):
        CLASSROOM_VISIT = "classroom_visit", "Classroom visit"
        VIRTUAL_SESSION = "virtual_session", "Virtual session"
        AFTER_SCHOOL = "after_school", "After-school program"
        CAREER_DAY = "career_day", "Career day"

    # The matching engine only knows in person / virtual; the kind decides which.
    FORMAT_OF_KIND = {
        Kind.CLASSROOM_VISIT: "in_person",
        Kind.VIRTUAL_SESSION: "virtual",
        Kind.AFTER_SCHOOL: "in_person",
        Kind.CAREER_DAY: "in_person",
    }

    class Status(models.TextChoices):
        SUBMITTED = "submitted"
        MATCHING = "matching"
        PROPOSED = "proposed"
        CONFIRMED = "confirmed"
        COMPLETED = "completed"
        CANCELLED = "cancelled"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="requests")
    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="requests")
    topic = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="requests")
    grade_band = models.CharField(max_length=8, choices=GradeBand.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CLASSROOM_VISIT)
    format = models.CharField(max_length=16, choices=Format.choices)
    language = models.CharField(max_length=8, blank=True, help_text="ISO 639-1; blank for any")
    student_count = models.PositiveIntegerField()
    mentors_needed = models.PositiveSmallIntegerField(default=1)
    meeting_link = models.URLField(blank=True)
    # The teacher's other acceptable times, [[start, end], ...] in UTC ISO format. The first option is
    # booked as the request's session; these stay on record for the coordinator to move it to.
    alternative_times = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    created_at = models.DateTimeField(auto_now_add=True)
    # The request form's one-time key: a second submission of the same form (a double tap, a resend after a
    # timeout) finds the request the first one made instead of making another.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(student_count__gte=1), name="request_has_students"),
            models.CheckConstraint(
                condition=Q(mentors_needed__gte=1, mentors_needed__lte=10), name="request_mentors_needed_range"
            ),
            models.UniqueConstraint(fields=["teacher", "submission_key"], name="request_submitted_once"),
        ]

    def __str__(self):
        return f"{self.topic} ({self.school})"
