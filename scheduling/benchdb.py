"""A database of the benchmarks' own: created beside the configured one, migrated, dropped afterwards.

A benchmark writes hundreds of thousands of rows; it must never mix them into a database that
holds real data. It refuses one unless told (``allow_data``), and then removes only its own rows.
"""
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from alliances.models import Alliance
from mentors.models import Company, Mentor
from schools.models import MentorRequest, School, Teacher

from .models import Booking, Match, MatchingRun, MatchTransition, Session

BENCH_PREFIX = "bench-"
BENCH_USERS = r"^b[mtc]-"  # mentors, teachers, coordinators of seeding.py


def default_name(suffix):
    """The configured database's name with `suffix`: `mentorbridge` -> `mentorbridge_bench_scale`."""
    return f"{connection.settings_dict['NAME']}_{suffix}"


def url(name):
    """A DATABASE_URL for `name` on the configured server, for worker processes."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _exists(name):
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _switch(name):
    connection.close()
    connection.settings_dict["NAME"] = name


def _create(name):
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')


def _drop(name):
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def has_real_data():
    """Whether any alliance or user here was not written by a benchmark."""
    return (Alliance.objects.exclude(slug__startswith=BENCH_PREFIX).exists()
            or get_user_model().objects.exclude(username__regex=BENCH_USERS).exists())


@contextmanager
def own_database(name, *, allow_data=False, keep=False, log=print):
    """Run the block on database `name` (created and migrated when missing), then go back.

    Refuses a database that holds real data unless `allow_data`; drops the database afterwards
    when the benchmark created it (unless `keep`), else deletes only the benchmark's rows.
    """
    if connection.vendor != "postgresql":
        raise CommandError("The scale benchmarks need PostgreSQL (set DATABASE_URL).")
    original = connection.settings_dict["NAME"]
    created = not _exists(name)
    if created:
        _create(name)
    _switch(name)
    try:
        call_command("migrate", verbosity=0, interactive=False)
        if not created and has_real_data() and not allow_data:
            raise CommandError(f"Database {name} holds data that is not the benchmark's; refusing to write "
                               "there (pass --allow-data to use it anyway; only benchmark rows are removed).")
        if not created:
            delete_bench_rows()
        log(f"database: {name} ({'created' if created else 'existing, benchmark rows only'})")
        yield name
    finally:
        if created and not keep:
            _switch(original)
            _drop(name)
        elif not keep:
            delete_bench_rows()
            _switch(original)
        else:
            _switch(original)


def delete_bench_rows():
    """Every row a benchmark wrote (alliances with the bench slug and what hangs off them)."""
    alliances = Alliance.objects.filter(slug__startswith=BENCH_PREFIX)
    matches = Match.objects.filter(session__alliance__in=alliances)
    MatchTransition.objects.filter(match__in=matches).delete()
    Booking.objects.filter(match__in=matches).delete()
    matches.delete()
    Match.objects.filter(mentor__company__alliance__in=alliances).delete()
    Session.objects.filter(alliance__in=alliances).delete()
    MentorRequest.objects.filter(school__alliance__in=alliances).delete()
    MatchingRun.objects.filter(alliance__in=alliances).delete()
    Teacher.objects.filter(school__alliance__in=alliances).delete()
    School.objects.filter(alliance__in=alliances).delete()
    Mentor.objects.filter(company__alliance__in=alliances).delete()
    Company.objects.filter(alliance__in=alliances).delete()
    get_user_model().objects.filter(username__regex=BENCH_USERS).delete()
    alliances.delete()
