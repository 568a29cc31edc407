"""Exact 0/1 packing: maximise gain.x subject to A x <= b, A a 0/1 matrix.

Gains are whole numbers, so objective values are whole numbers. The method:

1. Split the variables into components (variables linked by shared rows).
   A variable in no row is taken; a component of one row takes its b best.
2. The other components share one LP relaxation (relaxation.py), grown by
   column generation: start from each row's most promising variables, add
   every variable whose reduced cost is positive, re-solve from the last
   basis, repeat.
3. For any duals y >= 0 and reduced costs d = gain - A'y, every feasible x
   has gain.x <= y.b + sum(max(d, 0)) - sum(|d_j| : x_j disagrees with the
   sign of d_j). We compute this ceiling ourselves, per component, and
   round the LP solution down (then fill it greedily) for an incumbent. When
   the ceiling is below incumbent + 1, the incumbent is optimal.
4. Otherwise the LP is tightened by {0, 1/2}-cuts (cuts.py), valid for
   every 0/1 point, and steps 2-3 run again. When no cut is left, branch
   and bound on the same LP closes the gap; past MAX_NODES nodes, every
   variable whose flip would drop the ceiling below the incumbent is fixed,
   and the variables left are solved by a zero-gap MILP.

Optimality therefore never rests on the LP solver's own tolerances: only
on our bound, computed from integers with a margin of half a unit.
"""
from __future__ import annotations

import logging

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

from .cuts import zero_half_cuts
from .relaxation import PackingRelaxation

logger = logging.getLogger(__name__)

MARGIN = 0.5  # objective values are integers; float error stays far below this
MILP_BATCH = 3000
MAX_CUT_ROUNDS = 20
MAX_NODES = 200
WHOLE_LP_COLUMNS = 20_000  # below this the first LP takes every column
SEED_PER_ROW = 6


def solve_packing(gain: np.ndarray, matrix: sparse.csr_matrix, bound: np.ndarray, *, relax: bool = True, seed=None):
    """A 0/1 vector x maximising gain.x with matrix @ x <= bound (gain > 0, whole numbers).

    ``seed`` optionally marks the variables most likely to matter; the LP
    starts from them (a hint for speed, never a restriction).
    """
    n = len(gain)
    x = np.zeros(n)
    matrix = sparse.csr_matrix(matrix)
    if n == 0:
        return x
    component, rows_per = _components(matrix)
    x[component < 0] = 1.0
    if len(rows_per) == 0:
        return x
    one_row = (component >= 0) & (rows_per[np.maximum(component, 0)] == 1)
    _best_of(x, np.flatnonzero(one_row), component, gain, matrix, bound)
    hard = np.flatnonzero((component >= 0) & ~one_row)
    if len(hard):
        sub, sub_bound = _restrict(matrix, bound, hard)
        if relax:
            hint = None if seed is None else seed[hard]
            x[hard] = _relax_and_fix(gain[hard], sub, sub_bound, _relabel(component[hard]), hint)
        else:
            x[hard] = _milp_in_batches(gain[hard], sub, sub_bound, _relabel(component[hard]))
    return x


def _components(matrix):
    """Component per variable (-1 when in no row) and the number of rows per component."""
    r, n = matrix.shape
    coo = matrix.tocoo()
    graph = sparse.coo_matrix((np.ones(len(coo.row)), (coo.col, n + coo.row)), shape=(n + r, n + r))
    _, label = connected_components(graph, directed=False)
    in_rows = np.diff(matrix.tocsc().indptr) > 0
    row_label = label[n:]
    used = np.unique(row_label[np.diff(matrix.indptr) > 0]) if r else np.zeros(0, np.int64)
    lookup = np.full(label.max() + 1, -1)
    lookup[used] = np.arange(len(used))
    component = np.where(in_rows, lookup[label[:n]], -1)
    rows_per = np.bincount(lookup[row_label][lookup[row_label] >= 0], minlength=len(used))
    return component, rows_per


def _relabel(component):
    _, dense = np.unique(component, return_inverse=True)
    return dense.ravel()


def _restrict(matrix, bound, cols):
    sub = matrix[:, cols]
    touched = np.flatnonzero(np.diff(sub.indptr) > 0)
    return sub[touched], bound[touched]


