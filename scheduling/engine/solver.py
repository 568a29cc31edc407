"""The engine's entry points: solve a problem, the greedy baseline, single pairs."""
from __future__ import annotations

import time

import numpy as np

from .arrays import ProblemArrays, to_arrays
from .candidates import candidate_pairs, pair_is_feasible
from .explain import explain_unfilled
from .optimize import maximise
from .result import Assignment, Candidate, Result
from .scoring import SCALE, Weights, reasons_of, score_parts
from .spec import MentorSpec, Problem, SessionSpec


def solve(problem: Problem, weights: Weights | None = None, *, with_candidates: bool = False) -> Result:
    """The optimal assignment: the most seats any feasible assignment fills,
    then the highest total score among those. Never breaks constraints 1-11
    nor an ``excluded`` pair. Every short session is listed with a reason.
    Scores use ``weights``, else the problem's own, else the defaults.
    """
    started = time.perf_counter()
    a, m, s, parts = _candidates(problem, weights)
    score = parts.sum(axis=0)
    usable = np.flatnonzero((a.capacity[m] > 0) & (a.needed[s] > 0))
    chosen = np.zeros(len(m), bool)
    chosen[usable[maximise(a, m[usable], s[usable], score[usable])]] = True
    return _result(problem, a, m, s, parts, chosen, with_candidates, started)


def solve_greedy(problem: Problem, weights: Weights | None = None) -> Result:
    """First come, first served: sessions in file order, each taking the first
    feasible mentors in file order who still have capacity and no overlapping
    session. Respects every hard constraint; a baseline, not an optimum.
    """
    started = time.perf_counter()
    a, m, s, parts = _candidates(problem, weights)
    chosen = _greedy(a, m, s)
    return _result(problem, a, m, s, parts, chosen, False, started)


def feasible(mentor: MentorSpec, session: SessionSpec) -> bool:
    """Whether the pair meets the pair constraints 1-8 of the spec."""
    a = to_arrays(Problem((mentor,), (session,)))
    return pair_is_feasible(a, 0, 0)


def score_pair(mentor: MentorSpec, session: SessionSpec, weights: Weights | None, continuity: bool):
    """(score, reasons) of a pair, exactly as a run would score it; the reasons add up to the score."""
    pairs = frozenset({(mentor.id, session.id)}) if continuity else frozenset()
    a = to_arrays(Problem((mentor,), (session,), continuity=pairs))
    parts = score_parts(a, np.array([0]), np.array([0]), weights or Weights())[:, 0]
    return int(parts.sum()) / SCALE, reasons_of(parts)


def _candidates(problem, weights):
    a = to_arrays(problem)
    m, s = candidate_pairs(a)
    return a, m, s, score_parts(a, m, s, weights or problem.weights or Weights())


def _greedy(a: ProblemArrays, m, s) -> np.ndarray:
    chosen = np.zeros(len(m), bool)
    left = a.capacity.copy()
    booked: dict[int, list[tuple[int, int]]] = {}
    bounds = np.searchsorted(s, np.arange(a.n_sessions + 1))
    for session in range(a.n_sessions):
        need = int(a.needed[session])
        times = _times(a, session)
        for p in range(bounds[session], bounds[session + 1]):
            if need == 0:
                break
            mentor = int(m[p])
            if left[mentor] > 0 and not _clashes(booked.get(mentor, ()), times):
                chosen[p] = True
                left[mentor] -= 1
                need -= 1
                booked.setdefault(mentor, []).extend(times)
    return chosen


def _times(a, session):
    lo, hi = a.interval_ptr[session], a.interval_ptr[session + 1]
    return list(zip(a.iv_start_us[lo:hi].tolist(), a.iv_end_us[lo:hi].tolist(), strict=True))


def _clashes(booked, times) -> bool:
    return any(a0 < b1 and b0 < a1 for a0, a1 in booked for b0, b1 in times)


def _result(problem, a, m, s, parts, chosen, with_candidates, started) -> Result:
    score = parts.sum(axis=0)
    picked = np.flatnonzero(chosen)
    assignments = [_assignment(problem, m[p], s[p], parts[:, p]) for p in picked.tolist()]
    unfilled = explain_unfilled(a, problem, m, s, chosen)
    total = int(score[picked].sum())
    stats = {
        "seats_filled": len(assignments),
        "seats_wanted": int(a.needed.sum()),
        "score": round(total / SCALE, 4),
        "candidates": len(m),
        "seconds": round(time.perf_counter() - started, 3),
    }
    candidates = _candidate_list(problem, m, s, parts) if with_candidates else None
    return Result(assignments, unfilled, stats, candidates)


def _assignment(problem, m, s, parts_column) -> Assignment:
    return Assignment(
        session=problem.sessions[s].id,
        mentor=problem.mentors[m].id,
        score=int(parts_column.sum()) / SCALE,
        reasons=reasons_of(parts_column),
    )


def _candidate_list(problem, m, s, parts) -> list[Candidate]:
    score = parts.sum(axis=0)
    order = np.lexsort((m, -score, s))
    return [
        Candidate(problem.sessions[s[p]].id, problem.mentors[m[p]].id, int(score[p]) / SCALE, reasons_of(parts[:, p]))
        for p in order.tolist()
    ]
