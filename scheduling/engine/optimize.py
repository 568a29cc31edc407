"""Choose the assignment: most seats first, then the highest total score, exactly.

The pairs are variables x in {0, 1}. Constraints (only those that can bind):

* a session row ``sum x <= mentors_needed`` when it has more candidates;
* a mentor row ``sum x <= capacity`` when it has more candidates;
* for each mentor, one clique row ``sum x <= 1`` per maximal set of its
  candidate sessions that share a moment in time (constraint 10).

The rows split the variables into independent components, solved apart:
a variable in no row is simply taken; a component of one row is a
"best b of n" pick; the rest go to one LP (HiGHS, a vertex solution). A
component whose LP solution is integral is optimal (the LP is a relaxation);
any fractional one is re-solved as a MILP with a zero gap. The objective is
``W_c * seats + score`` per component with integer scores and W_c above any
score the component can reach, so seats always come first.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse.csgraph import connected_components

from .arrays import ProblemArrays
from .rules import _expand

INTEGRAL_TOLERANCE = 1e-6


@dataclass
class Rows:
    """Constraint rows as (row, variable) incidences with upper bounds."""

    row: np.ndarray
    var: np.ndarray
    bound: np.ndarray

    @property
    def count(self) -> int:
        return len(self.bound)


def maximise(a: ProblemArrays, m: np.ndarray, s: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Bool mask over the pairs: an assignment with the most seats, then the most score."""
    n = len(m)
    if n == 0:
        return np.zeros(0, bool)
    rows = build_rows(a, m, s)
    if rows.count == 0:
        return np.ones(n, bool)
    component, single = _components(n, rows)
    chosen = np.zeros(n, bool)
    free = component < 0
    chosen[free] = True
    _pick_best(chosen, rows, single, component, score)
    hard = (component >= 0) & ~single[np.maximum(component, 0)]
    if hard.any():
        _solve_hard(chosen, hard, rows, component, _seat_weight(s, score, a.needed, component), score)
    _check(chosen, rows)
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
    cliques = set()
    for lo, hi in _runs(fresh):
        if hi - lo > 1:
            cliques.update(_run_cliques(var[lo:hi], start[lo:hi], end[lo:hi]))
    rows = [np.full(len(c), i) for i, c in enumerate(cliques)]
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(rows), np.concatenate([np.fromiter(c, np.int64) for c in cliques]), np.ones(len(rows))


def _runs(fresh):
    starts = np.flatnonzero(fresh)
    if not len(starts):
        return iter(())
    ends = np.append(starts[1:], len(fresh))
    return zip(starts.tolist(), ends.tolist(), strict=True)


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


def _components(n, rows: Rows):
    """Component of each variable (-1 when it is in no row) and, per component, whether it has one row."""
    if rows.count == 0:
        return np.full(n, -1), np.zeros(0, bool)
    graph = sparse.coo_matrix((np.ones(len(rows.var)), (rows.var, n + rows.row)), shape=(n + rows.count,) * 2)
    _, label = connected_components(graph, directed=False)
    in_rows = np.zeros(n, bool)
    in_rows[rows.var] = True
    row_label = label[n:]
    _, dense = np.unique(row_label, return_inverse=True)
    component = np.full(n, -1)
    lookup = np.full(label.max() + 1, -1)
    lookup[row_label] = dense.ravel()
    component[in_rows] = lookup[label[:n][in_rows]]
    single = np.bincount(dense.ravel()) == 1
    return component, single


def _pick_best(chosen, rows: Rows, single, component, score):
    """Components of one row ``sum <= b``: take the b best scores."""
    mask = (component >= 0) & single[np.maximum(component, 0)]
    idx = np.flatnonzero(mask)
    if len(idx) == 0:
        return
    comp = component[idx]
    order = np.lexsort((idx, -score[idx], comp))
    idx, comp = idx[order], comp[order]
    rank = np.arange(len(idx)) - np.searchsorted(comp, comp)
    bound = np.zeros(len(single))
    bound[component[rows.var]] = rows.bound[rows.row]
    chosen[idx[rank < bound[comp]]] = True


def _seat_weight(s, score, needed, component):
    """Per variable: the weight of a seat in its component, above any reachable total score."""
    order = np.lexsort((-score, s))
    rank = np.empty(len(s), np.int64)
    sorted_s = s[order]
    rank[order] = np.arange(len(s)) - np.searchsorted(sorted_s, sorted_s)
    reachable = np.where(rank < needed[s], score, 0)
    comp = np.maximum(component, 0)
    bound = np.bincount(comp, weights=reachable, minlength=comp.max() + 1)
    return bound[comp] + 1.0


