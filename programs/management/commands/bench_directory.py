"""python manage.py bench_directory [--programs 10000] [--repeat 30]

Seeds an alliance with N published programs in a database of its own, then runs typical directory
searches three ways, interleaved in the same run:

  page      GET /programs/?... through Django's test client (middleware, form, search, template)
  search    the directory's search alone (programs.search.results_page: the first page with its total)
  baseline  the same filters evaluated by loading every published program into Python

and prints p50 / p95 milliseconds of each per search, and the baseline / search ratio.
"""
import random
import statistics
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from alliances.models import Alliance, Member
from core.places import zip_codes
from mentors.models import Skill
from programs import geo
from programs.forms import DirectoryForm
from programs.models import Program
from programs.search import refresh_search_documents, results_page, summer
from scheduling import benchdb

SEARCHES = [
    {},
    {"q": "robot"},
    {"q": "robótica", "language": "es"},
    {"grade": "6-8", "setting": "after_school"},
    {"zip": "12308", "within": "10"},
    {"q": "coding club", "zip": "12305", "within": "25", "cost": "free"},
    {"when": "summer", "grade": "3-5"},
    {"subject": "biology", "when": "open"},
]
NOUNS_EN = ["robot", "rocket", "coding", "garden", "chemistry", "bridge", "drone", "circuit", "math", "games",
            "ocean", "weather", "biology", "design", "data", "space", "energy", "music tech", "3D printing", "app"]
KINDS_EN = ["club", "camp", "lab", "workshop", "academy", "challenge", "night", "studio"]
NOUNS_ES = ["robótica", "cohetes", "programación", "huerto", "química", "puentes", "drones", "circuitos",
            "matemáticas", "videojuegos", "océano", "clima", "biología", "diseño", "datos", "espacio", "energía"]
PAGE = 20
# The Capital Region of New York and Greater Boston: where the demo alliances and the searches above are.
BENCH_ZIP_PREFIXES = ("120", "121", "122", "123", "021", "022")


class Command(BaseCommand):
    help = "Time typical public directory searches over N programs beside a load-everything-into-Python baseline."

    def add_arguments(self, parser):
        parser.add_argument("--programs", type=int, default=10000)
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--database", default="")
        parser.add_argument("--allow-data", action="store_true")
        parser.add_argument("--keep", action="store_true")

    def handle(self, *args, **options):
        name = options["database"] or benchdb.default_name("bench_directory")
        with benchdb.own_database(name, allow_data=options["allow_data"], keep=options["keep"],
                                  log=self.stdout.write):
            alliance = Alliance.objects.create(name="Bench directory", slug="bench-directory",
                                               contact_email="hello@bench.example")
            try:
                started = time.perf_counter()
                seed(alliance, options["programs"])
                self.stdout.write(f"seeded {options['programs']} programs in {time.perf_counter() - started:.1f} s")
                self._run(options["repeat"])
            finally:
                if not options["keep"]:
                    _delete(alliance)

    def _run(self, repeat):
        client = Client(HTTP_HOST="localhost")
        today = timezone.localdate()
        self.stdout.write(f"\n{'search':<58} {'page p50/p95':>14} {'search p50/p95':>16} {'baseline p50/p95':>18} "
                          f"{'ratio':>6}  found")
        for params in SEARCHES:
            form = DirectoryForm(params)
            assert form.is_valid(), form.errors
            filters = form.filters()
            times = {"page": [], "search": [], "baseline": []}
            for _ in range(repeat):
                times["page"].append(_timed(client.get, "/programs/", params))
                times["search"].append(_timed(_search, filters, today))
                times["baseline"].append(_timed(_baseline, filters, today))
            found_db, found_py = _search(filters, today)[0], _baseline(filters, today)[0]
            label = "&".join(f"{k}={v}" for k, v in params.items()) or "(everything)"
            self.stdout.write(
                f"{label:<58} {_p(times['page']):>14} {_p(times['search']):>16} {_p(times['baseline']):>18} "
                f"{statistics.median(times['baseline']) / statistics.median(times['search']):>5.0f}x  "
                f"{found_db} (python {found_py})")
        self.stdout.write("\nms; page = the whole response, search = the first page and its total from the database, "
                          "baseline = every program loaded and filtered in Python. Python matches words by "
                          "substring, PostgreSQL by stemmed words, so word searches can find different counts.")


def _delete(alliance):
    """The benchmark's own rows (benchdb knows the other apps' rows, not these, which protect the alliance)."""
    Program.subjects.through.objects.filter(program__alliance=alliance).delete()
    Program.objects.filter(alliance=alliance).delete()
    Member.objects.filter(alliance=alliance).delete()


def _timed(work, *args):
    started = time.perf_counter()
    result = work(*args)
    if hasattr(result, "status_code") and result.status_code != 200:
        raise CommandError(f"the directory answered {result.status_code}")
    return (time.perf_counter() - started) * 1000


