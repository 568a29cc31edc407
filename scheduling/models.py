"""Sessions made from requests, and the matches between mentors and sessions."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Session(models.Model):
    """A booking unit: one or more intervals. A weekly series is one session so students keep one mentor."""

    class Status(models.TextChoices):
        OPEN = "open"
        CANCELLED = "cancelled"
        COMPLETED = "completed"

    request = models.ForeignKey("schools.MentorRequest", on_delete=models.CASCADE, related_name="sessions")
    # Denormalised from the request so matching partitions by alliance and week with one index.
    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    mentors_needed = models.PositiveSmallIntegerField(default=1)
    requires_background_check = models.BooleanField(default=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    # Raised on every reschedule or change of place (the SEQUENCE of its calendar invitations).
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(mentors_needed__gte=1), name="session_needs_a_mentor"),
        ]

    def __str__(self):
        return f"{self.request.topic} on {self.starts_at:%Y-%m-%d}"


class SessionInterval(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="intervals")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="interval_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M}-{self.ends_at:%H:%M} UTC"


class Match(models.Model):
    """A mentor proposed for (and maybe booked into) a session, with the engine's reasons.

    Status only ever changes through `scheduling.services`; the table of allowed moves is `TRANSITIONS`.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed"
        APPROVED = "approved"
        INVITED = "invited"
        CONFIRMED = "confirmed"
        COMPLETED = "completed"
        REJECTED = "rejected"
        DECLINED = "declined"
        EXPIRED = "expired"
        CANCELLED = "cancelled"
        NO_SHOW = "no_show"

    S = Status
    TRANSITIONS = {
        S.PROPOSED: {S.APPROVED, S.REJECTED, S.CANCELLED},
        # A mentor may answer on the web before the text has gone out.
        S.APPROVED: {S.INVITED, S.CONFIRMED, S.DECLINED, S.CANCELLED},
        S.INVITED: {S.CONFIRMED, S.DECLINED, S.EXPIRED, S.CANCELLED},
        # Moved by more than the margin: the mentor is asked to confirm the new time.
        S.CONFIRMED: {S.COMPLETED, S.CANCELLED, S.NO_SHOW, S.INVITED},
    }
    # Statuses that hold the seat and the mentor's time.
    BOOKED = (S.APPROVED, S.INVITED, S.CONFIRMED)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="matches")
    mentor = models.ForeignKey("mentors.Mentor", on_delete=models.PROTECT, related_name="matches")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    # When an invited mentor's silence turns into "expired".
    respond_by = models.DateTimeField(null=True, blank=True)
    hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    students_reached = models.PositiveIntegerField(null=True, blank=True)
    # What the mentor says they gave (their hours report); it never completes the match, the teacher does.
    mentor_hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    mentor_hours_reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "matches"
        constraints = [
            models.UniqueConstraint(fields=["session", "mentor"], name="one_match_per_mentor_and_session"),
        ]
        indexes = [models.Index(fields=["mentor", "status"])]

    def __str__(self):
        return f"{self.mentor} for {self.session} ({self.status})"


class Booking(models.Model):
    """One interval of a booked match: what the no-overlap exclusion constraint guards.

    PostgreSQL refuses two active bookings of one mentor that overlap in time (migration 0002).
    """

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="bookings")
    mentor = models.ForeignKey("mentors.Mentor", on_delete=models.CASCADE, related_name="bookings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.mentor} booked {self.starts_at:%Y-%m-%d %H:%M} UTC"


class MatchTransition(models.Model):
    """Audit trail: who moved a match, from what, to what, and why."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=Match.Status.choices)
    to_status = models.CharField(max_length=16, choices=Match.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # "sms", "system", "web": how the change arrived when no user is attached.
    via = models.CharField(max_length=16)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status} -> {self.to_status} ({self.via})"


class MatchingRun(models.Model):
    """One run of the engine for an alliance and a window; kept for replay and audit."""

    alliance = models.ForeignKey("alliances.Alliance", on_delete=models.CASCADE, related_name="matching_runs")
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    unfilled = models.JSONField(default=list, blank=True)
    # The score weights the run used, by part name, so it can be replayed (the `weights` of a problem file).
    weights = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return f"{self.alliance} {self.window_start:%Y-%m-%d}..{self.window_end:%Y-%m-%d}"
