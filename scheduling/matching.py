"""The thin layer between the database and the pure engine: rows in, proposals out."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, IntegerField, Value
from django.utils import timezone
from django.utils.module_loading import import_string

from alliances.models import Alliance, ClosedDay
from mentors.models import AvailabilityWindow, BlackoutDate, Mentor
from schools.models import SchoolClosedDay

from . import engine
from .locks import lock_requests, lock_sessions
from .models import Booking, Match, MatchingRun, Session
from .request_status import refresh_request_statuses

ADVISORY_LOCK_NAMESPACE = 0x4D42  # "MB": keeps our advisory locks apart from anyone else's
HORIZON_WEEKS = 8


def mentor_key(pk):
    return f"m-{pk}"


def session_key(pk):
    return f"s-{pk}"


def pk_of(key):
    """The database id inside an engine id ("m-17" -> 17)."""
    return int(key.split("-", 1)[1])


class AllianceBusy(Exception):
    """Another run of the alliance holds its lock; try again later rather than wait."""


def lock_alliance(alliance_id, *, wait=True):
    """Serialise matching runs of one alliance across every worker (held until the transaction ends).

    With ``wait=False`` it raises AllianceBusy at once instead of queueing behind the holder.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_NAMESPACE, alliance_id])
            return
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_NAMESPACE, alliance_id])
        if not cursor.fetchone()[0]:
            raise AllianceBusy(alliance_id)


def _scope(alliance_id, window_start, window_end, session_ids):
    sessions = Session.objects.filter(alliance_id=alliance_id, status=Session.Status.OPEN)
    if session_ids is not None:
        return sessions.filter(pk__in=session_ids)
    return sessions.filter(starts_at__gte=window_start, starts_at__lt=window_end)


def _sessions_in_scope(alliance_id, window_start, window_end, session_ids):
    sessions = _scope(alliance_id, window_start, window_end, session_ids)
    return list(sessions.select_related("request__school").prefetch_related("intervals", "request__skills"))


def lock_scope(*, alliance_id, window_start, window_end, session_ids=None):
    """Lock the requests, then the sessions, a run will write to (the order of `scheduling.locks`); their ids.

    Taken before the problem is read, so no approval, cancellation or move of those sessions lands between
    what the engine was shown and the proposals written back.
    """
    scope = _scope(alliance_id, window_start, window_end, session_ids)
    lock_requests(scope.values_list("request_id", flat=True))
    return [session.pk for session in lock_sessions(scope.values_list("pk", flat=True))]


def closed_days(alliance_id, schools, start, end):
    """{school_id: set of closed local dates} for `schools` between `start` and `end` (the alliance's days and
    each school's own), in one query."""
    first, last = start.date() - timedelta(days=1), end.date() + timedelta(days=1)
    shared = ClosedDay.objects.filter(alliance_id=alliance_id, date__range=(first, last)).annotate(
        school=Value(None, output_field=IntegerField())).order_by().values_list("school", "date")
    own = SchoolClosedDay.objects.filter(school_id__in=schools, date__range=(first, last)).order_by().values_list(
        "school_id", "date")
    days = {school_id: set() for school_id in schools}
    for school_id, day in shared.union(own, all=True):
        for closed in ([days[school_id]] if school_id is not None else days.values()):
            closed.add(day)
    return days


def open_intervals(session, closed):
    """The session's intervals that do not fall on a closed day of its school (in the school's zone)."""
    tz = ZoneInfo(session.request.school.timezone)
    return tuple((i.starts_at, i.ends_at) for i in session.intervals.all()
                 if i.starts_at.astimezone(tz).date() not in closed)


def _session_spec(session, booked, closed=frozenset()):
    request = session.request
    school = request.school
    return engine.SessionSpec(
        id=session_key(session.pk),
        intervals=open_intervals(session, closed),
        format=request.format,
        grade_band=request.grade_band,
        skills=frozenset(s.slug for s in request.skills.all()),
        language=request.language or None,
        location=(school.latitude, school.longitude) if request.format == "in_person" else None,
        mentors_needed=session.mentors_needed - booked,
        requires_background_check=session.requires_background_check,
    )