def _best_of(x, idx, component, gain, matrix, bound):
    """One-row components ``sum <= b``: take the b largest gains."""
    if len(idx) == 0:
        return
    row_of = matrix.tocsc().indices[matrix.tocsc().indptr[idx]]
    order = np.lexsort((idx, -gain[idx], component[idx]))
    idx, comp, row_of = idx[order], component[idx][order], row_of[order]
    rank = np.arange(len(idx)) - np.searchsorted(comp, comp)
    x[idx[rank < bound[row_of]]] = 1.0


def _relax_and_fix(gain, matrix, bound, component, seed):
    lp = PackingRelaxation(gain, matrix, bound)
    lp.add_columns(np.flatnonzero(_first_columns(gain, matrix, seed)))
    n_comp = component.max() + 1
    x, best = np.zeros(len(gain)), np.full(n_comp, -np.inf)
    for round_ in range(MAX_CUT_ROUNDS):
        lp.solve()
        x, best = _better(x, best, _incumbent(gain, matrix, bound, lp.x), gain, component)
        ceiling, _ = _ceiling(lp, component, n_comp)
        gap = float((ceiling - best).max())
        logger.info("packing: %d of %d columns in the LP, %d cut rows after %d rounds, gap %.1f",
                    lp.active.sum(), len(gain), len(lp.bound) - len(bound), round_, gap)
        if (ceiling + MARGIN < best + 1).all():
            return x
        cuts, cut_bounds = zero_half_cuts(lp.rows, lp.bound, lp.x)
        if len(cut_bounds) == 0:
            break
        lp.add_rows(cuts, cut_bounds)
    settled = _branch_and_bound(lp, gain, matrix, bound, component, x, best, ceiling + MARGIN >= best + 1)
    if settled is not None:
        return settled
    lp.fix({})
    lp.solve()
    ceiling, reduced = _ceiling(lp, component, n_comp)
    return _fix_and_finish(gain, matrix, bound, component, x, best, ceiling, reduced)


def _branch_and_bound(lp, gain, matrix, bound, component, x, best, open_components):
    """Close the gap of the open components by branching on fractional variables; None past MAX_NODES.

    Each node holds some variables at 0 or 1 and re-solves the LP (with
    pricing) from the last basis. Its ceiling is weak duality with those
    holds: y.b, plus d_j for the variables held at 1, plus max(d, 0) for the
    free ones. A node whose ceiling, summed over the open components, falls
    below the incumbent's sum + 1 holds no better assignment. When every node
    is closed, the incumbent is optimal.
    """
    in_open = open_components[component]
    stack: list[dict[int, float]] = [{}]
    for node in range(MAX_NODES):
        if not stack:
            logger.info("packing: branch and bound closed the gap in %d nodes", node)
            return x
        lp.fix(stack.pop())
        lp.solve()
        x, best = _better(x, best, _incumbent(gain, matrix, bound, lp.x), gain, component)
        ceiling, _ = _ceiling(lp, component, len(best))
        if ceiling[open_components].sum() + MARGIN < best[open_components].sum() + 1:
            continue
        fractional = np.flatnonzero(in_open & (np.abs(lp.x - np.rint(lp.x)) > 1e-6))
        if len(fractional) == 0:
            continue  # an integral node is its own incumbent, already taken
        j = int(fractional[np.argmax(gain[fractional] * (0.5 - np.abs(lp.x[fractional] - 0.5)))])
        stack += [{**lp.fixed, j: 0.0}, {**lp.fixed, j: 1.0}]
    logger.info("packing: branch and bound stopped after %d nodes", MAX_NODES)
    return None


def _better(x, best, candidate, gain, component):
    """Per component, the better of two incumbents (components share no row, so any mix is feasible)."""
    value = np.bincount(component, gain * candidate, len(best))
    wins = value > best
    x = np.where(wins[component], candidate, x)
    return x, np.maximum(value, best)


def _ceiling(lp, component, n_comp):
    """Per component, the most any 0/1 solution can gain (weak duality with the LP's duals and the
    variables held at 0 or 1); and the reduced costs."""
    reduced = lp.reduced_costs()
    row_comp = _row_component(lp.rows, component)
    from_rows = np.bincount(row_comp, lp.dual * lp.bound, n_comp)
    ceiling = from_rows + np.bincount(component, lp.ceiling_terms(reduced), n_comp)
    return ceiling, reduced


