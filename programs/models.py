"""Members' STEM programs for students, and what the public directory searches."""
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import URLValidator
from django.db import connection, models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance, Member
from core.models import Skill
from core.vocabulary import GradeBand

# Links in a public listing go to web pages only: no javascript:, data: or mailto: disguised as a link.
web_link = URLValidator(schemes=["http", "https"])

LANGUAGES = {"en": _("English"), "es": _("Spanish")}
# The title a Spanish reader sees: the Spanish one when given.
SPANISH_TITLE = Coalesce(NullIf("title_es", Value("")), "title")


class Program(models.Model):
    """A member's STEM opportunity for students. Public only once a coordinator publishes it."""

    class Setting(models.TextChoices):
        IN_SCHOOL = "in_school", _("In school")
        AFTER_SCHOOL = "after_school", _("After school")
        SUMMER = "summer", _("Summer")
        WEEKEND = "weekend", _("Weekend")
        VIRTUAL = "virtual", _("Virtual")
        COMMUNITY = "community", _("Community event")

    class Cost(models.TextChoices):
        FREE = "free", _("Free")
        LOW = "low", _("Low cost")
        FEE = "fee", _("Fee, with scholarships")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    # Who may move a program from one status to the next (programs.services checks, compare-and-set).
    TRANSITIONS = {
        "submit": ({Status.DRAFT}, Status.SUBMITTED),
        "publish": ({Status.SUBMITTED}, Status.PUBLISHED),
        "return": ({Status.SUBMITTED, Status.PUBLISHED}, Status.DRAFT),
        "archive": ({Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED}, Status.ARCHIVED),
    }

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="programs")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="programs")
    title = models.CharField(max_length=200)
    title_es = models.CharField("title in Spanish", max_length=200, blank=True)
    # Plain text with line breaks; shown escaped (|linebreaks), never as HTML.
    description = models.TextField(max_length=5000)
    description_es = models.TextField("description in Spanish", max_length=5000, blank=True)
    setting = models.CharField(max_length=16, choices=Setting.choices)
    # "|K-2|6-8|": a delimited list one LIKE finds on PostgreSQL and SQLite alike.
    grade_bands = models.CharField(max_length=40)
    subjects = models.ManyToManyField(Skill, blank=True, related_name="programs")
    cost = models.CharField(max_length=8, choices=Cost.choices, default=Cost.FREE)
    languages = models.CharField(max_length=40, default="|en|")
    virtual = models.BooleanField(default=False)
    address = models.CharField(max_length=300, blank=True)
    zip_code = models.CharField(max_length=5, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    weekly_schedule = models.CharField(max_length=200, blank=True, help_text="For example: Tuesdays 3:30-5 pm")
    apply_by = models.DateField(null=True, blank=True)
    join_url = models.URLField(blank=True, validators=[web_link])
    join_phone = models.CharField(max_length=20, blank=True)
    join_email = models.EmailField(blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    accessibility = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Weighted title (A) over description (B), English and Spanish stemming; written by programs.search.
    search_document = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["title"]
        indexes = [
            GinIndex(fields=["search_document"], name="program_search_gin"),
            models.Index(fields=["status", "alliance"], name="program_status_alliance"),
            models.Index(fields=["latitude", "longitude"], name="program_place"),
            # The directory in title order (its landing page): the first page read from an index, not a sort
            # of every published program; in Spanish, the title a Spanish reader sees.
            models.Index(F("title"), F("id"), condition=Q(status="published"), name="program_published_title"),
            models.Index(SPANISH_TITLE, F("id"), condition=Q(status="published"), name="program_published_title_es"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True)
                                   | Q(ends_on__gte=models.F("starts_on")), name="program_ends_after_start"),
            models.CheckConstraint(condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                                   name="program_latitude_range"),
            models.CheckConstraint(condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                                   name="program_longitude_range"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The search vector is derived from the words: rewritten by the database on every save (admin, services,
        # factories alike), so a save of a stale in-memory copy can never leave a program unfindable.
        super().save(*args, **kwargs)
        if connection.vendor == "postgresql":
            Program.objects.filter(pk=self.pk).update(search_document=search_document())

    def band_list(self):
        return [b for b in self.grade_bands.split("|") if b in GradeBand.values]

    def language_list(self):
        return [code for code in self.languages.split("|") if code in LANGUAGES]

    def language_names(self):
        return [LANGUAGES[code] for code in self.language_list()]

    def title_in(self, language):
        return self.title_es if language == "es" and self.title_es else self.title

    def description_in(self, language):
        return self.description_es if language == "es" and self.description_es else self.description


def search_document():
    """The weighted vector `search_document` holds (PostgreSQL): titles (A) over descriptions (B), each in its
    own language's stemming."""
    return (SearchVector("title", weight="A", config="english") + SearchVector("title_es", weight="A", config="spanish")
            + SearchVector("description", weight="B", config="english")
            + SearchVector("description_es", weight="B", config="spanish"))


def delimited(values):
    """The stored form of a short list: `["K-2", "6-8"]` -> `"|K-2|6-8|"`."""
    return "|" + "|".join(values) + "|" if values else ""