def weekly_windows(mentor, start, end):
    """The mentor's weekly blocks as UTC intervals between `start` and `end`, blackout days left out."""
    blocks = [(w.weekday, w.start_time, w.end_time) for w in mentor.availability.all()]
    return _windows(ZoneInfo(mentor.timezone), _by_weekday(blocks), {b.date for b in mentor.blackout_dates.all()},
                    start, end)


def _by_weekday(blocks):
    by_weekday = defaultdict(list)
    for weekday, start_time, end_time in blocks:
        by_weekday[weekday].append((start_time, end_time))
    return by_weekday


def _windows(tz, by_weekday, blackout, start, end, cache=None):
    """`cache` (a dict shared by the mentors of one run) keeps each local block already turned into UTC: most
    mentors share a zone and their blocks' times, so the run converts each once instead of once a mentor."""
    cache = {} if cache is None else cache
    days = cache.get((tz, start, end))
    if days is None:
        day = start.astimezone(tz).date() - timedelta(days=1)
        last = end.astimezone(tz).date() + timedelta(days=1)
        days = cache[(tz, start, end)] = [day + timedelta(days=n) for n in range((last - day).days + 1)]
    windows = []
    for day in days:
        if day not in blackout:
            for start_time, end_time in by_weekday.get(day.weekday(), ()):
                key = (tz, day, start_time, end_time)
                window = cache.get(key)
                if window is None:
                    window = cache[key] = (datetime.combine(day, start_time, tz).astimezone(UTC),
                                           datetime.combine(day, end_time, tz).astimezone(UTC))
                windows.append(window)
    return tuple(windows)


@dataclass(frozen=True)
class RosterEntry:
    """What matching needs of one approved mentor that does not change from week to week."""

    pk: int
    skills: frozenset
    grade_bands: frozenset
    formats: frozenset
    languages: frozenset
    location: tuple | None
    travel_km: float
    cleared_through: date | None
    monthly_cap: int
    tz: ZoneInfo
    by_weekday: dict
    blackout: frozenset


def mentor_roster(alliance_id):
    """The alliance's approved mentors with weekly availability, as plain data read in four queries.

    Built once per plan and reused for each of its weeks (see `run_weeks`); only what changes week
    to week (capacity used, bookings, recent load) is read again inside each run's lock.
    """
    mentors = Mentor.objects.filter(company__alliance_id=alliance_id, status=Mentor.Status.APPROVED)
    blocks = defaultdict(list)
    for mentor_id, *block in (AvailabilityWindow.objects.filter(mentor__in=mentors)
                              .order_by("mentor_id", "weekday", "start_time")
                              .values_list("mentor_id", "weekday", "start_time", "end_time")):
        blocks[mentor_id].append(block)
    skills, blackout = defaultdict(set), defaultdict(set)
    for mentor_id, slug in Mentor.skills.through.objects.filter(mentor__in=mentors).values_list(
            "mentor_id", "skill__slug"):
        skills[mentor_id].add(slug)
    for mentor_id, day in BlackoutDate.objects.filter(mentor__in=mentors).values_list("mentor_id", "date"):
        blackout[mentor_id].add(day)
    rows = mentors.order_by("pk").values_list(*_ROSTER_COLUMNS)
    return [_roster_entry(row, skills[row[0]], blocks[row[0]], blackout[row[0]]) for row in rows if row[0] in blocks]


_ROSTER_COLUMNS = ("pk", "grade_bands", "formats", "languages", "latitude", "longitude", "travel_km",
                   "background_check_status", "background_check_expires", "monthly_session_cap", "timezone")


def _roster_entry(row, skills, blocks, blackout):
    pk, grade_bands, formats, languages, lat, lng, travel_km, check, expires, cap, tz = row
    return RosterEntry(
        pk=pk, skills=frozenset(skills), grade_bands=frozenset(grade_bands), formats=frozenset(formats),
        languages=frozenset(languages), location=None if lat is None else (lat, lng), travel_km=float(travel_km),
        cleared_through=expires if check == Mentor.BackgroundCheck.CLEARED else None, monthly_cap=cap,
        tz=ZoneInfo(tz), by_weekday=_by_weekday(blocks), blackout=frozenset(blackout),
    )


def _counts_by_mentor(queryset):
    return dict(queryset.values("mentor_id").annotate(n=Count("pk")).values_list("mentor_id", "n"))


def mentor_specs(*, alliance_id, start, end):
    """The alliance's mentors as the engine sees them for a slot from `start` to `end` (what-if questions)."""
    return _mentor_specs(alliance_id, start, end)