def _p(values):
    ordered = sorted(values)
    return f"{statistics.median(ordered):.1f}/{ordered[int(0.95 * (len(ordered) - 1))]:.1f}"


def _search(filters, today):
    """What the directory runs: the first page of cards with the total, in one query."""
    page = results_page(filters, today=today)
    return page.paginator.count, list(page.object_list)


def _baseline(filters, today):
    """The same filters over every published program held in Python."""
    subjects = {}
    for program_id, slug in Program.subjects.through.objects.filter(
            program__status=Program.Status.PUBLISHED).values_list("program_id", "skill__slug"):
        subjects.setdefault(program_id, set()).add(slug)
    rows = list(Program.objects.filter(status=Program.Status.PUBLISHED).select_related("member"))
    first, last = summer(today)
    words = [w.lower() for w in filters.words.split()]
    kept = []
    for p in rows:
        text = f"{p.title} {p.title_es} {p.description} {p.description_es}".lower()
        if words and not all(w in text for w in words):
            continue
        if filters.grade and f"|{filters.grade}|" not in p.grade_bands:
            continue
        if filters.language and f"|{filters.language}|" not in p.languages:
            continue
        if (filters.setting and p.setting != filters.setting) or (filters.cost and p.cost != filters.cost):
            continue
        if filters.subject and filters.subject not in subjects.get(p.pk, ()):
            continue
        if filters.when == "open" and not ((p.apply_by is None or p.apply_by >= today)
                                           and (p.ends_on is None or p.ends_on >= today)):
            continue
        if filters.when == "summer" and not ((p.setting == "summer" and p.ends_on is None) or (
                p.starts_on and p.ends_on and p.starts_on <= last and p.ends_on >= first)):
            continue
        if filters.near and (p.latitude is None
                             or geo.miles_between(filters.near, (p.latitude, p.longitude)) > filters.miles):
            continue
        kept.append(p)
    if filters.near:
        kept.sort(key=lambda p: geo.miles_between(filters.near, (p.latitude, p.longitude)))
    else:
        kept.sort(key=lambda p: p.title)
    return len(kept), kept[:PAGE]


def seed(alliance, count, rng_seed=2026):
    """`count` published programs of 200 members, words in English and (for a third) Spanish, places from
    the ZIPs of two metro areas (core.places), dates over the coming year."""
    rng = random.Random(rng_seed)
    members = Member.objects.bulk_create([
        Member(alliance=alliance, name=f"Bench member {i}", kind=Member.Kind.NONPROFIT, status=Member.Status.APPROVED,
               contact_name="Bench", contact_email=f"m{i}@bench.example") for i in range(200)])
    zips = [(code, geo.locate(code)) for code in zip_codes() if code.startswith(BENCH_ZIP_PREFIXES)]
    today = timezone.localdate()
    bands = ["K-2", "3-5", "6-8", "9-12"]
    programs = []
    for i in range(count):
        noun, kind = rng.choice(NOUNS_EN), rng.choice(KINDS_EN)
        spanish = rng.random() < 0.33
        virtual = rng.random() < 0.15
        code, (lat, lng) = rng.choice(zips)
        start = today + timedelta(days=rng.randint(-60, 300))
        programs.append(Program(
            alliance=alliance, member=members[i % len(members)], title=f"{noun.title()} {kind} {i}",
            title_es=f"Club de {rng.choice(NOUNS_ES)} {i}" if spanish else "",
            description=f"Students explore {noun} and {rng.choice(NOUNS_EN)} with mentors. " * 3,
            description_es=(f"Exploramos {rng.choice(NOUNS_ES)} y {rng.choice(NOUNS_ES)} con mentores. " * 3
                            if spanish else ""),
            setting=rng.choice(Program.Setting.values), grade_bands="|" + "|".join(sorted(rng.sample(bands, 2))) + "|",
            cost=rng.choice(Program.Cost.values), languages="|en|es|" if spanish else "|en|", virtual=virtual,
            zip_code="" if virtual else code, latitude=None if virtual else lat + rng.uniform(-0.02, 0.02),
            longitude=None if virtual else lng + rng.uniform(-0.02, 0.02), starts_on=start,
            ends_on=start + timedelta(days=rng.choice([1, 5, 30, 90])),
            apply_by=start - timedelta(days=rng.randint(0, 20)), join_url="https://bench.example/join",
            status=Program.Status.PUBLISHED, published_at=timezone.now()))
    created = Program.objects.bulk_create(programs, batch_size=2000)
    skills = list(Skill.objects.values_list("pk", flat=True))
    Program.subjects.through.objects.bulk_create([
        Program.subjects.through(program_id=p.pk, skill_id=s) for p in created for s in rng.sample(skills, 2)],
        batch_size=5000)
    refresh_search_documents(Program.objects.filter(alliance=alliance))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE programs_program")
        cursor.execute("ANALYZE programs_program_subjects")
