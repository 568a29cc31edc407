"""Choose the assignment: most seats first, then the highest total score, exactly.

The candidate pairs are 0/1 variables. The rows (only those that can bind):

* a session row ``sum x <= mentors_needed`` when it has more candidates;
* a mentor row ``sum x <= capacity`` when it has more candidates;
* for each mentor, one clique row ``sum x <= 1`` per maximal set of its
  candidate sessions that share a moment in time (constraint 10: two
  sessions overlap exactly when some moment lies in both, so forbidding two
  at every such moment forbids every overlapping pair, and nothing more).

The gain of a pair is ``W + score`` with integer scores and W larger than any
total score the pair's component can reach, so one more seat always beats
any score. packing.solve_packing then finds the exact optimum.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from .arrays import ProblemArrays
from .packing import solve_packing
from .rules import _expand


@dataclass
class Rows:
    """Constraint rows as (row, variable) incidences with upper bounds."""

    row: np.ndarray
    var: np.ndarray
    bound: np.ndarray

    @property
    def count(self) -> int:
        return len(self.bound)

    def matrix(self, n_vars: int) -> sparse.csr_matrix:
        """The rows as a 0/1 sparse matrix."""
        return sparse.csr_matrix((np.ones(len(self.row)), (self.row, self.var)), shape=(self.count, n_vars))


def maximise(a: ProblemArrays, m: np.ndarray, s: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Bool mask over the pairs: an assignment with the most seats, then the most score."""
    n = len(m)
    if n == 0:
        return np.zeros(0, bool)
    rows = build_rows(a, m, s)
    matrix = rows.matrix(n)
    gain = _seat_weight(s, score, a.needed, matrix) + score
    chosen = solve_packing(gain.astype(float), matrix, rows.bound, seed=_front_runners(s, score, a.needed)) > 0.5
    if (matrix @ chosen > rows.bound).any():
        raise AssertionError("solver returned an assignment breaking a constraint")
    return chosen


def build_rows(a: ProblemArrays, m, s) -> Rows:
    """Every binding constraint row for the candidate pairs (m, s)."""
    parts = [_group_rows(s, a.needed), _group_rows(m, a.capacity), _clique_rows(a, m, s)]
    offset, rows, vars_, bounds = 0, [], [], []
    for row, var, bound in parts:
        rows.append(row + offset)
        vars_.append(var)
        bounds.append(bound)
        offset += len(bound)
    return Rows(np.concatenate(rows), np.concatenate(vars_), np.concatenate(bounds))


def _group_rows(owner, limit):
    """One row per owner (session or mentor) with more pairs than its limit."""
    degree = np.bincount(owner, minlength=len(limit))
    binding = np.flatnonzero(degree > limit)
    row_of = np.full(len(limit), -1)
    row_of[binding] = np.arange(len(binding))
    var = np.flatnonzero(row_of[owner] >= 0)
    return row_of[owner[var]], var, limit[binding].astype(float)


def _clique_rows(a: ProblemArrays, m, s):
    """Rows ``sum <= 1`` over each mentor's candidate sessions sharing a moment."""
    # A mentor with capacity 1 is already held to one session by its capacity row.
    multi = np.flatnonzero(a.capacity[m] >= 2)
    pair, iv = _expand(a.interval_ptr[s[multi] + 1] - a.interval_ptr[s[multi]], a.interval_ptr[s[multi]])
    var, mentor = multi[pair], m[multi][pair]
    start = mentor * a.n_times + a.iv_start[iv]
    end = mentor * a.n_times + a.iv_end[iv]
    order = np.argsort(start, kind="stable")
    var, start, end = var[order], start[order], end[order]
    reach = np.maximum.accumulate(end) if len(end) else end
    fresh = np.ones(len(start), bool)
    fresh[1:] = start[1:] >= reach[:-1]
    run_id = np.cumsum(fresh) - 1
    size = np.bincount(run_id)[run_id]
    # Runs of two intervals (the common case) are a clique of two, unless both belong to one pair.
    two = np.flatnonzero((size == 2) & fresh)
    two = two[var[two] != var[two + 1]]
    pairs = np.unique(np.sort(np.column_stack([var[two], var[two + 1]]), axis=1), axis=0)
    cliques = set()
    for lo in np.flatnonzero(fresh & (size > 2)).tolist():
        hi = lo + int(size[lo])
        cliques.update(_run_cliques(var[lo:hi], start[lo:hi], end[lo:hi]))
    cliques -= {frozenset(p) for p in pairs.tolist()}
    members = [np.fromiter(c, np.int64) for c in cliques]
    n_pairs = len(pairs)
    rows = [np.repeat(np.arange(n_pairs), 2)] + [np.full(len(c), n_pairs + i) for i, c in enumerate(members)]
    var_out = [pairs.ravel()] + members
    return np.concatenate(rows), np.concatenate(var_out), np.ones(n_pairs + len(members))


def _run_cliques(var, start, end):
    """Maximal sets of distinct variables active together, by a sweep over sorted starts."""
    active: list[tuple[int, int]] = []
    found = []
    var, start, end = var.tolist(), start.tolist(), end.tolist()
    for i, (v, t) in enumerate(zip(var, start, strict=True)):
        active = [(e, w) for e, w in active if e > t]
        active.append((end[i], v))
        next_start = start[i + 1] if i + 1 < len(start) else None
        if next_start is None or any(e <= next_start for e, _ in active):
            members = frozenset(w for _, w in active)
            if len(members) > 1:
                found.append(members)
    return found


def _front_runners(s, score, needed, spare=2):
    """Per session, its best ``mentors_needed + spare`` candidates: where the LP starts."""
    order = np.lexsort((-score, s))
    sorted_s = s[order]
    rank = np.empty(len(s), np.int64)
    rank[order] = np.arange(len(s)) - np.searchsorted(sorted_s, sorted_s)
    return rank < needed[s] + spare


def _seat_weight(s, score, needed, matrix):
    """Per pair: the value of a seat in its component, above any total score it can reach.

    A component's total score is at most the sum, over its sessions, of the
    session's best ``mentors_needed`` candidate scores.
    """
    order = np.lexsort((-score, s))
    rank = np.empty(len(s), np.int64)
    sorted_s = s[order]
    rank[order] = np.arange(len(s)) - np.searchsorted(sorted_s, sorted_s)
    reachable = np.where(rank < needed[s], score, 0)
    component = _pair_components(matrix)
    ceiling = np.bincount(component, weights=reachable)
    return ceiling[component] + 1


def _pair_components(matrix):
    n = matrix.shape[1]
    coo = matrix.tocoo()
    size = n + matrix.shape[0]
    graph = sparse.coo_matrix((np.ones(len(coo.row)), (coo.col, n + coo.row)), shape=(size, size))
    return connected_components(graph, directed=False)[1][:n]
