"""The engine reaches the true optimum (most seats, then most score), checked
against an independent two-phase HiGHS MILP on seeded realistic problems and
against plain MILP on the packing core, including LPs that are fractional."""
import json

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from scheduling.engine import parse_problem, solve, solve_greedy
from scheduling.engine.packing import solve_packing
from scheduling.engine.synthetic import random_problem

from . import reference
from .factories import mentor, problem, session, span


def seats_of(result):
    return [(a.mentor, a.session) for a in result.assignments]


@pytest.mark.parametrize(
    ("mentors", "sessions", "weeks", "seed"),
    [(60, 30, 1, 1), (120, 80, 2, 2), (300, 60, 4, 3), (400, 300, 1, 4), (1500, 300, 4, 5)],
    ids=["tiny", "small", "small-month", "crowded-week", "bostem-month"],
)
def test_it_matches_the_exact_milp_on_seeded_realistic_problems(mentors, sessions, weeks, seed):
    p = parse_problem(json.loads(json.dumps(random_problem(mentors, sessions, seed=seed, weeks=weeks))))
    result = solve(p)
    assert reference.violations(p, seats_of(result)) == []
    assert reference.result_totals(result) == reference.milp_optimum(p)
    greedy = solve_greedy(p)
    assert reference.violations(p, seats_of(greedy)) == []
    assert reference.result_totals(greedy) <= reference.result_totals(result)


def test_it_solves_overlaps_that_make_the_lp_fractional(monkeypatch):
    import scheduling.engine.packing as packing

    exact_calls = []
    real = packing._milp_in_batches
    monkeypatch.setattr(packing, "_milp_in_batches", lambda *args: exact_calls.append(1) or real(*args))
    # Three weekly series overlap pairwise, each pair in a different week, never all three at once:
    # the LP relaxation takes half of each; only two can go to the mentor.
    windows = tuple(span(8, 18, day=d) for d in (0, 7, 14))
    a = session("s-a", intervals=(span(9, 10), span(9, 10, day=7), span(15, 16, day=14)))
    b = session("s-b", intervals=(span(9.5, 10.5), span(12, 13, day=7), span(9, 10, day=14)))
    c = session("s-c", intervals=(span(12, 13), span(9.5, 10.5, day=7), span(9.5, 10.5, day=14)))
    p = problem([mentor(capacity=3, availability=windows, background_check_expires=None)],
                [s.__class__(**{**s.__dict__, "requires_background_check": False}) for s in (a, b, c)])
    result = solve(p)
    assert reference.violations(p, seats_of(result)) == []
    assert len(result.assignments) == 1
    assert reference.result_totals(result) == reference.brute_force(p)
    assert exact_calls, "the LP was expected to be fractional here"


def random_packing(rng, n, rows, fractional_bias):
    """A random 0/1 packing instance: rows of 2-4 variables with small bounds."""
    r, c, bound = [], [], []
    for k in range(rows):
        members = rng.choice(n, size=int(rng.integers(2, 5)), replace=False)
        r += [k] * len(members)
        c += members.tolist()
        bound.append(1 if rng.random() < fractional_bias else int(rng.integers(1, 3)))
    matrix = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(rows, n))
    gain = rng.integers(1, 50, n).astype(float)
    return gain, matrix, np.array(bound, float)


@pytest.mark.parametrize("seed", range(12))
def test_the_packing_core_matches_milp_even_where_the_lp_is_fractional(seed):
    rng = np.random.default_rng(seed)
    gain, matrix, bound = random_packing(rng, n=60, rows=70, fractional_bias=0.8)
    x = solve_packing(gain, matrix, bound)
    assert set(np.unique(x)) <= {0.0, 1.0}
    assert (matrix @ x <= bound).all()
    best = milp(-gain, integrality=np.ones(len(gain)), bounds=Bounds(0, 1),
                constraints=LinearConstraint(matrix, -np.inf, bound), options={"mip_rel_gap": 0.0})
    assert gain @ x == pytest.approx(-best.fun, abs=1e-6)


def test_the_packing_core_uses_column_generation_on_large_instances(monkeypatch):
    import scheduling.engine.packing as packing

    monkeypatch.setattr(packing, "WHOLE_LP_COLUMNS", 10)
    rng = np.random.default_rng(99)
    gain, matrix, bound = random_packing(rng, n=300, rows=250, fractional_bias=0.7)
    seed = np.zeros(len(gain), bool)
    seed[:20] = True
    x = solve_packing(gain, matrix, bound, seed=seed)
    best = milp(-gain, integrality=np.ones(len(gain)), bounds=Bounds(0, 1),
                constraints=LinearConstraint(matrix, -np.inf, bound), options={"mip_rel_gap": 0.0})
    assert (matrix @ x <= bound).all()
    assert gain @ x == pytest.approx(-best.fun, abs=1e-6)
