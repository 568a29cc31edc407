"""The rows and cuts behind the exact optimum: clique rows forbid exactly the
overlapping pairs, odd-cycle cuts are valid for every 0/1 point and cut off
the half-integral LP points, and they close gaps without the MILP fallback."""
import itertools
import json

import numpy as np
import pytest
from scipy import sparse

from scheduling.engine import parse_problem
from scheduling.engine.arrays import to_arrays
from scheduling.engine.candidates import candidate_pairs
from scheduling.engine.cuts import zero_half_cuts
from scheduling.engine.optimize import _clique_rows
from scheduling.engine.packing import solve_packing
from scheduling.engine.synthetic import random_problem

from . import reference


def packing(rows, n):
    r = [k for k, members in enumerate(rows) for _ in members]
    c = [j for members in rows for j in members]
    return sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(rows), n))


def five_cycle():
    """x0..x4 in a ring of rows x_i + x_(i+1) <= 1: the LP takes 1/2 of each, 2.5 in all; 0/1 points reach 2."""
    return packing([(i, (i + 1) % 5) for i in range(5)], 5), np.ones(5)


def test_an_odd_ring_gets_the_odd_cycle_cut():
    matrix, bound = five_cycle()
    cuts, rhs = zero_half_cuts(matrix, bound, np.full(5, 0.5))
    assert cuts.toarray().tolist() == [[1, 1, 1, 1, 1]] and rhs.tolist() == [2]


def test_an_integral_or_even_ring_gets_no_cut():
    matrix, bound = five_cycle()
    assert len(zero_half_cuts(matrix, bound, np.array([1, 0, 1, 0, 0.0]))[1]) == 0
    even = packing([(i, (i + 1) % 4) for i in range(4)], 4)
    assert len(zero_half_cuts(even, np.ones(4), np.full(4, 0.5))[1]) == 0


def test_a_ring_through_rows_with_larger_bounds_is_cut_with_the_variables_that_fill_them():
    # x5 fills one of the two seats of row 0; the other rows hold the ring x0..x4 alone.
    matrix = packing([(0, 1, 5), (1, 2), (2, 3), (3, 4), (4, 0)], 6)
    bound = np.array([2, 1, 1, 1, 1.0])
    x = np.array([0.5] * 5 + [1.0])
    cuts, rhs = zero_half_cuts(matrix, bound, x)
    assert cuts.shape[0] == 1
    assert cuts.toarray()[0] @ x > rhs[0]


def test_a_ring_through_a_row_holding_four_halves_is_cut_too():
    # Row 2 (a mentor with two seats) holds four halves, so no ring of two-halves rows exists;
    # the parity system still finds rows 0-5, whose sum halves to x0 + ... + x6 <= 3.
    matrix = packing([(0, 1), (1, 2), (2, 3, 5, 6), (3, 4), (4, 0), (5, 6)], 7)
    bound = np.array([1, 1, 2, 1, 1, 1.0])
    x = np.full(7, 0.5)
    cuts, rhs = zero_half_cuts(matrix, bound, x)
    assert cuts.toarray().tolist() == [[1] * 7] and rhs.tolist() == [3]


@pytest.mark.parametrize("seed", range(8))
def test_every_cut_holds_at_every_feasible_0_1_point(seed):
    rng = np.random.default_rng(seed)
    n = 10
    rows = [tuple(rng.choice(n, size=int(rng.integers(2, 4)), replace=False)) for _ in range(14)]
    matrix = packing(rows, n)
    bound = rng.integers(1, 3, len(rows)).astype(float)
    x = np.where(rng.random(n) < 0.6, 0.5, rng.integers(0, 2, n)).astype(float)
    cuts, rhs = zero_half_cuts(matrix, bound, x)
    points = np.array(list(itertools.product((0, 1), repeat=n)), float)
    feasible = points[(points @ matrix.T.toarray() <= bound).all(axis=1)]
    assert (feasible @ cuts.T.toarray() <= rhs + 1e-9).all()


