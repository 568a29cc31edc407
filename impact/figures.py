"""Every impact figure from PostgreSQL aggregates: a fixed number of queries whatever the data size.

Only recorded facts count (DESIGN.md, "Never"): a session is held when its match is completed; students
reached are the teachers' headcounts (no student data exists); a mentor's hours are their own report where
they gave one, else the hours recorded at completion. `Scope` is one alliance (or one company, or one
mentor), a date range in the alliance's timezone and optional filters.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, DecimalField, F, Min, Q, Sum
from django.db.models.functions import Coalesce

from scheduling.models import Match, MatchTransition, Session
from schools.models import MentorRequest

from . import reach
from .models import Feedback, Side, Target

S = Match.Status
Kind = MentorRequest.Kind
OUT_OF_SCHOOL_KINDS, HOURS = reach.OUT_OF_SCHOOL_KINDS, reach.HOURS
SETTINGS = {"out_of_school": "out of school (any)", **reach.SETTINGS}  # what the setting filter takes
# Statuses a match reaches once the mentor was asked (the denominator of decline, expiry and cancellation rates).
OFFERED = (S.APPROVED, S.INVITED, S.CONFIRMED, S.COMPLETED, S.DECLINED, S.EXPIRED, S.CANCELLED, S.NO_SHOW)
SEATED = (S.CONFIRMED, S.COMPLETED, S.NO_SHOW)
HOUR_MARKS = (10, 20)


@dataclass
class Scope:
    """Whose figures, over which dates (inclusive, in `tz`), with which filters (field name -> value)."""

    start: date
    end: date
    tz: str = "America/New_York"
    alliance_id: int | None = None
    company_id: int | None = None
    mentor_id: int | None = None
    filters: dict = field(default_factory=dict)

    @property
    def start_at(self):
        return datetime.combine(self.start, time.min, ZoneInfo(self.tz))

    @property
    def end_at(self):
        return datetime.combine(self.end + timedelta(days=1), time.min, ZoneInfo(self.tz))


def setting_filter(value):
    """One setting, or "out_of_school": every setting but in school."""
    if value == "out_of_school":
        return ~Q(session__request__setting=MentorRequest.Setting.IN_SCHOOL)
    return Q(session__request__setting=value)


FILTER_LOOKUPS = {
    "school": "session__request__school_id", "company": "mentor__company_id",
    "grade_band": "session__request__grade_band", "format": "session__request__format",
    "kind": "session__request__kind",
}


def matches(scope, *, in_range=True):
    """The matches of the scope (any status), on sessions starting within the range."""
    qs = Match.objects.all()
    if scope.alliance_id is not None:
        qs = qs.filter(session__alliance_id=scope.alliance_id)
    if scope.company_id is not None:
        qs = qs.filter(mentor__company_id=scope.company_id)
    if scope.mentor_id is not None:
        qs = qs.filter(mentor_id=scope.mentor_id)
    for name, value in scope.filters.items():
        if value in (None, ""):
            continue
        qs = qs.filter(setting_filter(value)) if name == "setting" else qs.filter(**{FILTER_LOOKUPS[name]: value})
    if in_range:
        qs = qs.filter(session__starts_at__gte=scope.start_at, session__starts_at__lt=scope.end_at)
    return qs


def held(scope):
    return matches(scope).filter(status=S.COMPLETED)


DASHBOARD_GROUPINGS = ("month", "school", "grade_band", "setting", "format", "kind", "company", "member", "equity")


def reach_of(scope, groupings=()):
    """Totals and the given groupings of the scope's completed matches: one query (see `impact.reach`)."""
    return reach.reach(held(scope), scope, groupings)


def totals(scope):
    """Students reached, sessions held, mentor hours, mentors active and schools served."""
    return reach_of(scope)["totals"]


def delivery(scope):
    """Fill rate, decline, expiry, cancellation and no-show rates, time from request to confirmation."""
    sessions = Session.objects.filter(starts_at__gte=scope.start_at, starts_at__lt=scope.end_at)
    if scope.alliance_id is not None:
        sessions = sessions.filter(alliance_id=scope.alliance_id)
    asked = sessions.exclude(status=Session.Status.CANCELLED).aggregate(seats=Coalesce(Sum("mentors_needed"), 0))
    counts = matches(scope).aggregate(
        seated=Count("pk", filter=Q(status__in=SEATED)), offered=Count("pk", filter=Q(status__in=OFFERED)),
        declined=Count("pk", filter=Q(status=S.DECLINED)), expired=Count("pk", filter=Q(status=S.EXPIRED)),
        cancelled=Count("pk", filter=Q(status=S.CANCELLED)), no_show=Count("pk", filter=Q(status=S.NO_SHOW)),
        completed=Count("pk", filter=Q(status=S.COMPLETED)),
    )
    wait = (MatchTransition.objects.filter(to_status=S.CONFIRMED, match__in=matches(scope).values("pk"))
            .aggregate(avg=Avg(F("at") - F("match__session__request__created_at")))["avg"])
    ratio = _ratio
    return {
        "seats_asked": asked["seats"], "seats_confirmed": counts["seated"],
        "fill_rate": ratio(counts["seated"], asked["seats"]),
        "decline_rate": ratio(counts["declined"], counts["offered"]),
        "expiry_rate": ratio(counts["expired"], counts["offered"]),
        "cancellation_rate": ratio(counts["cancelled"], counts["offered"]),
        "no_show_rate": ratio(counts["no_show"], counts["no_show"] + counts["completed"]),
        "days_to_confirmation": round(wait.total_seconds() / 86400, 1) if wait else None,
        **{k: counts[k] for k in ("offered", "declined", "expired", "cancelled", "no_show")},
    }


