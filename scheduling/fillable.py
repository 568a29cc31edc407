"""What would make an unfilled request fillable: the engine asked again with one thing changed (another of
the teacher's time options, virtual instead of in person, volunteers travelling further), naming who would
then fit."""
from dataclasses import replace
from datetime import datetime

from core.localtime import span_text
from core.words import count, distance_text, joined
from mentors.models import Mentor

from . import engine, matching

WIDER = 2  # "a wider radius" asks about volunteers travelling twice as far
NAMED = 3  # at most this many names per line


def _who(specs, excluded, session_id):
    """The mentors of `specs` who would fit, in words: 'Ana Ruiz and Dev Patel would fit'."""
    ids = [matching.pk_of(m.id) for m in specs if (m.id, session_id) not in excluded]
    if not ids:
        return "still nobody fits"
    names = [str(m) for m in Mentor.objects.select_related("user").filter(pk__in=ids).order_by("pk")[:NAMED]]
    more = len(ids) - len(names)
    said = joined(names) + (f" and {count(more, 'other')}" if more else "")
    return f"{said} would fit"


def _fitting(mentors, spec):
    return [m for m in mentors if engine.feasible(m, spec)]


def what_would_help(session, *, unit="mi"):
    """Lines a coordinator can act on for an open session that lacks mentors (empty when nothing is open)."""
    problem = matching.build_problem(alliance_id=session.alliance_id, window_start=session.starts_at,
                                     window_end=session.ends_at, session_ids=[session.pk])
    if not problem.sessions:
        return ["Every time of this request falls on a closed day, or every seat is taken."]
    spec, key, request = problem.sessions[0], problem.sessions[0].id, session.request
    lines = [f"As asked: {_who(_fitting(problem.mentors, spec), problem.excluded, key)}."]
    tz = request.school.timezone
    for start, end in request.alternative_times:
        start, end = datetime.fromisoformat(start), datetime.fromisoformat(end)
        moved = replace(spec, intervals=((start, end),))
        mentors = matching.mentor_specs(alliance_id=session.alliance_id, start=start, end=end)
        lines.append(f"At the teacher's other time, {span_text(start, end, tz)}: "
                     f"{_who(_fitting(mentors, moved), problem.excluded, key)}.")
    if spec.format == "in_person":
        virtual = replace(spec, format="virtual", location=None)
        fit = _fitting(problem.mentors, virtual)
        lines.append(f"Virtual instead of in person: {_who(fit, problem.excluded, key)}.")
        further = [replace(m, travel_km=m.travel_km * WIDER) for m in problem.mentors]
        typical = sorted(m.travel_km for m in problem.mentors)
        radius = f" (about {distance_text(typical[len(typical) // 2] * WIDER, unit)})" if typical else ""
        lines.append(f"If volunteers travelled twice as far{radius}: "
                     f"{_who(_fitting(further, spec), problem.excluded, key)}.")
    return lines
