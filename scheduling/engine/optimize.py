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
    chosen = solve_packing(gain.astype(float), matrix, rows.bound, seed=_front_runners(m, s, score, a.needed)) > 0.5
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
    """Rows ``sum <= 1`` over each mentor's candidate sessions sharing a moment.

    Per mentor the candidate intervals are swept by start. The intervals
    active at a start form a maximal clique exactly when some interval ends
    before the next one starts; its members are the earlier intervals of the
    same overlapping run that are still going.
    """
    var, start, end = _mentor_intervals(a, m, s)
    if len(var) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    run_lo = _run_starts(start, end)
    following = np.append(start[1:], np.iinfo(np.int64).max)
    ends = np.sort(end)
    point = np.flatnonzero(np.searchsorted(ends, following, "right") > np.searchsorted(ends, start, "right"))
    clique, j = _expand(point - run_lo[point] + 1, run_lo[point])
    going = end[j] > start[point[clique]]
    row, member = _distinct_members(clique[going], var[j[going]], len(point))
    return row, member, np.ones(row.max() + 1 if len(row) else 0)


def _mentor_intervals(a, m, s):
    """(pair, start key, end key) of every interval of a capacity >= 2 mentor's pairs, sorted by start.

    Keys are ``mentor * n_times + time rank``, so one sort orders every mentor's calendar at once.
    """
    # A mentor with capacity 1 is already held to one session by its capacity row.
    multi = np.flatnonzero(a.capacity[m] >= 2)
    pair, iv = _expand(a.interval_ptr[s[multi] + 1] - a.interval_ptr[s[multi]], a.interval_ptr[s[multi]])
    var, mentor = multi[pair], m[multi][pair]
    start = mentor * a.n_times + a.iv_start[iv]
    end = mentor * a.n_times + a.iv_end[iv]
    order = np.argsort(start, kind="stable")
    return var[order], start[order], end[order]


def _run_starts(start, end):
    """Per interval, the index of the first interval of its run (a maximal chain of overlaps)."""
    reach = np.maximum.accumulate(end)
    fresh = np.ones(len(start), bool)
    fresh[1:] = start[1:] >= reach[:-1]
    return np.flatnonzero(fresh)[np.cumsum(fresh) - 1]


def _distinct_members(clique, var, n_cliques):
    """(row, var) of the cliques of two or more distinct variables, each set of variables once."""
    if len(var) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    span = int(var.max()) + 1
    key = np.unique(clique * span + var)
    clique, var = key // span, key % span
    size = np.bincount(clique, minlength=n_cliques)
    kept = size[clique] >= 2
    clique, var = clique[kept], var[kept]
    if len(var) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    _, row = np.unique(clique, return_inverse=True)
    # A weekly series overlapping another every week gives the same clique each week.
    first = _first_of_equal_groups(row.ravel(), var)
    keep = first[row] == row
    _, row = np.unique(row[keep], return_inverse=True)
    return row.ravel(), var[keep]


def _first_of_equal_groups(group, value):
    """Per group (consecutive, values sorted within), the first group holding exactly the same values."""
    n = int(group[-1]) + 1 if len(group) else 0
    starts = np.searchsorted(group, np.arange(n))
    size = np.diff(np.append(starts, len(group)))
    # Two order-free hashes per group (sums of random codes, wrapping), then an exact check.
    codes = np.random.default_rng(0).integers(1, 2**62, (2, int(value.max()) + 1))
    h1, h2 = np.add.reduceat(codes[0][value], starts), np.add.reduceat(codes[1][value], starts)
    order = np.lexsort((np.arange(n), h2, h1, size))
    same = np.zeros(n, bool)
    same[1:] = (size[order][1:] == size[order][:-1]) & (h1[order][1:] == h1[order][:-1]) & (
        h2[order][1:] == h2[order][:-1])
    leader = order[np.maximum.accumulate(np.where(same, 0, np.arange(n)))]
    first = np.arange(n)
    first[order] = leader
    # Equal hashes are checked member by member; a collision keeps both groups.
    g, k = _expand(size, starts)
    offset = k - starts[g]
    equal = value[k] == value[starts[first[g]] + offset]
    clash = np.bincount(g[~equal], minlength=n) > 0
    first[clash] = np.arange(n)[clash]
    return first


def _front_runners(m, s, score, needed, spare=4, per_mentor=3):
    """Where the LP starts: each session's best ``mentors_needed + spare`` candidates and each mentor's best few.

    Measured on the large metro, seeding both sides halves the LP time: mentor
    rows get their duals in the first solve instead of after rounds of pricing.
    """
    return (_rank_within(s, score) < needed[s] + spare) | (_rank_within(m, score) < per_mentor)


def _rank_within(owner, score):
    """Per pair, its rank by score (best first) among the pairs of the same owner."""
    order = np.lexsort((-score, owner))
    sorted_owner = owner[order]
    rank = np.empty(len(owner), np.int64)
    rank[order] = np.arange(len(owner)) - np.searchsorted(sorted_owner, sorted_owner)
    return rank


def _seat_weight(s, score, needed, matrix):
    """Per pair: the value of a seat in its component, above any total score it can reach.

    A component's total score is at most the sum, over its sessions, of the
    session's best ``mentors_needed`` candidate scores.
    """
    reachable = np.where(_rank_within(s, score) < needed[s], score, 0)
    component = _pair_components(matrix)
    ceiling = np.bincount(component, weights=reachable)
    return ceiling[component] + 1


def _pair_components(matrix):
    n = matrix.shape[1]
    coo = matrix.tocoo()
    size = n + matrix.shape[0]
    graph = sparse.coo_matrix((np.ones(len(coo.row)), (coo.col, n + coo.row)), shape=(size, size))
    return connected_components(graph, directed=False)[1][:n]
