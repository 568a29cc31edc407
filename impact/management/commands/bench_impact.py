"""python manage.py bench_impact [--size 1000000] [--alliances 100] [--repeat 5] [--keep] [--allow-data]

Builds a national-shape data set (completed matches over five school years, by default a million matches
in 100 alliances) in a database of its own, then times the coordinator's dashboard and a company lead's
statement for one alliance's last full school year: their figures (PostgreSQL aggregates) and their whole
pages, each with its query count, beside a naive baseline measured in the same run, which computes the same
figures by iterating the ORM in Python (related rows fetched as they are touched). Prints whether both give
the same totals.
"""
import statistics
import time
from collections import Counter, defaultdict
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from alliances.models import Coordinator
from impact import figures
from impact.benchdata import NationalShape, build
from impact.models import CompanyLead
from mentors.models import Company
from scheduling import benchdb
from scheduling.models import Match

NAIVE_REPEAT = 5  # runs of a naive baseline that takes under two seconds (its median is printed)


class Command(BaseCommand):
    help = "Time the impact dashboard and company statement at national scale beside a naive ORM baseline."

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=1_000_000, help="matches in all (default 1,000,000)")
        parser.add_argument("--alliances", type=int, default=100)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--database", default=None, help="default: <configured name>_bench_impact")
        parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
        parser.add_argument("--allow-data", action="store_true")

    def handle(self, *args, size, alliances, repeat, database, keep, allow_data, **options):
        if size < alliances * 10 or alliances < 1 or repeat < 1:
            raise CommandError("--size must be at least ten matches per alliance; --alliances and --repeat >= 1")
        name = database or benchdb.default_name("bench_impact")
        with (benchdb.own_database(name, allow_data=allow_data, keep=keep, log=self.stdout.write),
              override_settings(ALLOWED_HOSTS=["testserver"])):
            self.run(NationalShape(matches=size, alliances=alliances), repeat)

    def run(self, shape, repeat):
        out = self.stdout.write
        today = timezone.localdate()
        out(f"building {shape.matches:,} matches in {shape.alliances} alliances over {shape.years} school years "
            f"({shape.mentors} mentors and {shape.schools} schools per alliance)")
        began = time.perf_counter()
        alliance_ids, _ = build(shape, today=today, log=out)
        out(f"  built in {time.perf_counter() - began:.1f} s")
        alliance_id = alliance_ids[len(alliance_ids) // 2]
        year_start = date(today.year - 1 if today.month >= 7 else today.year - 2, 7, 1)
        scope = figures.Scope(start=year_start, end=date(year_start.year + 1, 6, 30), alliance_id=alliance_id)
        company = Company.objects.filter(alliance_id=alliance_id).order_by("pk").first()
        company_scope = figures.Scope(start=scope.start, end=scope.end, company_id=company.pk)
        coordinator, lead = self.people(alliance_id, company)
        held = figures.held(scope).count()
        out(f"alliance {alliance_id}, school year {scope.start} to {scope.end}: {held:,} sessions held "
            f"(of {Match.objects.count():,} matches in the database)")
        query = f"?start={scope.start}&end={scope.end}"
        rows = [
            ("dashboard figures", lambda: figures.dashboard(scope, alliance_id), lambda: naive_dashboard(scope)),
            ("dashboard page", page(coordinator, f"/coordinator/impact/{query}"), lambda: naive_dashboard(scope)),
            ("company statement figures", lambda: figures.company_statement(company_scope),
             lambda: naive_company(company_scope)),
            ("company statement page", page(lead, f"/company/impact/{query}"), lambda: naive_company(company_scope)),
        ]
        out(f"\n{'':28}{'median':>10}{'queries':>9}   {'naive':>10}{'queries':>9}   {'faster':>7}")
        for label, fast, naive in rows:
            fast_time, fast_queries = measure(fast, repeat)
            # The naive baseline's median of NAIVE_REPEAT runs where one run is short (it moves with the
            # machine's load as much as the page does); one run where it takes many seconds.
            slow_time, slow_queries = measure(naive, 1)
            if slow_time < 2:
                slow_time, slow_queries = measure(naive, NAIVE_REPEAT)
            out(f"{label:28}{fast_time * 1000:>8.1f}ms{fast_queries:>9}   {slow_time * 1000:>8.0f}ms{slow_queries:>9}"
                f"   {slow_time / fast_time:>6.0f}x")
        agree = self.compare(scope, company_scope, alliance_id)
        out(f"\nfigures agree with the naive baseline: {'yes' if agree else 'NO'}")

    def people(self, alliance_id, company):
        User = get_user_model()
        coordinator = User.objects.create(username="bc-impact-coordinator", email="bc@bench.example")
        Coordinator.objects.create(user=coordinator, alliance_id=alliance_id)
        lead = User.objects.create(username="bc-impact-lead", email="bl@bench.example")
        CompanyLead.objects.create(user=lead, company=company)
        return coordinator, lead

    def compare(self, scope, company_scope, alliance_id):
        fast, slow = figures.dashboard(scope, alliance_id), naive_dashboard(scope)
        fast_company, slow_company = figures.company_statement(company_scope), naive_company(company_scope)
        same = all(fast["totals"][k] == slow["totals"][k] for k in ("students", "sessions", "hours", "mentors",
                                                                     "schools"))
        same &= {r["key"]: r["students"] for r in fast["school"]} == slow["school"]
        same &= fast["mentors"]["active"] == slow["mentors"]["active"]
        same &= fast["mentors"]["first_time"] == slow["mentors"]["first_time"]
        same &= fast["delivery"]["seats_confirmed"] == slow["delivery"]["seats_confirmed"]
        same &= fast_company["totals"]["hours"] == slow_company["totals"]["hours"]
        return same


def page(user, url):
    client = Client()
    client.force_login(user)

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return response
    return get


def measure(action, repeat):
    """(median seconds, queries of one call) over `repeat` calls after one warm-up."""
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        action()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times), len(queries)