def _solve_hard(chosen, hard, rows: Rows, component, seat, score):
    var = np.flatnonzero(hard)
    local = np.full(len(chosen), -1)
    local[var] = np.arange(len(var))
    keep = local[rows.var] >= 0
    used_rows, row_index = np.unique(rows.row[keep], return_inverse=True)
    matrix = sparse.csc_matrix(
        (np.ones(keep.sum()), (row_index.ravel(), local[rows.var[keep]])), shape=(len(used_rows), len(var))
    )
    bound = rows.bound[used_rows]
    gain = seat[var] + score[var]
    x, dual = _lp(gain, matrix, bound)
    fractional = np.abs(x - np.rint(x)) > INTEGRAL_TOLERANCE
    x = np.rint(x)
    for comp in np.unique(component[var[fractional]]):
        cols = np.flatnonzero(component[var] == comp)
        sub = matrix[:, cols]
        touched = np.flatnonzero(np.diff(sub.tocsr().indptr) > 0)
        sub = sub.tocsr()[touched]
        x[cols] = _exact(gain[cols], sub, bound[touched], np.where(fractional[cols], 0.0, x[cols]), dual[touched])
    chosen[var] = x > 0.5


def _lp(gain, matrix, bound):
    """Vertex optimum of the LP relaxation (maximising gain) and its row duals (>= 0)."""
    res = linprog(-gain, A_ub=matrix, b_ub=bound, bounds=(0, 1), method="highs-ds")
    if res.status != 0:
        raise RuntimeError(f"LP relaxation failed: {res.message}")
    return res.x, np.maximum(-res.ineqlin.marginals, 0.0)


def _exact(gain, matrix, bound, start, dual):
    """Optimal 0/1 x for one component whose LP optimum was fractional.

    Reduced-cost fixing first: for any duals y >= 0 and d = gain - A'y, every
    feasible x has gain.x <= y.b + sum(max(d, 0)) - sum(|d_j| over the j where
    x_j differs from the sign of d_j). Objective values are integers, so a
    variable whose flip would push that bound below a known solution (the
    rounded-down LP optimum, greedily completed) keeps its value in every
    optimum. The few variables left go to a zero-gap MILP.
    """
    incumbent = _complete(gain, matrix, bound, start)
    best = float(gain @ incumbent)
    reduced = gain - matrix.T @ dual
    ceiling = float(dual @ bound + np.maximum(reduced, 0).sum())
    fix_zero = (reduced < 0) & (ceiling + reduced + 0.5 < best)
    fix_one = (reduced > 0) & (ceiling - reduced + 0.5 < best)
    free = np.flatnonzero(~(fix_zero | fix_one))
    x = fix_one.astype(float)
    left = bound - matrix @ x
    sub = matrix[:, free]
    touched = np.flatnonzero(np.diff(sub.tocsr().indptr) > 0)
    if len(free):
        x[free] = _milp(gain[free], sub.tocsr()[touched], left[touched])
    if gain @ x < best:
        raise AssertionError("reduced-cost fixing lost the incumbent")
    return x


def _complete(gain, matrix, bound, x):
    """x plus every other variable, best gain first, that still fits."""
    x = x.copy()
    slack = bound - matrix @ x
    csc = matrix.tocsc()
    # Only variables whose rows all have room now can ever be added.
    blocked = (csc.T @ (slack < 1).astype(float)) > 0
    for j in np.flatnonzero((x == 0) & ~blocked)[np.argsort(-gain[(x == 0) & ~blocked], kind="stable")].tolist():
        rows = csc.indices[csc.indptr[j]:csc.indptr[j + 1]]
        if (slack[rows] >= 1).all():
            x[j] = 1.0
            slack[rows] -= 1
    return x


def _milp(gain, matrix, bound):
    res = milp(
        -gain,
        integrality=np.ones(len(gain)),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(matrix, -np.inf, bound),
        options={"mip_rel_gap": 0.0, "presolve": True},
    )
    if res.status != 0:
        raise RuntimeError(f"MILP failed: {res.message}")
    return np.rint(res.x)


def _check(chosen, rows: Rows):
    load = np.bincount(rows.row, weights=chosen[rows.var].astype(float), minlength=rows.count)
    if (load > rows.bound + 1e-9).any():
        raise AssertionError("solver returned an assignment breaking a constraint")
