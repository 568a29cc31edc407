"""Odd-cycle cuts: valid inequalities that cut off half-integral LP points.

When a mentor may take either one long session or two short ones, and the
other people around those sessions are tied up in a ring, the LP can take
half of everything around the ring and score a little more than any real
assignment. Such a ring is an odd cycle of tight rows, each holding two
fractional variables. Adding those rows (and ``x_j <= 1`` for variables
counted an odd number of times with a value above one half), halving and
rounding down gives a Chvatal-Gomory {0, 1/2}-cut: every 0/1 point that meets
the rows meets it, and the LP point does not.
"""
from __future__ import annotations

from collections import deque

import numpy as np
from scipy import sparse

TOLERANCE = 1e-6
MIN_VIOLATION = 0.1
CYCLES_PER_GROUP = 3


def odd_cycle_cuts(rows: sparse.csr_matrix, bound: np.ndarray, x: np.ndarray):
    """(cuts, bounds): violated cuts ``cuts @ x <= bounds`` found from odd cycles of tight rows."""
    fractional = np.flatnonzero(np.abs(x - np.rint(x)) > TOLERANCE)
    if len(fractional) < 3:
        return sparse.csr_matrix((0, rows.shape[1])), np.zeros(0)
    found = [_cut(rows, bound, x, cycle) for cycle in _odd_cycles(_ring_edges(rows, bound, x, fractional))]
    found = list({tuple(cut[0].tolist()): cut for cut in found if cut is not None}.values())
    if not found:
        return sparse.csr_matrix((0, rows.shape[1])), np.zeros(0)
    row = np.concatenate([np.full(len(cols), i) for i, (cols, _, _) in enumerate(found)])
    col = np.concatenate([cols for cols, _, _ in found])
    coef = np.concatenate([coef for _, coef, _ in found])
    cuts = sparse.csr_matrix((coef, (row, col)), shape=(len(found), rows.shape[1]))
    return cuts, np.array([rhs for _, _, rhs in found], float)


def _ring_edges(rows, bound, x, fractional):
    """Edges (u, v, row) between fractional variables that are the only two fractional ones in a tight row."""
    tight = rows @ x >= bound - TOLERANCE
    among = rows[:, fractional].tocsr()
    two = np.flatnonzero(tight & (np.diff(among.indptr) == 2))
    ends = fractional[among.indices[among.indptr[two][:, None] + np.arange(2)]]
    return [(int(u), int(v), int(r)) for (u, v), r in zip(ends.tolist(), two.tolist(), strict=True)]


def _odd_cycles(edges):
    """Rows of odd cycles in the graph, found by two-colouring each connected part breadth first."""
    adjacent: dict[int, list[tuple[int, int]]] = {}
    for u, v, r in edges:
        adjacent.setdefault(u, []).append((v, r))
        adjacent.setdefault(v, []).append((u, r))
    colour: dict[int, int] = {}
    parent: dict[int, tuple[int | None, int | None]] = {}
    cycles = []
    for root in adjacent:
        if root in colour:
            continue
        colour[root], parent[root] = 0, (None, None)
        queue, found = deque([root]), 0
        while queue:
            u = queue.popleft()
            for v, r in adjacent[u]:
                if v not in colour:
                    colour[v], parent[v] = 1 - colour[u], (u, r)
                    queue.append(v)
                elif colour[v] == colour[u] and found < CYCLES_PER_GROUP:
                    cycles.append(_cycle_rows(parent, u, v, r))
                    found += 1
    return cycles


def _cycle_rows(parent, u, v, closing_row):
    """The rows on the tree paths from u and v up to where they meet, and the row closing the cycle."""
    up = {}
    node, depth = u, 0
    while node is not None:
        up[node], depth, node = depth, depth + 1, parent[node][0]
    meet = v
    while meet not in up:
        meet = parent[meet][0]
    cycle = [closing_row]
    for node in (u, v):
        while node != meet:
            node, row = parent[node]
            cycle.append(row)
    return cycle


def _cut(rows, bound, x, cycle):
    """The {0, 1/2}-cut of the cycle's rows as (columns, coefficients, bound), or None if x meets it."""
    picked = rows[cycle].tocoo()
    count = np.bincount(picked.col, weights=picked.data, minlength=rows.shape[1]).astype(np.int64)
    total = int(bound[cycle].sum())
    # x_j <= 1 joins in for the odd-counted variables above one half: it raises the violation by x_j - 1/2.
    lifted = np.flatnonzero((count % 2 == 1) & (x > 0.5))
    count[lifted] += 1
    total += len(lifted)
    cols = np.flatnonzero(count >= 2)
    coef = (count[cols] // 2).astype(float)
    rhs = total // 2
    if coef @ x[cols] <= rhs + MIN_VIOLATION:
        return None
    return cols, coef, rhs
