"""A national-shape impact data set written with INSERT ... SELECT generate_series (no Python loop per row).

Alliances of equal size; each has companies, mentors, schools (one teacher each) and `matches / alliances`
one-hour sessions spread evenly over `years` school years ending with the current one. Four in five matches
are completed (hours and students reached recorded, half with the mentor's own hours); the rest are
declined, cancelled, expired or no-shows. Usernames match `scheduling.benchdb.BENCH_USERS` and alliance slugs
its prefix, so `benchdb` removes every row afterwards.
"""
from dataclasses import dataclass
from datetime import date

from django.db import connection

from alliances.models import Alliance

BANDS = "ARRAY['K-2','3-5','6-8','9-12']"
KINDS = "ARRAY['classroom_visit','virtual_session','after_school','career_day']"
STATUSES = "ARRAY['declined','cancelled','expired','no_show']"


@dataclass
class NationalShape:
    matches: int = 1_000_000
    alliances: int = 100
    companies: int = 20  # per alliance
    schools: int = 40  # per alliance
    mentors_per_alliance: int | None = None  # default: one per ten matches
    years: int = 5

    @property
    def mentors(self):
        return self.mentors_per_alliance or max(self.matches // self.alliances // 10, 5)


def _next_id(cursor, table):
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def _resync(cursor, table):
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")


def build(shape, *, today, log=print):
    """Write the data set; returns (alliance ids, first school-year start)."""
    first_year = (today.year if today.month >= 7 else today.year - 1) - shape.years + 1
    start = date(first_year, 7, 1)
    days = (today - start).days - 1  # every session in the past: nothing is counted before it happened
    a, c, m, s, n = shape.alliances, shape.companies, shape.mentors, shape.schools, shape.matches
    with connection.cursor() as cur:
        ids = {t: _next_id(cur, t) for t in ("alliances_alliance", "mentors_company", "auth_user", "mentors_mentor",
                                             "schools_school", "schools_teacher", "schools_mentorrequest",
                                             "scheduling_session", "scheduling_sessioninterval", "scheduling_match")}
        al, co, us, me, sc, te = (ids[t] for t in ("alliances_alliance", "mentors_company", "auth_user",
                                                    "mentors_mentor", "schools_school", "schools_teacher"))
        rq, se, iv, ma = (ids[t] for t in ("schools_mentorrequest", "scheduling_session", "scheduling_sessioninterval",
                                           "scheduling_match"))
        steps = [
            ("companies", f"""INSERT INTO mentors_company (id, name, alliance_id)
                SELECT {co} + i, 'Bench company ' || i, {al} + i / {c} FROM generate_series(0, {a * c - 1}) i"""),
            ("users", f"""INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email,
                is_staff, is_active, date_joined)
                SELECT {us} + i, '!', false, CASE WHEN i < {a * m} THEN 'bm-impact-' ELSE 'bt-impact-' END || i,
                'First' || i, 'Last' || i, 'b-impact-' || i || '@bench.example', false, true, now()
                FROM generate_series(0, {a * m + a * s - 1}) i"""),
            ("mentors", f"""INSERT INTO mentors_mentor (id, uid, status, bio, grade_bands, formats, languages, zip_code,
                travel_km, timezone, phone, sms_consent_text, background_check_status, background_check_reference,
                monthly_session_cap, created_at, company_id, user_id)
                SELECT {me} + i, gen_random_uuid(), 'approved', '', '[]', '[]', '[]', '', 15, 'America/New_York', '',
                '', 'none', '', 2, now(), {co} + (i / {m}) * {c} + (i % {c}), {us} + i
                FROM generate_series(0, {a * m - 1}) i"""),
            ("schools", f"""INSERT INTO schools_school (id, name, address, zip_code, latitude, longitude, timezone,
                email_domain, alliance_id)
                SELECT {sc} + i, 'Bench school ' || i, '1 Main St', '02101', 42.3, -71.0, 'America/New_York', '',
                {al} + i / {s} FROM generate_series(0, {a * s - 1}) i"""),
            ("teachers", f"""INSERT INTO schools_teacher (id, phone, school_id, user_id)
                SELECT {te} + i, '', {sc} + i, {us} + {a * m} + i FROM generate_series(0, {a * s - 1}) i"""),
            ("requests", f"""INSERT INTO schools_mentorrequest (id, uid, topic, description, grade_band, format,
                language, student_count, mentors_needed, meeting_link, status, created_at, school_id, teacher_id,
                alternative_times, kind, setting)
                SELECT {rq} + g, gen_random_uuid(), 'Robotics', '', ({BANDS})[1 + g % 4],
                CASE WHEN g % 4 = 1 THEN 'virtual' ELSE 'in_person' END, '', 10 + g % 25, 1, '', 'completed',
                timestamptz '{start}' + ((g / {a}) * {days}.0 / {n // a}) * interval '1 day' - interval '20 days',
                {sc} + (g % {a}) * {s} + ((g / {a}) * 7) % {s}, {te} + (g % {a}) * {s} + ((g / {a}) * 7) % {s},
                '[]', ({KINDS})[1 + g % 4],
                CASE WHEN ({KINDS})[1 + g % 4] = 'after_school' THEN 'after_school' ELSE 'in_school' END
                FROM generate_series(0, {n - 1}) g"""),
            ("sessions", f"""INSERT INTO scheduling_session (id, starts_at, ends_at, mentors_needed,
                requires_background_check, status, revision, alliance_id, request_id)
                SELECT {se} + g, r.created_at + interval '20 days 14 hours', r.created_at + interval '20 days 15 hours',
                1, true, 'completed', 0, {al} + g % {a}, r.id
                FROM generate_series(0, {n - 1}) g JOIN schools_mentorrequest r ON r.id = {rq} + g"""),
            ("intervals", f"""INSERT INTO scheduling_sessioninterval (id, starts_at, ends_at, session_id)
                SELECT {iv} + g, s.starts_at, s.ends_at, s.id
                FROM generate_series(0, {n - 1}) g JOIN scheduling_session s ON s.id = {se} + g"""),
            ("matches", f"""INSERT INTO scheduling_match (id, uid, status, score, reasons, created_at,
                status_changed_at, mentor_id, session_id, hours, students_reached, mentor_hours)
                SELECT {ma} + g, gen_random_uuid(),
                CASE WHEN g % 20 < 4 THEN ({STATUSES})[1 + g % 20] ELSE 'completed' END, 0.5, '{{}}',
                s.starts_at - interval '10 days', s.ends_at, {me} + (g % {a}) * {m} + ((g / {a}) * 7919) % {m}, s.id,
                CASE WHEN g % 20 >= 4 THEN 1.00 END, CASE WHEN g % 20 >= 4 THEN 10 + g % 25 - g % 3 END,
                CASE WHEN g % 20 >= 4 AND g % 2 = 0 THEN 1.25 END
                FROM generate_series(0, {n - 1}) g JOIN scheduling_session s ON s.id = {se} + g"""),
        ]
        # Alliances through the ORM (100 rows): every column gets its model default, whatever fields are added.
        Alliance.objects.bulk_create([
            Alliance(pk=al + i, name=f"Bench impact alliance {i}", slug=f"bench-impact-{i}",
                     contact_email="hello@bench.example") for i in range(a)])
        log(f"  wrote {a:>9,} alliances")
        for name, sql in steps:
            cur.execute(sql)
            log(f"  wrote {cur.rowcount:>9,} {name}")
        for table in ids:
            _resync(cur, table)
        cur.execute("ANALYZE")
    return list(range(al, al + a)), start