def _hours(match):
    return match.mentor_hours if match.mentor_hours is not None else match.hours


def naive_dashboard(scope):
    """The dashboard's main figures computed the naive way: every match of the alliance read as an object,
    its session, request, school and company fetched as they are touched."""
    totals = Counter()
    groups = defaultdict(Counter)
    mentors, schools, seated = set(), set(), 0
    in_range = Match.objects.filter(session__alliance_id=scope.alliance_id, session__starts_at__gte=scope.start_at,
                                    session__starts_at__lt=scope.end_at)
    for match in in_range:
        request = match.session.request
        if match.status in figures.SEATED:
            seated += 1
        if match.status != Match.Status.COMPLETED:
            continue
        totals["students"] += match.students_reached
        totals["sessions"] += 1
        totals["hours"] += _hours(match)
        mentors.add(match.mentor_id)
        schools.add(request.school.pk)
        local = match.session.starts_at.astimezone(scope.start_at.tzinfo)
        for key, value in (("month", f"{local:%Y-%m}"), ("school", request.school.pk), ("grade", request.grade_band),
                           ("format", request.format), ("kind", request.kind),
                           ("company", match.mentor.company.pk)):
            groups[key][value] += match.students_reached
    first_time = 0
    for mentor_id in mentors:
        earlier = Match.objects.filter(mentor_id=mentor_id, status=Match.Status.COMPLETED)
        first = min(m.session.starts_at for m in earlier)
        first_time += first >= scope.start_at
    totals.update(mentors=len(mentors), schools=len(schools))
    return {"totals": totals, "school": dict(groups["school"]), "mentors": {"active": len(mentors),
            "first_time": first_time}, "delivery": {"seats_confirmed": seated}}


def naive_company(scope):
    """A company statement the naive way: each completed match of the company, its relations as touched."""
    totals = Counter()
    by_volunteer, by_month, schools = Counter(), Counter(), set()
    held = Match.objects.filter(mentor__company_id=scope.company_id, status=Match.Status.COMPLETED,
                                session__starts_at__gte=scope.start_at, session__starts_at__lt=scope.end_at)
    for match in held:
        hours = _hours(match)
        totals["hours"] += hours
        totals["students"] += match.students_reached
        by_volunteer[match.mentor.user.get_full_name()] += hours
        by_month[f"{match.session.starts_at:%Y-%m}"] += hours
        schools.add(match.session.request.school.pk)
    totals["schools"] = len(schools)
    return {"totals": totals, "volunteer": by_volunteer, "month": by_month}

