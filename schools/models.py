"""Alliances, their schools and teachers, and what teachers ask for."""
import uuid
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Q

from scheduling.engine import FORMATS, GRADE_BANDS, MAX_WEIGHT, PARTS, Weights


class GradeBand(models.TextChoices):
    K_2 = "K-2", "grades K-2"
    G3_5 = "3-5", "grades 3-5"
    G6_8 = "6-8", "grades 6-8"
    G9_12 = "9-12", "grades 9-12"


class Format(models.TextChoices):
    IN_PERSON = "in_person", "in person"
    VIRTUAL = "virtual", "virtual"


# The engine's vocabulary and the database's must never drift apart.
assert tuple(GradeBand.values) == GRADE_BANDS and tuple(Format.values) == FORMATS

DEFAULT_WEIGHTS = Weights()


class Alliance(models.Model):
    """A regional coalition of companies, nonprofits and schools; coordinators belong to one.

    Its `weight_*` fields are the matching score's weights (`scheduling.engine.Weights`) every run of the
    alliance scores with; they change only through `schools.services.set_matching_weights`.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    timezone = models.CharField(max_length=64, default="America/New_York")
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=20, blank=True)
    # Organizer of every calendar invitation the alliance sends.
    calendar_email = models.EmailField(blank=True)
    # What each part measures (its fit, 0 to 1) is the wording of scheduling.engine.Weights and docs/matching.md.
    weight_skills = models.FloatField(
        "skills weight", default=DEFAULT_WEIGHTS.skills,
        help_text="Share of the session's asked skills the volunteer has.")
    weight_distance = models.FloatField(
        "distance weight", default=DEFAULT_WEIGHTS.distance,
        help_text="Share of the volunteer's travel radius left unused (in-person sessions only).")
    weight_fairness = models.FloatField(
        "fairness weight", default=DEFAULT_WEIGHTS.fairness,
        help_text="1 / (1 + sessions in the last 90 days), so quieter volunteers come first.")
    weight_language = models.FloatField(
        "language weight", default=DEFAULT_WEIGHTS.language,
        help_text="The session asks for a language, which the volunteer speaks.")
    weight_continuity = models.FloatField(
        "continuity weight", default=DEFAULT_WEIGHTS.continuity,
        help_text="The volunteer has worked with this teacher before.")
    weights_changed_at = models.DateTimeField(null=True, blank=True)
    weights_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            *(models.CheckConstraint(condition=Q(**{f"weight_{part}__gte": 0, f"weight_{part}__lte": MAX_WEIGHT}),
                                     name=f"alliance_weight_{part}_range") for part in PARTS),
            # All zero would score every pair alike: matching would only count seats.
            models.CheckConstraint(condition=reduce(or_, (Q(**{f"weight_{part}__gt": 0}) for part in PARTS)),
                                   name="alliance_weights_not_all_zero"),
        ]

    def __str__(self):
        return self.name

    def matching_weights(self):
        """The engine's `Weights` for this alliance's runs."""
        return Weights(**{part: getattr(self, f"weight_{part}") for part in PARTS})

    @classmethod
    def weight_meaning(cls, part):
        """One line on what the part of the score measures."""
        return cls._meta.get_field(f"weight_{part}").help_text


# One weight field per part of the engine's score, no more, no fewer.
assert {f.name for f in Alliance._meta.fields if f.name.startswith("weight_")} == {f"weight_{p}" for p in PARTS}


class Coordinator(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinator")
    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="coordinators")

    def __str__(self):
        return self.user.get_full_name() or self.user.username


class School(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300)
    zip_code = models.CharField(max_length=10)
    latitude = models.FloatField()
    longitude = models.FloatField()
    timezone = models.CharField(max_length=64, default="America/New_York")
    email_domain = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(latitude__gte=-90, latitude__lte=90), name="school_latitude_range"),
            models.CheckConstraint(condition=Q(longitude__gte=-180, longitude__lte=180), name="school_longitude_range"),
        ]

    def __str__(self):
        return self.name


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
    skills = models.ManyToManyField("mentors.Skill", blank=True, related_name="requests")
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

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(student_count__gte=1), name="request_has_students"),
            models.CheckConstraint(
                condition=Q(mentors_needed__gte=1, mentors_needed__lte=10), name="request_mentors_needed_range"
            ),
        ]

    def __str__(self):
        return f"{self.topic} ({self.school})"