def _ratio(part, whole):
    return round(part / whole, 4) if whole else None


def mentors(scope):
    """Mentors active in the range, first-time vs returning, retention from the year before, hour marks."""
    year_before = Q(session__starts_at__gte=scope.start_at - timedelta(days=365), session__starts_at__lt=scope.start_at)
    now = Q(session__starts_at__gte=scope.start_at, session__starts_at__lt=scope.end_at)
    per_mentor = (matches(scope, in_range=False).filter(status=S.COMPLETED).values("mentor_id")
                  .annotate(first=Min("session__starts_at"), held=Count("pk", filter=now),
                            before=Count("pk", filter=year_before),
                            hours=Coalesce(Sum(HOURS, filter=now), 0,
                                           output_field=DecimalField(max_digits=12, decimal_places=2))))
    marks = {f"reached_{h}_hours": Count("mentor_id", filter=Q(held__gt=0, hours__gte=h)) for h in HOUR_MARKS}
    row = per_mentor.aggregate(
        active=Count("mentor_id", filter=Q(held__gt=0)),
        first_time=Count("mentor_id", filter=Q(held__gt=0, first__gte=scope.start_at)),
        active_year_before=Count("mentor_id", filter=Q(before__gt=0)),
        retained=Count("mentor_id", filter=Q(before__gt=0, held__gt=0)), **marks)
    row["returning"] = row["active"] - row["first_time"]
    row["retention_rate"] = _ratio(row["retained"], row["active_year_before"])
    return row


def feedback(scope, *, comments=8):
    """Average ratings by side and the latest comments (coordinators only: the caller decides who sees)."""
    answers = Feedback.objects.filter(match__in=matches(scope).values("pk"))
    ratings = answers.aggregate(
        teacher=Avg("rating", filter=Q(side=Side.TEACHER)), mentor=Avg("rating", filter=Q(side=Side.MENTOR)),
        answers=Count("pk"), not_held=Count("pk", filter=Q(happened=False)))
    recent = list(answers.exclude(comment="").order_by("-recorded_at", "-pk").values(
        "side", "rating", "comment", "recorded_at", "match__session__request__school__name")[:comments])
    return {**{k: round(v, 2) if isinstance(v, float) else v for k, v in ratings.items()}, "recent": recent}


def target_for(alliance_id, day):
    """The alliance's target whose school year holds `day`, or None."""
    return Target.objects.filter(alliance_id=alliance_id, starts_on__lte=day, ends_on__gte=day).first()


def progress(target, scope_totals):
    """Each target beside what was reached, as shares (None where no target was set)."""
    if target is None:
        return []
    pairs = (("students", "Students reached", target.students), ("mentors", "Active mentors", target.mentors),
             ("hours", "Mentor hours", target.hours), ("schools", "Schools served", target.schools))
    return [{"key": key, "label": label, "target": goal, "reached": scope_totals[key],
             "share": _ratio(float(scope_totals[key]), goal)} for key, label, goal in pairs]


def dashboard(scope, alliance_id):
    """All of the coordinator dashboard's figures: a fixed number of queries (about 15)."""
    tables = reach_of(scope, DASHBOARD_GROUPINGS)
    target = target_for(alliance_id, scope.start)
    return {
        **tables,
        "target": target,
        "progress": progress(target, tables["totals"]),
        "delivery": delivery(scope),
        "mentors": mentors(scope),
        "feedback": feedback(scope),
    }


def dashboard_table(scope, table):
    """One of the dashboard's grouped tables alone (what its CSV download holds)."""
    return reach_of(scope, [table])[table]


# "Every year" for a volunteer's own record.
EVER = (date(2000, 1, 1), date(2100, 12, 31))


def mentor_record(scope, *, recent=50):
    """A volunteer's own record: totals, by school, the latest sessions."""
    sessions = (held(scope).order_by("-session__starts_at", "-pk")
                .values("session__starts_at", "session__request__topic", "session__request__school__name",
                        "students_reached", "hours", "mentor_hours"))
    sessions = sessions[:recent] if recent is not None else sessions.iterator(chunk_size=2000)
    return {**reach_of(scope, ["school"]),
            "sessions": [{**row, "hours_given": row["mentor_hours"] or row["hours"]} for row in sessions]}


def company_statement(scope):
    """A company's contribution: totals, by month, by volunteer, schools served (no teacher or student)."""
    return reach_of(scope, ["month", "volunteer", "school"])
