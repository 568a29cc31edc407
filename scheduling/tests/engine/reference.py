"""An independent reading of shared/matching-problem.md, for checking the engine.

Written from the spec alone, on the dataclasses, with plain Python: pair
feasibility, a whole-assignment checker, a brute-force optimum for tiny
problems and a two-phase HiGHS MILP (pairwise overlap rows, no decomposition)
for larger ones. Scores come from the engine's own score_pair: the score is
the engine's to define; what is checked is that nothing scores higher.
"""
from __future__ import annotations

import datetime
import math

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from scheduling.engine import Problem, Weights, score_pair


def distance_km(a, b) -> float:
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(h, 1.0)))


def overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def pair_ok(m, s) -> bool:
    """Constraints 1-8, one by one, as the spec words them."""
    if s.format not in m.formats or s.grade_band not in m.grade_bands:
        return False
    if s.language is not None and s.language not in m.languages:
        return False
    if s.skills and not (s.skills & m.skills):
        return False
    if s.requires_background_check:
        last_end = max(end for _, end in s.intervals).astimezone(datetime.UTC).date()
        if m.background_check_expires is None or m.background_check_expires < last_end:
            return False
    if s.format == "in_person" and not (
        m.location is not None and s.location is not None and distance_km(m.location, s.location) <= m.travel_km
    ):
        return False
    if not all(any(w0 <= i0 and i1 <= w1 for w0, w1 in m.availability) for i0, i1 in s.intervals):
        return False
    return not any(overlaps(i, b) for i in s.intervals for b in m.busy)


def sessions_overlap(s1, s2) -> bool:
    return any(overlaps(a, b) for a in s1.intervals for b in s2.intervals)


def feasible_pairs(problem: Problem) -> list[tuple[int, int]]:
    """(mentor index, session index) of every pair passing 1-8 and not excluded."""
    return [
        (i, j)
        for i, m in enumerate(problem.mentors)
        for j, s in enumerate(problem.sessions)
        if pair_ok(m, s) and (m.id, s.id) not in problem.excluded
    ]


def violations(problem: Problem, assignments) -> list[str]:
    """Everything wrong with a list of (mentor_id, session_id) seats."""
    mentors = {m.id: m for m in problem.mentors}
    sessions = {s.id: s for s in problem.sessions}
    wrong = []
    seen = set()
    for mid, sid in assignments:
        if (mid, sid) in seen:
            wrong.append(f"{mid} twice on {sid}")
        seen.add((mid, sid))
        if not pair_ok(mentors[mid], sessions[sid]):
            wrong.append(f"{mid} cannot take {sid}")
        if (mid, sid) in problem.excluded:
            wrong.append(f"{mid} excluded from {sid}")
    for m in problem.mentors:
        mine = [sessions[sid] for mid, sid in assignments if mid == m.id]
        if len(mine) > m.capacity:
            wrong.append(f"{m.id} over capacity")
        for k, a in enumerate(mine):
            for b in mine[k + 1:]:
                if sessions_overlap(a, b):
                    wrong.append(f"{m.id} on overlapping {a.id} and {b.id}")
    for s in problem.sessions:
        if sum(1 for _, sid in assignments if sid == s.id) > s.mentors_needed:
            wrong.append(f"{s.id} over-filled")
    return wrong


def pair_scores(problem: Problem, pairs, weights=None) -> list[int]:
    """Scores in units of 0.0001, as whole numbers."""
    weights = weights or Weights()
    out = []
    for i, j in pairs:
        m, s = problem.mentors[i], problem.sessions[j]
        score, _ = score_pair(m, s, weights, (m.id, s.id) in problem.continuity)
        out.append(round(score * 10_000))
    return out


def brute_force(problem: Problem, weights=None) -> tuple[int, int]:
    """(most seats, best score in units) by trying every subset of feasible pairs."""
    pairs = feasible_pairs(problem)
    scores = pair_scores(problem, pairs, weights)
    ms, ss = problem.mentors, problem.sessions
    best = (0, 0)
    taken_by_mentor = [[] for _ in ms]
    filled = [0] * len(ss)

    def go(k, seats, score):
        nonlocal best
        best = max(best, (seats, score))
        for p in range(k, len(pairs)):
            i, j = pairs[p]
            if len(taken_by_mentor[i]) >= ms[i].capacity or filled[j] >= ss[j].mentors_needed:
                continue
            if any(sessions_overlap(ss[j], ss[t]) for t in taken_by_mentor[i]):
                continue
            taken_by_mentor[i].append(j)
            filled[j] += 1
            go(p + 1, seats + 1, score + scores[p])
            taken_by_mentor[i].pop()
            filled[j] -= 1

    go(0, 0, 0)
    return best


def milp_optimum(problem: Problem, weights=None) -> tuple[int, int]:
    """(most seats, best score in units) by HiGHS on the whole problem, two phases."""
    pairs = feasible_pairs(problem)
    if not pairs:
        return (0, 0)
    scores = np.array(pair_scores(problem, pairs, weights), float)
    rows, cols, upper = [], [], []

    def row(members, bound):
        r = len(upper)
        rows.extend([r] * len(members))
        cols.extend(members)
        upper.append(bound)

    by_mentor: dict[int, list[int]] = {}
    by_session: dict[int, list[int]] = {}
    for p, (i, j) in enumerate(pairs):
        by_mentor.setdefault(i, []).append(p)
        by_session.setdefault(j, []).append(p)
    for i, ps in by_mentor.items():
        row(ps, problem.mentors[i].capacity)
        for k, p in enumerate(ps):
            for q in ps[k + 1:]:
                if sessions_overlap(problem.sessions[pairs[p][1]], problem.sessions[pairs[q][1]]):
                    row([p, q], 1)
    for j, ps in by_session.items():
        row(ps, problem.sessions[j].mentors_needed)
    a = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(upper), len(pairs))).tocsr()
    ones = np.ones(len(pairs))
    options = {"mip_rel_gap": 0.0}
    first = milp(-ones, integrality=ones, bounds=Bounds(0, 1), constraints=[LinearConstraint(a, -np.inf, upper)],
                 options=options)
    seats = int(round(-first.fun))
    second = milp(
        -scores,
        integrality=ones,
        bounds=Bounds(0, 1),
        constraints=[LinearConstraint(a, -np.inf, upper), LinearConstraint(ones, seats, seats)],
        options=options,
    )
    assert first.status == 0 and second.status == 0
    return seats, int(round(-second.fun))


def result_totals(result) -> tuple[int, int]:
    return len(result.assignments), sum(round(a.score * 10_000) for a in result.assignments)