def _fix_and_finish(gain, matrix, bound, component, x, best, ceiling, reduced):
    """Fix every variable whose flip would cost more than the gap, and solve the rest by MILP."""
    n_comp = len(best)
    open_ = ceiling[component] + MARGIN >= best[component] + 1
    fix_zero = open_ & (reduced < 0) & (ceiling[component] + reduced + MARGIN < best[component])
    fix_one = open_ & (reduced > 0) & (ceiling[component] - reduced + MARGIN < best[component])
    free = np.flatnonzero(open_ & ~fix_zero & ~fix_one)
    logger.info("packing: neither cuts nor branching closed the gap; %d variables left to the MILP", len(free))
    x = x.copy()
    x[open_] = 0.0
    x[fix_one] = 1.0
    left = bound - matrix @ x
    if len(free):
        sub, sub_bound = _restrict(matrix.tocsr(), left, free)
        x[free] = solve_packing(gain[free], sub, sub_bound, relax=False)
    if (np.bincount(component, gain * x, n_comp) < best).any():
        raise AssertionError("fixing by reduced costs lost a better solution")
    return x


def _row_component(matrix, component):
    csr = matrix.tocsr()
    first_var = csr.indices[csr.indptr[:-1]]
    return component[first_var]


def _first_columns(gain, matrix, seed):
    """The columns the LP starts from: all of a small problem, else the seed (or each row's best)."""
    if len(gain) <= WHOLE_LP_COLUMNS:
        return np.ones(len(gain), bool)
    return seed if seed is not None else _seed_columns(gain, matrix.tocsc())


def _seed_columns(gain, csc):
    """Per row, the variables with the largest gains (a few more than the row allows)."""
    coo = csc.tocoo()
    order = np.lexsort((-gain[coo.col], coo.row))
    rows, cols = coo.row[order], coo.col[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
    active = np.zeros(len(gain), bool)
    active[cols[rank < SEED_PER_ROW]] = True
    return active


def _incumbent(gain, matrix, bound, x_lp):
    """A good 0/1 solution near the LP optimum.

    Keeps the LP's integral values except around the fractional variables:
    those and every variable sharing a row with them are re-solved exactly
    (a small MILP), then anything that still fits is added.
    """
    fractional = np.abs(x_lp - np.rint(x_lp)) > 1e-6
    x = np.where(fractional, 0.0, np.rint(x_lp))
    if fractional.any():
        csr = matrix.tocsr()
        rows = np.flatnonzero(csr @ fractional.astype(float) > 0)
        near = np.flatnonzero((csr[rows].T @ np.ones(len(rows)) > 0) | fractional)
        x[near] = 0.0
        sub, sub_bound = _restrict(csr, bound - csr @ x, near)
        x[near] = solve_packing(gain[near], sub, sub_bound, relax=False)
    return _complete(gain, matrix, bound, x)


def _complete(gain, matrix, bound, x):
    """x plus every other variable, largest gain first, that still fits."""
    x = x.copy()
    csc = matrix.tocsc()
    slack = bound - matrix @ x
    blocked = (csc.T @ (slack < 1).astype(float)) > 0
    open_ = np.flatnonzero((x == 0) & ~blocked)
    for j in open_[np.argsort(-gain[open_], kind="stable")].tolist():
        rows = csc.indices[csc.indptr[j]:csc.indptr[j + 1]]
        if (slack[rows] >= 1).all():
            x[j] = 1.0
            slack[rows] -= 1
    return x


def _milp_in_batches(gain, matrix, bound, component):
    """Zero-gap MILP, a few small components at a time (they are independent)."""
    x = np.zeros(len(gain))
    csr = matrix.tocsr()
    sizes = np.bincount(component)
    batch, total = [], 0
    for comp in np.argsort(sizes, kind="stable").tolist():
        batch.append(comp)
        total += sizes[comp]
        if total >= MILP_BATCH:
            _milp_batch(x, gain, csr, bound, component, batch)
            batch, total = [], 0
    if batch:
        _milp_batch(x, gain, csr, bound, component, batch)
    return x


def _milp_batch(x, gain, csr, bound, component, comps):
    cols = np.flatnonzero(np.isin(component, comps))
    sub, sub_bound = _restrict(csr, bound, cols)
    res = milp(
        -gain[cols],
        integrality=np.ones(len(cols)),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(sub, -np.inf, sub_bound),
        options={"mip_rel_gap": 0.0},
    )
    if res.status != 0:
        raise RuntimeError(f"MILP failed: {res.message}")
    x[cols] = np.rint(res.x)
