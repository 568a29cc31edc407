"""What happened after a session, and what the alliance set out to reach.

Completions themselves stay on `scheduling.Match` (hours, students reached, the mentor's own hours, set by
`scheduling.services`); this app keeps each side's word on each occurrence, the single-use records behind
the one-tap links, the alliance's targets per school year, the school-level equity attributes and the
company leads who see their own company's contribution.
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

RATING_RANGE = (1, 5)


class Side(models.TextChoices):
    TEACHER = "teacher"
    MENTOR = "mentor"


class FeedbackRequest(models.Model):
    """One ask for one side's word on one occurrence of a match: the single-use record behind a signed link.

    The link carries this row's id, signed with a timestamp (it expires); `answered_at` is set once, by a
    compare-and-set update, so a link works once.
    """

    match = models.ForeignKey("scheduling.Match", on_delete=models.CASCADE, related_name="feedback_requests")
    interval = models.ForeignKey("scheduling.SessionInterval", on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=8, choices=Side.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["match", "interval", "side"], name="one_feedback_request_per_side"),
        ]
        indexes = [models.Index(fields=["answered_at", "reminded_at", "created_at"])]

    def __str__(self):
        return f"{self.side} feedback on match {self.match_id}, interval {self.interval_id}"


class Feedback(models.Model):
    """What one side (teacher or mentor) said about one occurrence: did it happen, figures, a rating."""

    match = models.ForeignKey("scheduling.Match", on_delete=models.CASCADE, related_name="feedback")
    interval = models.ForeignKey("scheduling.SessionInterval", on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=8, choices=Side.choices)
    happened = models.BooleanField()
    # The teacher's headcount of the class that day (never names); the mentor's hours.
    students_reached = models.PositiveIntegerField(null=True, blank=True)
    hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(RATING_RANGE[0]), MaxValueValidator(RATING_RANGE[1])])
    comment = models.TextField(blank=True, max_length=1000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    # "link" (the one-tap link), "web" (signed in) or "coordinator" (on the person's behalf).
    via = models.CharField(max_length=16, default="link")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["match", "interval", "side"], name="one_feedback_per_side"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="feedback_rating_range"),
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gt=0), name="feedback_hours_positive"),
        ]
        indexes = [models.Index(fields=["side", "recorded_at"])]

    def __str__(self):
        return f"{self.side} on match {self.match_id}: {'held' if self.happened else 'did not happen'}"


class Target(models.Model):
    """An alliance's goal for one school year (its own start and end dates)."""

    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.CASCADE, related_name="targets")
    starts_on = models.DateField()
    ends_on = models.DateField()
    students = models.PositiveIntegerField("students reached", default=0)
    mentors = models.PositiveIntegerField("active mentors", default=0)
    hours = models.PositiveIntegerField("mentor hours", default=0)
    schools = models.PositiveIntegerField("schools served", default=0)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "starts_on"], name="one_target_per_school_year"),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="target_year_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.alliance} {self.label}"

    @property
    def label(self):
        return f"{self.starts_on.year}-{self.ends_on:%y}"


class SchoolEquity(models.Model):
    """School-level attributes for the equity view, recorded by a coordinator. Never anything per student."""

    school = models.OneToOneField("schools.School", on_delete=models.CASCADE, related_name="equity")
    title_i = models.BooleanField("Title I school", default=False)
    frl_percent = models.PositiveSmallIntegerField(
        "students eligible for free or reduced-price lunch (%)", null=True, blank=True,
        validators=[MaxValueValidator(100)])

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(frl_percent__isnull=True) | Q(frl_percent__lte=100),
                                   name="school_frl_percent_range"),
        ]

    def __str__(self):
        return f"{self.school} equity"


class CompanyLead(models.Model):
    """A company's contact, invited by a coordinator: sees their own company's contribution, nothing else."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_lead")
    company = models.ForeignKey("mentors.Company", on_delete=models.CASCADE, related_name="leads")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} ({self.company})"
