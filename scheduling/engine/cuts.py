"""{0, 1/2}-cuts: valid inequalities that cut off half-integral LP points.

When a mentor may take either one long session or two short ones, and the
other people around those sessions are tied up in a ring, the LP can take
half of everything around the ring and score a little more than any real
assignment. Adding a set of rows (and ``x_j <= 1`` for variables counted an
odd number of times with a value above one half), halving and rounding down
gives a Chvatal-Gomory {0, 1/2}-cut: every 0/1 point that meets the rows
meets it. Which sets of tight rows give a cut the LP point breaks is a
parity question, answered exactly by elimination over GF(2); an odd ring of
rows holding two fractional variables each is the simplest answer.
"""
from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

TOLERANCE = 1e-6
MIN_VIOLATION = 0.1
CUTS_PER_GROUP = 4
MAX_GROUP_SIZE = 2000


def zero_half_cuts(rows: sparse.csr_matrix, bound: np.ndarray, x: np.ndarray):
    """(cuts, bounds): violated {0, 1/2}-cuts ``cuts @ x <= bounds``, found from the tight rows around x's fractions.

    For a half-integral x, a set R of tight rows gives a violated cut exactly
    when every fractional variable lies in an even number of R's rows and
    the rows' bounds plus their variables at 1 add up to an odd number: a
    parity system, solved over GF(2) for each group of fractional variables
    linked by rows.
    """
    fractional = np.flatnonzero(np.abs(x - np.rint(x)) > TOLERANCE)
    found = []
    if len(fractional) >= 2:
        tight = np.flatnonzero((rows @ x >= bound - TOLERANCE) & (rows[:, fractional] @ np.ones(len(fractional)) > 0))
        parity = _parities(rows, bound, x, fractional, tight)
        for group_rows, system, target in parity:
            for chosen in _odd_solutions(system, target):
                found.append(_cut(rows, bound, x, tight[group_rows[chosen]]))
    found = list({tuple(cut[0].tolist()): cut for cut in found if cut is not None}.values())
    if not found:
        return sparse.csr_matrix((0, rows.shape[1])), np.zeros(0)
    row = np.concatenate([np.full(len(cols), i) for i, (cols, _, _) in enumerate(found)])
    col = np.concatenate([cols for cols, _, _ in found])
    coef = np.concatenate([coef for _, coef, _ in found])
    cuts = sparse.csr_matrix((coef, (row, col)), shape=(len(found), rows.shape[1]))
    return cuts, np.array([rhs for _, _, rhs in found], float)


def _parities(rows, bound, x, fractional, tight):
    """Per group of linked fractional variables: (its tight rows, parity matrix variables x rows, target per row)."""
    among = rows[tight][:, fractional].tocoo()
    odd_entries = np.rint(among.data).astype(np.int64) % 2 == 1
    link = sparse.csr_matrix((np.ones(odd_entries.sum(), np.int8), (among.row[odd_entries], among.col[odd_entries])),
                             shape=(len(tight), len(fractional)))
    at_one = (x > 1 - TOLERANCE).astype(float)
    target = (np.rint(bound[tight] + rows[tight] @ at_one).astype(np.int64) % 2) == 1
    n_rows = len(tight)
    _, label = connected_components(sparse.bmat([[None, link], [link.T, None]]).tocsr(), directed=False)
    groups = []
    for g in np.unique(label[:n_rows]):
        group_rows = np.flatnonzero(label[:n_rows] == g)
        group_vars = np.flatnonzero(label[n_rows:] == g)
        # The system is solved densely: a group too large to be a local ring is left to branching.
        if len(group_rows) <= MAX_GROUP_SIZE and len(group_vars) <= MAX_GROUP_SIZE:
            system = link[group_rows][:, group_vars].toarray().T.astype(bool)
            groups.append((group_rows, system, target[group_rows]))
    return groups


def _odd_solutions(system, target):
    """Up to CUTS_PER_GROUP row sets r (as bool masks) with system @ r = 0 and target . r = 1, over GF(2)."""
    m = system.copy()
    n_rows, n_cols = m.shape
    pivots, r = [], 0
    for c in range(n_cols):
        hit = np.flatnonzero(m[r:, c]) + r if r < n_rows else np.zeros(0, np.int64)
        if len(hit) == 0:
            continue
        m[[r, hit[0]]] = m[[hit[0], r]]
        others = np.flatnonzero(m[:, c])
        others = others[others != r]
        m[others] ^= m[r]
        pivots.append(c)
        r += 1
        if r == n_rows:
            break
    free = [c for c in range(n_cols) if c not in set(pivots)]
    solutions = []
    for f in free:
        v = np.zeros(n_cols, bool)
        v[f] = True
        for i, c in enumerate(pivots):
            v[c] = m[i, f]
        if (v & target).sum() % 2 == 1:
            solutions.append(v)
        if len(solutions) == CUTS_PER_GROUP:
            break
    return solutions


def _cut(rows, bound, x, chosen):
    """The {0, 1/2}-cut of the chosen rows as (columns, coefficients, bound), or None if x meets it."""
    picked = rows[chosen].tocoo()
    count = np.rint(np.bincount(picked.col, weights=picked.data, minlength=rows.shape[1])).astype(np.int64)
    total = int(round(bound[chosen].sum()))
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
