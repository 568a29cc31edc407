"""python manage.py bench_pages [--volunteers 2000] [--requests 300] [--proposals 600] [--repeat 15]

Seeds an alliance of realistic size in a database of its own, then opens each main page and API
list with Django's test client, each beside a bare view that answers the same rows as JSON from
`.values()` (same middleware, same signed-in user), interleaved in the same run. Prints the median
time of each, the ratio (bare time / page time: 1.0x would be as fast as the bare rows), the
queries and the bytes per request.
"""
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.http import JsonResponse
from django.test import Client, override_settings
from django.urls import include, path
from django.utils import timezone
from rest_framework.settings import api_settings

from core.roles import coordinator_of
from mentors.models import Mentor
from scheduling import benchdb, seeding
from scheduling.models import Match, SessionInterval
from scheduling.request_serializers import request_rows
from scheduling.views import REVIEW_PAGE_SIZE
from schools.models import MentorRequest, Teacher

REVIEW_COLUMNS = ("pk", "status", "score", "reasons", "mentor__user__first_name", "mentor__user__last_name",
                  "mentor__company__name", "mentor__background_check_expires", "session__starts_at",
                  "session__request__topic", "session__request__school__name", "session__request__grade_band")


def _alliance(request):
    return coordinator_of(request.user).alliance


def review_rows(request):
    matches = Match.objects.filter(session__alliance=_alliance(request), status=Match.Status.PROPOSED)
    return matches.order_by("session__starts_at", "session_id", "-score").values(*REVIEW_COLUMNS)[:REVIEW_PAGE_SIZE]


def home_rows(request):
    alliance = _alliance(request)
    return [{"unverified": Teacher.objects.filter(school__alliance=alliance, verified_at__isnull=True).count(),
             "pending": Mentor.objects.filter(company__alliance=alliance, status=Mentor.Status.PENDING).count()}]


def my_session_rows(request):
    return (Match.objects.filter(mentor=request.user.mentor).order_by("session__starts_at")
            .values("pk", "status", "respond_by", "session__starts_at", "session__ends_at", "session__request__topic",
                    "session__request__school__name", "session__request__school__address",
                    "session__request__grade_band", "session__request__student_count"))


def teacher_request_rows(request):
    return (MentorRequest.objects.filter(school=request.user.teacher.school).order_by("-created_at")
            .values("pk", "topic", "status", "grade_band", "format", "student_count", "mentors_needed",
                    "created_at"))


def api_match_rows(request):
    """The matches with their sessions' intervals, which the API nests in each (one more query)."""
    rows = list(flat_match_rows(request))
    intervals = {}
    for session_id, start, end in (SessionInterval.objects.filter(session_id__in={r["session_id"] for r in rows})
                                   .order_by("session_id", "starts_at").values_list("session_id", "starts_at",
                                                                                    "ends_at")):
        intervals.setdefault(session_id, []).append([start, end])
    for row in rows:
        row["intervals"] = intervals.get(row["session_id"], [])
    return rows


def flat_match_rows(request):
    """The matches' own columns only: the narrower baseline of earlier runs, kept for comparison."""
    return (Match.objects.filter(session__alliance=_alliance(request)).order_by("session__starts_at", "-score", "pk")
            .values("pk", "status", "score", "reasons", "respond_by", "status_changed_at", "hours",
                    "students_reached", "mentor_id", "mentor__user__first_name", "mentor__user__last_name",
                    "mentor__company__name", "mentor__background_check_expires", "mentor__user__email",
                    "mentor__phone", "session_id", "session__request_id", "session__request__topic",
                    "session__request__school__name", "session__request__grade_band",
                    "session__request__format")[: api_settings.PAGE_SIZE])


def api_request_rows(request):
    """The requests with what the API nests in each (skills, sessions, their intervals: three more queries)."""
    return request_rows(list(flat_request_rows(request)))


def flat_request_rows(request):
    """The requests' own columns only: the narrower baseline of earlier runs, kept for comparison."""
    return (MentorRequest.objects.filter(school__alliance=_alliance(request)).order_by("-created_at")
            .values("pk", "school__name", "topic", "description", "grade_band", "kind", "format", "language",
                    "student_count", "mentors_needed", "meeting_link", "status", "created_at",
                    "alternative_times")[: api_settings.PAGE_SIZE])


def api_volunteer_rows(request):
    return (Mentor.objects.filter(company__alliance=_alliance(request)).order_by("created_at")
            .values("pk", "user__first_name", "user__last_name", "user__email", "company__name", "status",
                    "background_check_status", "background_check_expires", "grade_bands", "formats",
                    "created_at")[: api_settings.PAGE_SIZE])