def _mentor_specs(alliance_id, start, end, roster=None, ratings=None):
    roster = mentor_roster(alliance_id) if roster is None else roster
    # The alliance's mentors by join rather than a list of thousands of ids; rows of mentors outside
    # the roster are never looked up.
    ids = Mentor.objects.filter(company__alliance_id=alliance_id).values("pk")
    month_start = start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month_end = (month_start + timedelta(days=32)).replace(day=1)
    held = Match.objects.filter(mentor_id__in=ids, status__in=[*Match.BOOKED, Match.Status.COMPLETED])
    used = _counts_by_mentor(held.filter(session__starts_at__gte=month_start, session__starts_at__lt=month_end))
    recent = held.filter(session__starts_at__gte=start - timedelta(days=90), session__starts_at__lt=start)
    load = _counts_by_mentor(recent)
    busy = defaultdict(list)
    bookings = Booking.objects.filter(mentor_id__in=ids, active=True, ends_at__gt=start - timedelta(days=1),
                                      starts_at__lt=end + timedelta(days=1))
    for mentor_id, s, e in bookings.values_list("mentor_id", "starts_at", "ends_at"):
        busy[mentor_id].append((s, e))
    rated, prior = ratings or ({}, None)
    cache = {}
    return [_mentor_spec(m, start, end, m.monthly_cap - used.get(m.pk, 0), busy[m.pk], load.get(m.pk, 0),
                         rated.get(m.pk, prior), cache) for m in roster]


def _mentor_spec(mentor, start, end, capacity, busy, load, rating=None, cache=None):
    return engine.MentorSpec(
        id=mentor_key(mentor.pk),
        skills=mentor.skills,
        grade_bands=mentor.grade_bands,
        formats=mentor.formats,
        languages=mentor.languages,
        location=mentor.location,
        travel_km=mentor.travel_km,
        background_check_expires=mentor.cleared_through,
        capacity=max(capacity, 0),
        availability=_windows(mentor.tz, mentor.by_weekday, mentor.blackout, start, end, cache),
        busy=tuple(busy),
        load=load,
        rating=rating,
    )


def _pairs(sessions):
    """Pairs never to propose (any match already made), and pairs with a shared history (continuity)."""
    session_ids = [s.pk for s in sessions]
    excluded = {
        (mentor_key(m), session_key(s))
        for m, s in Match.objects.filter(session_id__in=session_ids)
        .exclude(status=Match.Status.PROPOSED).values_list("mentor_id", "session_id")
    }
    continuity = set()
    for field in ("teacher_id", "partner_staff_id"):  # who asked: the same teacher, or the same partner staff
        asked = {}
        for s in sessions:
            if (requester := getattr(s.request, field)) is not None:
                asked.setdefault(requester, []).append(s.pk)
        history = Match.objects.filter(
            **{f"session__request__{field}__in": asked}, status__in=[Match.Status.CONFIRMED, Match.Status.COMPLETED]
        ).values_list("mentor_id", f"session__request__{field}")
        continuity |= {(mentor_key(m), session_key(s)) for m, t in history for s in asked[t]}
    return frozenset(excluded), frozenset(continuity)


def build_problem(*, alliance_id, window_start, window_end, session_ids=None, roster=None):
    """The engine's input for one alliance: open sessions in the window (or `session_ids`), its mentors
    (from `roster` when given, see `mentor_roster`), and the score weights the alliance chose."""
    weights = engine.Weights(**Alliance.objects.get(pk=alliance_id).matching_weights())
    sessions = _sessions_in_scope(alliance_id, window_start, window_end, session_ids)
    if not sessions:
        return engine.Problem(mentors=(), sessions=(), weights=weights)
    booked = _counts_by_mentor_session([s.pk for s in sessions])
    start = min(s.starts_at for s in sessions)
    end = max(s.ends_at for s in sessions)
    closed = closed_days(alliance_id, {s.request.school_id for s in sessions}, start, end)
    specs = [_session_spec(s, booked.get(s.pk, 0), closed[s.request.school_id]) for s in sessions]
    # A closed day removes that slot: a session left with no open interval is not matched at all.
    specs = [s for s in specs if s.mentors_needed > 0 and s.intervals]
    excluded, continuity = _pairs(sessions)
    # Ratings are read only when the alliance weighs them: with the default weight 0 runs are unchanged.
    ratings = import_string(settings.MATCHING_MENTOR_RATINGS)(alliance_id) if weights.rating > 0 else None
    return engine.Problem(
        mentors=tuple(_mentor_specs(alliance_id, start, end, roster, ratings)), sessions=tuple(specs),
        excluded=excluded, continuity=continuity, weights=weights,
    )


