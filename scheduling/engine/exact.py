"""The textbook formulation, solved whole by HiGHS: a yardstick for the benchmark.

No components, no column generation, no clique rows, no reduced-cost fixing:
one binary variable per candidate pair, one row per session, one per mentor,
one per pair of overlapping sessions of a mentor; first maximise seats, then
fix the seats and maximise the score. It stops at a time limit.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .arrays import to_arrays
from .candidates import candidate_pairs
from .rules import _expand
from .scoring import SCALE, Weights, score_parts
from .spec import Problem


@dataclass(frozen=True)
class ExactOutcome:
    """Seats and score of the whole-problem MILP, or finished=False past the time limit."""

    finished: bool
    seats: int
    score: float
    seconds: float


def solve_whole_milp(problem: Problem, weights: Weights | None = None, *, time_limit: float = 60.0) -> ExactOutcome:
    """Optimum by one two-phase MILP on the whole problem, within ``time_limit`` seconds."""
    started = time.perf_counter()
    a = to_arrays(problem)
    m, s = candidate_pairs(a)
    score = score_parts(a, m, s, weights or problem.weights or Weights()).sum(axis=0)
    keep = (a.capacity[m] > 0) & (a.needed[s] > 0)
    m, s, score = m[keep], s[keep], score[keep]
    if len(m) == 0:
        return ExactOutcome(True, 0, 0.0, time.perf_counter() - started)
    matrix = _rows(a, m, s)
    bound = np.concatenate([a.needed, a.capacity, np.ones(matrix.shape[0] - a.n_sessions - a.n_mentors)])
    rows = LinearConstraint(matrix, -np.inf, bound)
    ones = np.ones(len(m))
    first = _milp(-ones, [rows], time_limit - (time.perf_counter() - started))
    if first is None:
        return ExactOutcome(False, 0, 0.0, time.perf_counter() - started)
    seats = int(round(-first.fun))
    second = _milp(-score.astype(float), [rows, LinearConstraint(ones, seats, seats)],
                   time_limit - (time.perf_counter() - started))
    if second is None:
        return ExactOutcome(False, seats, 0.0, time.perf_counter() - started)
    return ExactOutcome(True, seats, round(-second.fun) / SCALE, time.perf_counter() - started)


def _milp(cost, constraints, time_left):
    if time_left <= 0:
        return None
    res = milp(cost, integrality=np.ones(len(cost)), bounds=Bounds(0, 1), constraints=constraints,
               options={"mip_rel_gap": 0.0, "time_limit": time_left})
    return res if res.status == 0 else None


def _rows(a, m, s):
    n = len(m)
    first, second = _overlapping_pairs(a, m, s)
    k = len(first)
    row = np.concatenate([s, a.n_sessions + m, np.repeat(a.n_sessions + a.n_mentors + np.arange(k), 2)])
    col = np.concatenate([np.arange(n), np.arange(n), np.column_stack([first, second]).ravel()])
    shape = (a.n_sessions + a.n_mentors + k, n)
    return sparse.csr_matrix((np.ones(len(row)), (row, col)), shape=shape)


def _overlapping_pairs(a, m, s):
    """Pairs of variables with the same mentor whose sessions overlap."""
    pair, iv = _expand(a.interval_ptr[s + 1] - a.interval_ptr[s], a.interval_ptr[s])
    start = m[pair] * a.n_times + a.iv_start[iv]
    end = m[pair] * a.n_times + a.iv_end[iv]
    order = np.argsort(start, kind="stable")
    pair, start, end = pair[order], start[order], end[order]
    # Interval i overlaps every later-starting interval of the same mentor that starts before i ends.
    last = np.searchsorted(start, end, side="left")
    counts = np.maximum(last - np.arange(len(start)) - 1, 0)
    i, j = _expand(counts, np.arange(len(start)) + 1)
    first, second = np.minimum(pair[i], pair[j]), np.maximum(pair[i], pair[j])
    distinct = first != second
    keys = np.unique(first[distinct] * len(m) + second[distinct])
    return keys // len(m), keys % len(m)
