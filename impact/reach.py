"""Reach (students, sessions, hours, mentors, schools) by several groupings in ONE PostgreSQL query.

The completed matches of a scope are read once and grouped with GROUPING SETS: the totals and every table
of the dashboard (by month, school, grade band, setting, format, kind, company, equity) come back as rows of
one answer, so a page costs one pass over its matches whatever the number of tables. SQLite (the embedded
demo) has no GROUPING SETS: there the same query runs once per grouping with GROUP BY.
"""
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Case, CharField, DecimalField, F, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from core.vocabulary import Format, GradeBand
from schools.models import MentorRequest

Kind = MentorRequest.Kind
OUT_OF_SCHOOL_KINDS = (Kind.AFTER_SCHOOL,)
# Where and when a session ran: the request's setting (in school, after school, weekend, summer).
SETTINGS = {"in_school": "in school", "after_school": "after school", "weekend": "weekend", "summer": "summer"}
# By requesting member: a partner's requests under its member's name; teachers' under this label.
TEACHERS_LABEL = "Teachers' classes"
FRL_BANDS = (("0-39%", 0, 40), ("40-74%", 40, 75), ("75-100%", 75, 101))
EQUITY_SCHOOL = "session__request__school__equity__"
# Schools served count schools only, not a partner's own site (a session there still counts in every other figure).
SCHOOL_SERVED = Case(When(session__request__school__kind="school", then=F("session__request__school_id")),
                     default=None)
# A mentor's hours: their own report where they gave one, else the hours recorded at completion.
HOURS = Coalesce("mentor_hours", "hours", output_field=DecimalField(max_digits=9, decimal_places=2))


def _columns(scope, name):
    """The annotations (column -> expression) a grouping adds to the base rows; its first column names it."""
    if name == "month":
        return {"g_month": TruncMonth("session__starts_at", tzinfo=ZoneInfo(scope.tz))}
    if name == "school":
        return {"g_school_id": F("session__request__school_id"), "g_school_name": F("session__request__school__name")}
    if name == "company":
        return {"g_company_id": F("mentor__company_id"), "g_company_name": F("mentor__company__name")}
    if name == "volunteer":
        return {"g_volunteer_id": F("mentor_id"), "g_first": F("mentor__user__first_name"),
                "g_last": F("mentor__user__last_name")}
    if name == "setting":
        return {"g_setting": F("session__request__setting")}
    if name == "member":
        return {"g_member_id": F("session__request__partner_staff__member_id"),
                "g_member_name": F("session__request__partner_staff__member__name")}
    if name == "equity":
        title = Case(When(**{f"{EQUITY_SCHOOL}title_i": True}, then=Value("Title I")),
                     When(**{f"{EQUITY_SCHOOL}title_i": False}, then=Value("not Title I")),
                     default=Value("not recorded"), output_field=CharField())
        band = Case(*(When(**{f"{EQUITY_SCHOOL}frl_percent__gte": low, f"{EQUITY_SCHOOL}frl_percent__lt": high},
                           then=Value(label)) for label, low, high in FRL_BANDS),
                    default=Value("not recorded"), output_field=CharField())
        return {"g_title_i": title, "g_frl": band}
    return {f"g_{name}": F(f"session__request__{name}")}  # grade_band, format, kind


CHOICES = {"grade_band": dict(GradeBand.choices), "format": dict(Format.choices), "kind": dict(Kind.choices),
           "setting": SETTINGS}


def _row(name, key_values, figures):
    if name == "month":
        month = key_values[0]
        if isinstance(month, str):  # SQLite answers a raw query's dates as text
            month = datetime.fromisoformat(month)
        return {"key": month.strftime("%Y-%m"), "label": f"{month:%b %Y}", **figures}
    if name in ("school", "company"):
        return {"key": key_values[0], "label": key_values[1], **figures}
    if name == "member":
        return {"key": key_values[0] or "teachers", "label": key_values[1] or TEACHERS_LABEL, **figures}
    if name == "volunteer":
        label = f"{key_values[1]} {key_values[2]}".strip() or f"Volunteer {key_values[0]}"
        return {"key": key_values[0], "label": label, **figures}
    if name == "equity":
        return {"key": f"{key_values[0]} / {key_values[1]}", "label": f"{key_values[0]}, lunch {key_values[1]}",
                "schools_served": figures["schools"], **figures}
    return {"key": key_values[0], "label": str(CHOICES[name].get(key_values[0], key_values[0])), **figures}


FIGURES = ("students", "sessions", "hours", "mentors", "schools")


def reach(held, scope, groupings):
    """{"totals": {...}, grouping: [rows, largest reach first (months in order)]} for the completed matches
    `held` of `scope`, in one query on PostgreSQL."""
    columns = {name: _columns(scope, name) for name in groupings}
    base = held.annotate(g_students=F("students_reached"), g_hours=HOURS, g_mentor=F("mentor_id"),
                         g_school=SCHOOL_SERVED,
                         **{col: expr for cols in columns.values() for col, expr in cols.items()})
    wanted = ["g_students", "g_hours", "g_mentor", "g_school", *(c for cols in columns.values() for c in cols)]
    sql, params = base.values(*wanted).query.sql_with_params()
    sums = ("COALESCE(SUM(g_students), 0), COUNT(*), COALESCE(SUM(g_hours), 0), COUNT(DISTINCT g_mentor), "
            "COUNT(DISTINCT g_school)")
    result = {"totals": None, **{name: [] for name in groupings}}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sets = ", ".join(["()", *(f"({', '.join(cols)})" for cols in columns.values())])
            which = " ".join(f"WHEN GROUPING({next(iter(cols))}) = 0 THEN '{name}'" for name, cols in columns.items())
            keys = "".join(f"{c}, " for cols in columns.values() for c in cols)
            cursor.execute(f"SELECT CASE {which or 'WHEN false THEN NULL'} ELSE 'totals' END, {keys}{sums} "
                           f"FROM ({sql}) AS held GROUP BY GROUPING SETS ({sets})", params)
            rows = cursor.fetchall()
        else:
            rows = _one_by_one(cursor, sql, params, columns, sums)
    offsets, at = {}, 1
    for name, cols in columns.items():
        offsets[name] = (at, at + len(cols))
        at += len(cols)
    for row in rows:
        figures = dict(zip(FIGURES, row[at:], strict=True))
        if row[0] == "totals":
            result["totals"] = figures
        else:
            start, end = offsets[row[0]]
            result[row[0]].append(_row(row[0], row[start:end], figures))
    result["totals"] = result["totals"] or dict.fromkeys(FIGURES, 0)
    for name in groupings:
        result[name].sort(key=(lambda r: r["key"]) if name == "month" else (lambda r: (-r["students"], str(r["key"]))))
    return result


def _one_by_one(cursor, sql, params, columns, sums):
    """The same rows as the GROUPING SETS query, one GROUP BY per grouping (databases without GROUPING SETS)."""
    all_keys = [c for cols in columns.values() for c in cols]
    cursor.execute(f"SELECT 'totals', {''.join('NULL, ' for _ in all_keys)}{sums} FROM ({sql}) AS held", params)
    rows = cursor.fetchall()
    for name, cols in columns.items():
        picked = "".join(f"{c if c in cols else 'NULL'}, " for c in all_keys)
        cursor.execute(f"SELECT '{name}', {picked}{sums} FROM ({sql}) AS held GROUP BY {', '.join(cols)}", params)
        rows += cursor.fetchall()
    return rows

