"""Schools and teachers, and what teachers ask for."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from alliances.models import Alliance
from core.models import Skill
from core.vocabulary import Format, GradeBand


class School(models.Model):
    """A place sessions happen: a school, or a partner's own site (its address and timezone) where a nonprofit
    runs its programme. Both are places with an address, a geocode and a timezone, so matching, messages and
    calendars treat them alike; only teachers' sign-up and the school figures keep to real schools."""

    class Kind(models.TextChoices):
        SCHOOL = "school", "School"
        PARTNER_SITE = "partner_site", "Partner's own site"

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SCHOOL, db_default=Kind.SCHOOL)
    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300)
    zip_code = models.CharField(max_length=10)
    latitude = models.FloatField()
    longitude = models.FloatField()
    timezone = models.CharField(max_length=64, default="America/New_York")
    city = models.CharField(max_length=100, blank=True, db_default="")
    email_domain = models.CharField(max_length=100, blank=True)
    # The school as a member of its alliance (its contact, what it offers, the MOU it accepted), or the member
    # whose own site this is: a nonprofit may run its programmes at several sites.
    member = models.ForeignKey("alliances.Member", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="places")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(latitude__gte=-90, latitude__lte=90), name="school_latitude_range"),
            models.CheckConstraint(condition=Q(longitude__gte=-180, longitude__lte=180), name="school_longitude_range"),
        ]

    def __str__(self):
        return self.name

    @property
    def full_address(self):
        """The street address with its city and ZIP (older rows carry both inside `address`)."""
        parts = [self.address] + [p for p in (self.city, self.zip_code) if p and p not in self.address]
        return ", ".join(parts[:2]) + (f" {parts[2]}" if len(parts) > 2 else "")

    @property
    def timezone_label(self):
        """The timezone in words, as people name it: "Eastern time (New York)"."""
        place = self.timezone.rsplit("/", 1)[-1].replace("_", " ")
        words = ZONE_WORDS.get(self.timezone)
        return f"{words} ({place})" if words else f"{place} time"


# The zones most sites are in, in the words people use; others read as their city's time.
ZONE_WORDS = {"America/New_York": "Eastern time", "America/Chicago": "Central time", "America/Denver": "Mountain time",
              "America/Phoenix": "Mountain time, no daylight saving", "America/Los_Angeles": "Pacific time",
              "America/Anchorage": "Alaska time", "Pacific/Honolulu": "Hawaii time"}


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

    class Setting(models.TextChoices):
        IN_SCHOOL = "in_school", "In school"
        AFTER_SCHOOL = "after_school", "After school"
        WEEKEND = "weekend", "Weekend"
        SUMMER = "summer", "Summer"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The site: where the session happens (a school, or a partner's own site); its address and timezone.
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="requests")
    # Who asked: a teacher, or a nonprofit's programme staff member (exactly one; see `requester`).
    teacher = models.ForeignKey(Teacher, null=True, blank=True, on_delete=models.PROTECT, related_name="requests")
    partner_staff = models.ForeignKey("alliances.MemberStaff", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="requests")
    setting = models.CharField(max_length=16, choices=Setting.choices, default=Setting.IN_SCHOOL,
                               db_default=Setting.IN_SCHOOL)
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
            models.UniqueConstraint(fields=["partner_staff", "submission_key"],
                                    name="partner_request_submitted_once"),
            models.CheckConstraint(
                condition=Q(teacher__isnull=False, partner_staff__isnull=True)
                | Q(teacher__isnull=True, partner_staff__isnull=False),
                name="request_has_one_requester",
            ),
        ]

    def __str__(self):
        return f"{self.topic} ({self.school})"

    @staticmethod
    def asked_by(person):
        """The filter of the requests `person` (a Teacher or a MemberStaff) made."""
        return Q(teacher=person) if isinstance(person, Teacher) else Q(partner_staff=person)

    @property
    def requester(self):
        """Who asked: the Teacher or the MemberStaff. Both have `user`, `phone` and a name as str()."""
        return self.teacher if self.teacher_id is not None else self.partner_staff

    @property
    def asked_by_name(self):
        """Who asks, in a mentor's invitation: the school, or the partner organisation (not its site)."""
        return self.partner_staff.member.name if self.partner_staff_id is not None else self.school.name

    @property
    def requester_name(self):
        person = self.requester
        return person.user.get_full_name() or person.user.username
