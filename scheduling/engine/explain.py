"""Why a session is short of mentors, in words a coordinator can act on.

A session is short either because mentors who fit it were all needed
elsewhere (or booked at an overlapping time), or because too few mentors fit
at all. In the second case the rules are applied one after another to every
mentor, and the first rule that leaves fewer mentors than the session needs
is named: "no mentor within travel range teaches grades K-2".
"""
from __future__ import annotations

import datetime

import numpy as np

from . import rules
from .arrays import IN_PERSON, ProblemArrays
from .result import Unfilled
from .spec import Problem

MAX_BLOCK = 1_000_000


def _anyone(a, m, s):
    return np.ones(len(m), bool)


def _has_capacity(a, m, s):
    return a.capacity[m] > 0


STAGES = (("anyone", _anyone), ("capacity", _has_capacity), *rules.PAIR_RULES, ("excluded", rules.not_excluded))
_DISTANCE = [name for name, _ in STAGES].index("distance")


def explain_unfilled(a: ProblemArrays, problem: Problem, m, s, chosen) -> list[Unfilled]:
    """An Unfilled for every session given fewer mentors than it needs, in session order."""
    assigned = np.bincount(s[chosen], minlength=a.n_sessions)
    missing = a.needed - assigned
    usable = a.capacity[m] > 0
    fitting = np.bincount(s[usable], minlength=a.n_sessions)
    short = np.flatnonzero(missing > 0)
    crowded = short[fitting[short] > assigned[short]]
    thin = short[fitting[short] <= assigned[short]]
    why = _crowded_reasons(a, m, s, chosen, usable, crowded, assigned)
    why.update(_thin_reasons(a, problem, thin))
    return [Unfilled(problem.sessions[i].id, int(missing[i]), why[i]) for i in short.tolist()]


def _crowded_reasons(a, m, s, chosen, usable, crowded, assigned) -> dict[int, str]:
    if len(crowded) == 0:
        return {}
    is_crowded = np.zeros(a.n_sessions, bool)
    is_crowded[crowded] = True
    taken = np.bincount(m[chosen], minlength=a.n_mentors)
    idle = usable & ~chosen & is_crowded[s]
    full = taken[m] >= a.capacity[m]
    at_capacity = np.bincount(s[idle & full], minlength=a.n_sessions)
    overlapping = np.bincount(s[idle & ~full], minlength=a.n_sessions)
    return {
        i: _crowded_text(int(at_capacity[i]), int(overlapping[i]), int(assigned[i])) for i in crowded.tolist()
    }


def _crowded_text(at_capacity, overlapping, assigned) -> str:
    others = at_capacity + overlapping
    noun = "feasible mentor" if others == 1 else "feasible mentors"
    lead = f"{others} other {noun}" if assigned else f"{others} {noun}"
    detail = []
    if at_capacity:
        detail.append(f"{at_capacity} at capacity")
    if overlapping:
        detail.append(f"{overlapping} booked at an overlapping time")
    where = "all needed elsewhere or at overlapping times"
    if others == 1:
        where = "needed elsewhere or at an overlapping time"
    return f"{lead}, {where} ({', '.join(detail)})"


def _thin_reasons(a, problem, thin) -> dict[int, str]:
    if len(thin) == 0:
        return {}
    counts = _stage_counts(a, thin)
    out = {}
    for j, i in enumerate(thin.tolist()):
        below = np.flatnonzero(counts[:, j] < a.needed[i])
        stage = int(below[0]) if len(below) else len(STAGES) - 1
        out[i] = _thin_text(a, problem.sessions[i], i, stage, int(counts[stage, j]))
    return out


def _stage_counts(a: ProblemArrays, sessions) -> np.ndarray:
    """Mentors left after each stage, shape [len(STAGES), len(sessions)]."""
    counts = np.zeros((len(STAGES), len(sessions)), np.int64)
    step = max(1, MAX_BLOCK // max(a.n_mentors, 1))
    for lo in range(0, len(sessions), step):
        block = sessions[lo:lo + step]
        local = np.repeat(np.arange(len(block)), a.n_mentors)
        m, s = np.tile(np.arange(a.n_mentors), len(block)), block[local]
        for k, (_, rule) in enumerate(STAGES):
            keep = rule(a, m, s) if len(m) else np.zeros(0, bool)
            m, s, local = m[keep], s[keep], local[keep]
            counts[k, lo:lo + len(block)] = np.bincount(local, minlength=len(block))
    return counts


def _thin_text(a, session, i, stage, count) -> str:
    name = STAGES[stage][0]
    if name == "distance" and session.location is None:
        return "the in-person session has no location"
    subject = "mentor"
    if a.format[i] == IN_PERSON and stage > _DISTANCE:
        subject = "mentor within travel range"
    singular, plural = _predicate(a, session, i, name)
    if count == 0:
        return f"no {subject} {singular}"
    noun = subject if count == 1 else subject.replace("mentor", "mentors", 1)
    verb = singular if count == 1 else plural
    return f"only {count} {noun} {verb} ({session.mentors_needed} needed)"


def _predicate(a, session, i, name) -> tuple[str, str]:
    if name == "anyone":
        return "in this run", "in this run"
    if name == "capacity":
        return "has capacity left in this run", "have capacity left in this run"
    if name == "format":
        kind = "in-person" if session.format == "in_person" else "virtual"
        return f"offers {kind} sessions", f"offer {kind} sessions"
    if name == "distance":
        return "is within travel range of the session", "are within travel range of the session"
    if name == "grade":
        return f"teaches grades {session.grade_band}", f"teach grades {session.grade_band}"
    if name == "language":
        return f"speaks {session.language}", f"speak {session.language}"
    if name == "skills":
        skills = " or ".join(sorted(session.skills))
        return f"knows {skills}", f"know {skills}"
    if name == "check":
        through = datetime.date.fromordinal(int(a.last_end_ordinal[i])).isoformat()
        return f"has a background check valid through {through}", f"have a background check valid through {through}"
    if name == "availability":
        return "is available for all of the session's times", "are available for all of the session's times"
    if name == "busy":
        return "is free of other commitments at the session's times", "are free of other commitments then"
    return "is left after coordinator exclusions", "are left after coordinator exclusions"