def test_the_cuts_close_an_odd_ring_without_the_milp_fallback(monkeypatch):
    import scheduling.engine.packing as core

    def fallback(*args):
        raise AssertionError("the gap should have been closed by cuts")

    monkeypatch.setattr(core, "_fix_and_finish", fallback)
    # Two odd rings joined by a row, so the component has more than one row.
    matrix = packing([(i, (i + 1) % 5) for i in range(5)] + [(5 + i, 5 + (i + 1) % 5) for i in range(5)] + [(0, 5)], 10)
    gain = np.array([10, 11, 12, 13, 14, 20, 21, 22, 23, 24], float)
    x = solve_packing(gain, matrix, np.ones(11))
    assert (matrix @ x <= 1).all()
    best = max(gain @ np.array(p) for p in itertools.product((0, 1), repeat=10) if (matrix @ np.array(p) <= 1).all())
    assert gain @ x == best


def brute_force_overlaps(a, m, s):
    """Pairs of candidate pairs (same mentor of capacity >= 2) whose sessions overlap, by definition."""
    def intervals(session):
        lo, hi = a.interval_ptr[session], a.interval_ptr[session + 1]
        return list(zip(a.iv_start[lo:hi].tolist(), a.iv_end[lo:hi].tolist(), strict=True))

    clash = set()
    for mentor in np.unique(m[a.capacity[m] >= 2]).tolist():
        pairs = np.flatnonzero(m == mentor).tolist()
        for p, q in itertools.combinations(pairs, 2):
            if any(x0 < y1 and y0 < x1 for x0, x1 in intervals(s[p]) for y0, y1 in intervals(s[q])):
                clash.add((p, q))
    return clash


@pytest.mark.parametrize("seed", range(4))
def test_clique_rows_forbid_exactly_the_overlapping_pairs(seed):
    data = random_problem(80, 60, seed=seed, weeks=2, radius_km=8)
    for m_json in data["mentors"]:
        m_json["capacity"] = 3  # every mentor has clique rows
    a = to_arrays(parse_problem(json.loads(json.dumps(data))))
    m, s = candidate_pairs(a)
    row, var, bound = _clique_rows(a, m, s)
    assert (bound == 1).all()
    together = set()
    for r in range(len(bound)):
        members = sorted(var[row == r].tolist())
        assert len(members) == len(set(members)) >= 2
        together.update(itertools.combinations(members, 2))
    expected = brute_force_overlaps(a, m, s)
    assert expected, "the problem was expected to have overlapping candidates"
    assert together == expected


@pytest.mark.parametrize("centre", [(42.36, -71.06), (64.84, -147.72), (-33.87, 151.21), (0.0, 179.9)],
                         ids=["boston", "fairbanks", "sydney", "antimeridian"])
def test_the_spatial_grid_never_misses_a_pair_within_travel_range(centre, monkeypatch):
    import scheduling.engine.synthetic as synthetic

    monkeypatch.setattr(synthetic, "CENTRE", centre)
    data = random_problem(150, 60, seed=7, radius_km=60)
    for i, m_json in enumerate(data["mentors"]):
        m_json["formats"], m_json["travel_km"] = ["in_person"], [2, 5, 12, 40, 90][i % 5]
    for s_json in data["sessions"]:
        s_json["format"], s_json["location"] = "in_person", s_json["location"] or list(centre)
    for item in data["mentors"] + data["sessions"]:
        if item["location"]:
            item["location"][1] = (item["location"][1] + 180) % 360 - 180  # wrap across the antimeridian
    p = parse_problem(json.loads(json.dumps(data)))
    a = to_arrays(p)
    m, s = candidate_pairs(a)
    expected = reference.feasible_pairs(p)
    assert expected, "the problem was expected to have in-person pairs"
    assert sorted(zip(m.tolist(), s.tolist(), strict=True)) == sorted(expected)


def test_branching_closes_a_gap_no_half_cut_can(monkeypatch):
    import scheduling.engine.packing as core

    def fallback(*args):
        raise AssertionError("the gap should have been closed by branching")

    monkeypatch.setattr(core, "_fix_and_finish", fallback)
    # The Fano plane: 7 points, 7 lines of 3, every two points on a line. The LP takes a third of each
    # point (7/3 of a seat); no two points fit together, and halving any set of lines cuts nothing.
    lines = [(0, 1, 2), (0, 3, 4), (0, 5, 6), (1, 3, 5), (1, 4, 6), (2, 3, 6), (2, 4, 5)]
    matrix = packing(lines, 7)
    gain = np.array([100, 101, 102, 103, 104, 105, 106], float)
    assert len(zero_half_cuts(matrix, np.ones(7), np.full(7, 1 / 3))[1]) == 0
    x = solve_packing(gain, matrix, np.ones(7))
    assert x.tolist() == [0, 0, 0, 0, 0, 0, 1]
