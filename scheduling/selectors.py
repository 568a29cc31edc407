"""Reads the review queue needs that are more than a plain queryset."""
from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from mentors.models import Mentor

from . import engine, matching
from .models import Match, MatchingRun, Session


def ranked_candidates(session):
    """Every mentor who could take a seat in `session` now, best first, with the engine's reasons."""
    problem = matching.build_problem(
        alliance_id=session.alliance_id, window_start=session.starts_at, window_end=session.ends_at,
        session_ids=[session.pk],
    )
    if not problem.sessions:
        return []
    result = engine.solve(problem, with_candidates=True)
    ranked = sorted(result.candidates or [], key=lambda c: (-c.score, c.mentor))
    mentors = Mentor.objects.select_related("user", "company").in_bulk([matching.pk_of(c.mentor) for c in ranked])
    return [(mentors[matching.pk_of(c.mentor)], c.score, c.reasons) for c in ranked]


def recent_load(mentor_ids, days=90):
    """Sessions each mentor held or completed in the last `days` days (what fairness weighs)."""
    since = timezone.now() - timedelta(days=days)
    rows = Match.objects.filter(
        mentor_id__in=mentor_ids, session__starts_at__gte=since,
        status__in=[*Match.BOOKED, Match.Status.COMPLETED],
    ).values("mentor_id").annotate(n=Count("pk"))
    return {row["mentor_id"]: row["n"] for row in rows}


def review_queue(alliance, *, school_id=None, date_from=None, date_to=None, status="proposed"):
    """Matches of the alliance grouped by request, in session order, with the mentors' recent load."""
    matches = (
        Match.objects.filter(session__alliance=alliance)
        .select_related("mentor__user", "mentor__company", "session__request__school", "session__request__teacher")
        .prefetch_related("session__intervals")
        .order_by("session__starts_at", "session_id", "-score")
    )
    if status:
        matches = matches.filter(status=status)
    if school_id:
        matches = matches.filter(session__request__school_id=school_id)
    if date_from:
        matches = matches.filter(session__starts_at__date__gte=date_from)
    if date_to:
        matches = matches.filter(session__starts_at__date__lte=date_to)
    matches = list(matches)
    load = recent_load({m.mentor_id for m in matches})
    groups = defaultdict(list)
    for match in matches:
        match.recent_load = load.get(match.mentor_id, 0)
        groups[match.session.request].append(match)
    return list(groups.items())


def unfilled_sessions(alliance):
    """Open sessions still short of mentors, with the latest engine reason for each."""
    booked = Count("matches", filter=Q(matches__status__in=[*Match.BOOKED, Match.Status.PROPOSED]))
    sessions = (
        Session.objects.filter(alliance=alliance, status=Session.Status.OPEN, starts_at__gte=timezone.now())
        .annotate(held=booked).select_related("request__school").order_by("starts_at")
    )
    short = [s for s in sessions if s.held < s.mentors_needed]
    reasons = {}
    for run in MatchingRun.objects.filter(alliance=alliance).order_by("-started_at")[:20]:
        for entry in run.unfilled:
            reasons.setdefault(entry["session"], entry["why"])
    for session in short:
        session.why = reasons.get(session.pk, "not matched yet")
    return short
