"""What the public directory finds: published programs by words and filters, the same rules on every database.

PostgreSQL ranks words with its full-text search on `Program.search_document` (GIN-indexed; the title
weighs more than the description; English and Spanish stemming, so "robótica" finds "robotica" and
"robots" finds "robot"). The embedded SQLite default matches each word anywhere in the titles and
descriptions instead.
"""
import math
from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import ExpressionWrapper, F, FloatField, Q, Value

from core.pagination import page_with_total

from .geo import KM_PER_DEGREE_LAT, KM_PER_DEGREE_LNG_AT_EQUATOR, KM_PER_MILE, bounding_box
from .models import SPANISH_TITLE, Program, search_document

MAX_WORDS = 12
PAGE_SIZE = 20
# What a result card shows: not the search vector, the accessibility notes or the member's long fields.
CARD_FIELDS = ("title", "title_es", "description", "description_es", "setting", "cost", "grade_bands", "languages",
               "latitude", "longitude", "starts_on", "ends_on", "member__name")


@dataclass(frozen=True)
class Filters:
    """A visitor's search, already validated (programs.forms.DirectoryForm)."""

    words: str = ""
    grade: str = ""
    subject: str = ""
    setting: str = ""
    cost: str = ""
    language: str = ""
    near: tuple | None = None  # (latitude, longitude) of the ZIP
    miles: int = 10
    when: str = ""  # "", "open" (taking sign-ups now), "summer" (this summer)
    alliance_id: int | None = None


def refresh_search_documents(programs):
    """Rewrite the search vector of `programs` (a queryset) from their words, in one UPDATE (for rows written
    in bulk, which skip `Program.save`)."""
    if connection.vendor == "postgresql":
        programs.update(search_document=search_document())


def summer(today):
    """(first, last) day of this summer, or of next summer once this one is over."""
    year = today.year if today <= date(today.year, 8, 31) else today.year + 1
    return date(year, 6, 1), date(year, 8, 31)


def published(filters, *, today, language="en"):
    """Published programs matching `filters`, best first (rank for words, nearest for a ZIP, else title in
    the visitor's language)."""
    programs = Program.objects.filter(status=Program.Status.PUBLISHED)
    if filters.alliance_id:
        programs = programs.filter(alliance_id=filters.alliance_id)
    programs = _filter(programs, filters, today)
    order = []
    if filters.words:
        programs, rank = _words(programs, filters.words)
        order += rank
    if filters.near:
        programs = _near(programs, filters.near, filters.miles)
        order.append("distance_sq")
    if language == "es":
        programs = programs.annotate(shown_title=SPANISH_TITLE)
        return programs.order_by(*order, "shown_title", "pk")
    return programs.order_by(*order, "title", "pk")


def results_page(filters, *, today, language="en", number=1):
    """The directory's page `number` of `published` programs with their total, only the columns a card shows.

    Ranked by words or distance, every match is read to sort them anyway: the total comes with the page's rows
    (one query). In title order (the landing page, filters alone), the published-title indexes give the first
    page without reading every match, and the count is a query of its own.
    """
    found = published(filters, today=today, language=language).select_related("member").only(*CARD_FIELDS)
    if filters.words or filters.near:
        return page_with_total(found, number, PAGE_SIZE)
    return Paginator(found, PAGE_SIZE).get_page(number)


def _filter(programs, f, today):
    if f.grade:
        programs = programs.filter(grade_bands__contains=f"|{f.grade}|")
    if f.language:
        programs = programs.filter(languages__contains=f"|{f.language}|")
    if f.setting:
        programs = programs.filter(setting=f.setting)
    if f.cost:
        programs = programs.filter(cost=f.cost)
    if f.subject:
        programs = programs.filter(subjects__slug=f.subject)
    if f.when == "open":
        programs = programs.filter(Q(apply_by__isnull=True) | Q(apply_by__gte=today),
                                   Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    elif f.when == "summer":
        first, last = summer(today)
        programs = programs.filter(Q(setting=Program.Setting.SUMMER, ends_on__isnull=True)
                                   | Q(starts_on__lte=last, ends_on__gte=first))
    return programs


def _words(programs, words):
    words = " ".join(words.split()[:MAX_WORDS])
    if connection.vendor == "postgresql":
        query = (SearchQuery(words, config="english", search_type="websearch")
                 | SearchQuery(words, config="spanish", search_type="websearch"))
        programs = programs.filter(search_document=query).annotate(rank=SearchRank(F("search_document"), query))
        return programs, ["-rank"]
    for word in words.split():
        programs = programs.filter(Q(title__icontains=word) | Q(title_es__icontains=word)
                                   | Q(description__icontains=word) | Q(description_es__icontains=word))
    return programs, []


def _near(programs, center, miles):
    """Programs with a place within `miles` of `center`: a box the index narrows, then the circle."""
    south, north, west, east = bounding_box(center, miles)
    lng_km = KM_PER_DEGREE_LNG_AT_EQUATOR * math.cos(math.radians(center[0]))
    dy = (F("latitude") - Value(center[0])) * Value(KM_PER_DEGREE_LAT)
    dx = (F("longitude") - Value(center[1])) * Value(lng_km)
    distance_sq = ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())
    km = miles * KM_PER_MILE
    return (programs.filter(latitude__range=(south, north), longitude__range=(west, east))
            .annotate(distance_sq=distance_sq).filter(distance_sq__lte=km * km))
