"""The alliance: a region's coalition, its coordinators and the weights its matching runs score with."""
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.vocabulary import DEFAULT_WEIGHTS, MAX_WEIGHT, PARTS


class Alliance(models.Model):
    """A regional coalition of companies, nonprofits and schools; coordinators belong to one.

    Its `weight_*` fields are the matching score's weights (the engine's `Weights`) every run of the
    alliance scores with; they change only through `alliances.services.set_matching_weights`.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    timezone = models.CharField(max_length=64, default="America/New_York")
    # The public alliance page's words, in English and (optionally) Spanish.
    mission = models.TextField(blank=True)
    mission_es = models.TextField(blank=True)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=20, blank=True)
    # Organizer of every calendar invitation the alliance sends.
    calendar_email = models.EmailField(blank=True)
    # What each part measures (its fit, 0 to 1) is the wording of scheduling.engine.Weights and docs/matching.md.
    weight_skills = models.FloatField(
        "skills weight", default=DEFAULT_WEIGHTS["skills"],
        help_text="Share of the session's asked skills the volunteer has.")
    weight_distance = models.FloatField(
        "distance weight", default=DEFAULT_WEIGHTS["distance"],
        help_text="Share of the volunteer's travel radius left unused (in-person sessions only).")
    weight_fairness = models.FloatField(
        "fairness weight", default=DEFAULT_WEIGHTS["fairness"],
        help_text="1 / (1 + sessions in the last 90 days), so quieter volunteers come first.")
    weight_language = models.FloatField(
        "language weight", default=DEFAULT_WEIGHTS["language"],
        help_text="The session asks for a language, which the volunteer speaks.")
    weight_continuity = models.FloatField(
        "continuity weight", default=DEFAULT_WEIGHTS["continuity"],
        help_text="The volunteer has worked with this teacher before.")
    weight_rating = models.FloatField(
        "rating weight", default=DEFAULT_WEIGHTS["rating"],
        help_text="Teachers' average rating of the volunteer, drawn toward 4 of 5 until they have a few ratings "
                  "(so new volunteers are not held back). 0 leaves it out.")
    # The alliance's look on its people's pages and emails (core/viewer.py, alliances/views.py).
    brand_colour = models.CharField(
        max_length=7, default="#0b5394", validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "A colour like #0b5394.")],
        help_text="Header colour, #rrggbb; text on it is white or black, whichever reads better.")
    logo = models.CharField(
        max_length=200, blank=True, validators=[RegexValidator(r"^[\w][\w./-]*\.(svg|png)$", "A file under static/, "
                                                             "like img/alliances/bostem.svg.")],
        help_text="A file under static/ (svg or png), shown in the header; blank for the name alone.")

    class DistanceUnit(models.TextChoices):
        MILES = "mi", "miles"
        KILOMETRES = "km", "kilometres"

    distance_unit = models.CharField(max_length=2, choices=DistanceUnit.choices, default=DistanceUnit.MILES)
    # ISO 3166 country of the alliance: volunteers' and teachers' phone numbers must be of this country.
    country = models.CharField(max_length=2, default="US")
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
            models.CheckConstraint(condition=Q(brand_colour__regex=r"^#[0-9a-fA-F]{6}$"),
                                   name="alliance_brand_colour_hex"),
        ]

    def __str__(self):
        return self.name

    def brand_ink(self):
        """White or black, whichever has the higher contrast on the brand colour (always at least 4.5:1)."""
        channels = [int(self.brand_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
        return "#ffffff" if (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05) else "#000000"

    def matching_weights(self):
        """The weights of this alliance's runs by part name (what the engine's `Weights` takes)."""
        return {part: getattr(self, f"weight_{part}") for part in PARTS}

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


class ClosedDay(models.Model):
    """A day the alliance's schools are closed (a holiday, a district-wide closure): nothing is requested or
    matched on it. A school's own closures are `schools.SchoolClosedDay`."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField()
    name = models.CharField(max_length=120, help_text="e.g. Thanksgiving, a snow day")

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["alliance", "date"], name="alliance_closed_day_once")]

    def __str__(self):
        return f"{self.name} ({self.date:%b %-d, %Y})"


class Mou(models.Model):
    """One version of the alliance's memorandum of understanding; members accept a version, never "the MOU"."""

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="mous")
    version = models.PositiveSmallIntegerField()
    text = models.TextField()
    # The same version in Spanish, where the alliance wrote one: the Spanish join page shows it (else the
    # English text, marked as English). Members accept the version; both texts are that version.
    text_es = models.TextField(blank=True)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alliance", "version"], name="mou_version_once")]
        ordering = ["alliance", "-version"]
        verbose_name = "MOU"

    def __str__(self):
        return f"{self.alliance} MOU v{self.version}"

    def text_for(self, language):
        """(the text, its language code): the Spanish text on a Spanish page where one was written, else English."""
        if (language or "").startswith("es") and self.text_es:
            return self.text_es, "es"
        return self.text, "en"


class Member(models.Model):
    """An organisation (or a person) in the alliance, from its application to join onwards.

    Nothing of a member is public until a coordinator approves it (`alliances.members.approve_member`).
    """

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        NONPROFIT = "nonprofit", _("Nonprofit or youth-serving organization")
        SCHOOL = "school", _("School or district")
        COLLEGE = "college", _("College or university")
        AGENCY = "agency", _("Public agency")
        INDIVIDUAL = "individual", _("Individual")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        MORE_INFO = "more_info", _("More information asked")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    # Which review decisions each status still allows (the service checks, compare-and-set).
    REVIEWABLE = (Status.APPLIED, Status.MORE_INFO)

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    website = models.URLField(blank=True)
    # Blank only for members on record before the alliance kept a member list (companies, schools).
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=20, blank=True, help_text="E.164")
    offers = models.JSONField(default=list, blank=True, help_text="What the member can offer (OFFERS keys).")
    about = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.APPLIED)
    mou = models.ForeignKey(Mou, null=True, blank=True, on_delete=models.PROTECT, related_name="acceptances")
    mou_accepted_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The coordinator's words to the applicant: why declined, or what more is needed.
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(mou__isnull=True) | Q(mou_accepted_at__isnull=False),
                                   name="member_mou_accepted_when"),
        ]

    def __str__(self):
        return self.name

    def offer_labels(self):
        return [OFFERS[key] for key in self.offers if key in OFFERS]


OFFERS = {
    "volunteers": _("Volunteers"),
    "programs": _("Programs for students"),
    "space": _("Space"),
    "funding": _("Funding"),
    "expertise": _("Expertise"),
}


class MemberStaff(models.Model):
    """A person who acts for a member: edits its programmes (and, for partners, asks for mentors)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_staff")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="staff")
    phone = models.CharField(max_length=20, blank=True, help_text="E.164")
    # As for teachers: nothing may be requested before a coordinator vouches for the person. A coordinator's act
    # that adds staff (approving their member, or inviting them) records it; a colleague's invitation does not,
    # so the person waits for a coordinator (alliances.members.vouch_for_staff).
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} ({self.member})"

    @property
    def is_verified(self):
        return self.verified_at is not None

    @property
    def may_request_mentors(self):
        """Partner staff ask for mentors for their own programmes: a verified person of an approved nonprofit."""
        return (self.is_verified and self.member.status == Member.Status.APPROVED
                and self.member.kind == Member.Kind.NONPROFIT)