def _counts_by_mentor_session(session_ids):
    rows = Match.objects.filter(session_id__in=session_ids, status__in=Match.BOOKED).values("session_id")
    return dict(rows.annotate(n=Count("pk")).values_list("session_id", "n"))


def write_proposals(problem, result):
    """Make the proposed matches of the sessions in `problem` exactly the engine's answer."""
    session_ids = [pk_of(s.id) for s in problem.sessions]
    wanted = {(pk_of(a.mentor), pk_of(a.session)): a for a in result.assignments}
    existing = {
        (m.mentor_id, m.session_id): m
        for m in Match.objects.filter(session_id__in=session_ids, status=Match.Status.PROPOSED)
    }
    stale = [m.pk for pair, m in existing.items() if pair not in wanted]
    Match.objects.filter(pk__in=stale, status=Match.Status.PROPOSED).delete()
    kept = [existing[pair] for pair in wanted if pair in existing]
    for match in kept:
        match.score, match.reasons = wanted[(match.mentor_id, match.session_id)].score, \
            wanted[(match.mentor_id, match.session_id)].reasons
    Match.objects.bulk_update(kept, ["score", "reasons"], batch_size=500)  # one UPDATE, not one per proposal
    Match.objects.bulk_create([
        Match(mentor_id=m, session_id=s, score=a.score, reasons=a.reasons)
        for (m, s), a in wanted.items() if (m, s) not in existing
    ])
    return len(wanted)


def planning_weeks(weeks=HORIZON_WEEKS):
    """(start, end) of this week, from Monday 00:00 UTC, and of each of the `weeks - 1` after it."""
    start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    start -= timedelta(days=start.weekday())
    return [(start + timedelta(weeks=w), start + timedelta(weeks=w + 1)) for w in range(weeks)]


def run_weeks(*, alliance_id, windows, session_ids=None):
    """Run the alliance's windows in order, reading its mentor roster once for all of them.

    Each window is its own run and transaction, exactly as if run alone (of only `session_ids`,
    when given). Never waits on the alliance's lock: raises AllianceBusy with ``.done`` = the
    number of windows finished.
    """
    roster = mentor_roster(alliance_id)
    runs = []
    for window_start, window_end in windows:
        try:
            runs.append(propose_matches(alliance_id=alliance_id, window_start=window_start, window_end=window_end,
                                        session_ids=session_ids, roster=roster, wait=False))
        except AllianceBusy as busy:
            busy.done = len(runs)
            raise
    return runs


def propose_matches(*, alliance_id, window_start, window_end, session_ids=None, weights=None, roster=None,
                 wait=True):
    """Propose mentors for the alliance's open sessions; one run per alliance at a time, idempotent.

    Scores use `weights` when given, else the alliance's own; the run records which. `roster` is
    the alliance's mentors read earlier by `mentor_roster` (else read now). With ``wait=False`` a
    run that finds the alliance locked raises AllianceBusy and writes nothing.
    """
    with transaction.atomic():
        lock_alliance(alliance_id, wait=wait)
        session_ids = lock_scope(
            alliance_id=alliance_id, window_start=window_start, window_end=window_end, session_ids=session_ids
        )
        problem = build_problem(
            alliance_id=alliance_id, window_start=window_start, window_end=window_end, session_ids=session_ids,
            roster=roster,
        )
        weights = weights or problem.weights
        result = engine.solve(problem, weights)
        write_proposals(problem, result)
        request_ids = set(
            Session.objects.filter(pk__in=[pk_of(s.id) for s in problem.sessions]).values_list("request_id", flat=True)
        )
        refresh_request_statuses(request_ids)
        return MatchingRun.objects.create(
            alliance_id=alliance_id, window_start=window_start, window_end=window_end,
            finished_at=timezone.now(), stats=result.stats, weights=weights.as_dict(),
            unfilled=[{"session": pk_of(u.session), "missing": u.missing, "why": u.why} for u in result.unfilled],
        )