# page name -> (url, who opens it, the bare rows of what it shows)
PAGES = {
    "review queue": ("/coordinator/review/", "coordinator", review_rows),
    "coordinator home": ("/coordinator/", "coordinator", home_rows),
    "my sessions": ("/me/sessions/", "mentor", my_session_rows),
    "teacher's requests": ("/teach/requests/", "teacher", teacher_request_rows),
    "/api/matches/": ("/api/matches/", "coordinator", api_match_rows),
    "/api/matches/ (flat bare rows)": ("/api/matches/", "coordinator", flat_match_rows),
    "/api/requests/": ("/api/requests/", "coordinator", api_request_rows),
    "/api/requests/ (flat bare rows)": ("/api/requests/", "coordinator", flat_request_rows),
    "/api/coordinator/volunteers/": ("/api/coordinator/volunteers/", "coordinator", api_volunteer_rows),
}


def bare(request, index):
    """The baseline: the rows of the page numbered `index` in PAGES as JSON, nothing else."""
    return JsonResponse({"results": list(list(PAGES.values())[index][2](request))})


urlpatterns = [
    path("_bench/<int:index>/", bare),
    path("", include("config.urls")),
]


class QueryCounter:
    """Counts the queries run while installed as an execute wrapper."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def get_counted(client, url):
    """(response, number of queries) of GET `url`; anything but 200 stops the benchmark."""
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"GET {url} answered {response.status_code}")
    return response, counter.count


def measure(client, urls, repeat):
    """For each of `urls`: (median seconds, queries, bytes) of GET, after two warm-up requests; the urls
    take turns, so that whatever else the machine does falls on all of them alike."""
    figures = {}
    for url in urls:
        for _ in range(2):
            response, queries = get_counted(client, url)
        figures[url] = ([], queries, len(response.content))
    for _ in range(repeat):
        for url in urls:
            started = time.perf_counter()
            client.get(url)
            figures[url][0].append(time.perf_counter() - started)
    return [(statistics.median(times), queries, size) for times, queries, size in figures.values()]


def query_counts(people):
    """Queries per request of every page, by page name (what the tests hold constant as rows grow)."""
    counts = {}
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]):
        for name, (url, role, _) in PAGES.items():
            client = Client()
            client.force_login(getattr(people, role))
            counts[name] = get_counted(client, url)[1]
    return counts


class Command(BaseCommand):
    help = "Time the main pages and API lists of a realistic alliance beside bare .values() JSON of the same rows."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--volunteers", type=int, default=2_000)
        parser.add_argument("--requests", type=int, default=300)
        parser.add_argument("--proposals", type=int, default=600)
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument("--database", help="default: the configured database's name + _bench_pages")
        parser.add_argument("--allow-data", action="store_true",
                            help="use the database even if it holds other data (only benchmark rows are removed)")
        parser.add_argument("--keep", action="store_true")

    def handle(self, *args, **options):
        name = options["database"] or benchdb.default_name("bench_pages")
        with benchdb.own_database(name, allow_data=options["allow_data"], keep=options["keep"],
                                  log=self.stdout.write):
            started = time.perf_counter()
            people = seeding.seed_pages(volunteers=options["volunteers"], requests=options["requests"],
                                        proposals=options["proposals"])
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # planner statistics, as autovacuum keeps them in a live database
            self.stdout.write(f"seeded {options['volunteers']:,} volunteers, {options['requests']} requests, "
                              f"{options['proposals']} proposals in {time.perf_counter() - started:.1f} s "
                              f"({timezone.now():%Y-%m-%d %H:%M} UTC)")
            with override_settings(ROOT_URLCONF=__name__, DEBUG=False, ALLOWED_HOSTS=["testserver"]):
                self._bench(people, options["repeat"])

    def _bench(self, people, repeat):
        out = self.stdout.write
        out(f"\n{'page':<32} {'page ms':>8} {'bare ms':>8} {'ratio':>6} {'queries':>8} {'bare q':>7} "
            f"{'KB':>7} {'bare KB':>8}")
        for index, (name, (url, role, _)) in enumerate(PAGES.items()):
            client = Client()
            client.force_login(getattr(people, role))
            page, baseline = measure(client, [url, f"/_bench/{index}/"], repeat)
            out(f"{name:<32} {page[0] * 1000:>8.1f} {baseline[0] * 1000:>8.1f} {baseline[0] / page[0]:>5.2f}x "
                f"{page[1]:>8} {baseline[1]:>7} {page[2] / 1024:>7.1f} {baseline[2] / 1024:>8.1f}")
