"""Property tests: on random tiny problems the engine agrees with a brute-force
search written from the spec alone (reference.py)."""
import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling.engine import MentorSpec, Problem, SessionSpec, feasible, solve, solve_greedy

from . import reference
from .factories import km_north, span

# Distances 0, 4 and 9 km; radii never equal to a distance, so float rounding cannot decide a case.
PLACES = [km_north(0), km_north(4), km_north(9)]
CHECK_DATES = [None, datetime.date(2026, 11, 30), datetime.date(2026, 12, 1), datetime.date(2026, 12, 8),
               datetime.date(2027, 1, 1)]
settings.register_profile("engine", max_examples=120, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def subsets(items):
    """Usually all of them (so that pairs are often feasible), sometimes any subset."""
    return st.one_of(st.just(frozenset(items)), st.just(frozenset(items)), st.frozensets(st.sampled_from(items)))


def mostly(usual, *others):
    return st.sampled_from([usual, usual, usual, *others])


@st.composite
def intervals(draw, max_count, days=(0, 7)):
    count = draw(st.integers(0 if max_count == 0 else 1, max(max_count, 1)))
    out = []
    for _ in range(count):
        start = draw(st.integers(8 * 2, 17 * 2)) / 2
        length = draw(st.sampled_from([0.5, 1, 1.5, 2, 4]))
        out.append(span(start, start + length, day=draw(st.sampled_from(days))))
    return tuple(out)


@st.composite
def mentors(draw, i):
    return MentorSpec(
        id=f"m-{i}",
        skills=draw(subsets(["a", "b", "c"])),
        grade_bands=draw(subsets(["6-8", "9-12"])),
        formats=draw(subsets(["in_person", "virtual"])),
        languages=draw(subsets(["en", "es"])),
        location=draw(mostly(PLACES[0], *PLACES[1:], None)),
        travel_km=draw(mostly(10.0, 0.0, 3.5, 5.0)),
        background_check_expires=draw(mostly(CHECK_DATES[-1], *CHECK_DATES[:-1])),
        capacity=draw(st.integers(0, 3)),
        availability=draw(intervals(3)) if draw(st.integers(0, 3)) == 0 else (span(8, 22), span(8, 22, day=7)),
        busy=draw(intervals(1)) if draw(st.integers(0, 3)) == 0 else (),
        load=draw(st.integers(0, 4)),
    )


@st.composite
def sessions(draw, j):
    fmt = draw(st.sampled_from(["in_person", "virtual"]))
    return SessionSpec(
        id=f"s-{j}",
        intervals=draw(intervals(2, days=(0, 0, 7))),
        format=fmt,
        grade_band=draw(st.sampled_from(["6-8", "9-12"])),
        skills=draw(st.frozensets(st.sampled_from(["a", "b", "c"]), max_size=2)),
        language=draw(mostly(None, "en", "es")),
        location=draw(st.sampled_from(PLACES)) if fmt == "in_person" else None,
        mentors_needed=draw(st.integers(0, 3)),
        requires_background_check=draw(st.booleans()),
    )


@st.composite
def problems(draw, max_mentors=4, max_sessions=4):
    ms = tuple(draw(mentors(i)) for i in range(draw(st.integers(1, max_mentors))))
    ss = tuple(draw(sessions(j)) for j in range(draw(st.integers(1, max_sessions))))
    pairs = [(m.id, s.id) for m in ms for s in ss]
    excluded = draw(st.frozensets(st.sampled_from(pairs), max_size=2)) if pairs else frozenset()
    continuity = draw(st.frozensets(st.sampled_from(pairs), max_size=3)) if pairs else frozenset()
    return Problem(ms, ss, excluded, continuity)


def seats_of(result):
    return [(a.mentor, a.session) for a in result.assignments]


@settings(settings.get_profile("engine"))
@given(problems())
def test_it_never_breaks_a_hard_constraint(problem):
    assert reference.violations(problem, seats_of(solve(problem))) == []


@settings(settings.get_profile("engine"))
@given(problems())
def test_it_fills_the_most_seats_then_the_most_score(problem):
    assert reference.result_totals(solve(problem)) == reference.brute_force(problem)


@settings(settings.get_profile("engine"))
@given(problems())
def test_its_candidates_are_exactly_the_feasible_pairs(problem):
    result = solve(problem, with_candidates=True)
    expected = {(problem.mentors[i].id, problem.sessions[j].id) for i, j in reference.feasible_pairs(problem)}
    assert {(c.mentor, c.session) for c in result.candidates} == expected
    assert result.stats["candidates"] == len(expected)
    for m in problem.mentors:
        for s in problem.sessions:
            assert feasible(m, s) == reference.pair_ok(m, s)


@settings(settings.get_profile("engine"))
@given(problems())
def test_its_report_adds_up(problem):
    result = solve(problem)
    for a in result.assignments:
        assert abs(a.score - sum(a.reasons.values())) < 1e-9
    assert abs(result.stats["score"] - sum(a.score for a in result.assignments)) < 1e-6
    filled = {s.id: 0 for s in problem.sessions}
    for a in result.assignments:
        filled[a.session] += 1
    short = {s.id: s.mentors_needed - filled[s.id] for s in problem.sessions if filled[s.id] < s.mentors_needed}
    assert {u.session: u.missing for u in result.unfilled} == short
    assert all(u.why for u in result.unfilled)
    assert result.stats["seats_filled"] == len(result.assignments)
    assert result.stats["seats_wanted"] == sum(s.mentors_needed for s in problem.sessions)


@settings(settings.get_profile("engine"))
@given(problems())
def test_the_greedy_baseline_is_feasible_and_never_beats_the_engine(problem):
    greedy = solve_greedy(problem)
    assert reference.violations(problem, seats_of(greedy)) == []
    assert len(greedy.assignments) <= len(solve(problem).assignments)


@settings(settings.get_profile("engine"), max_examples=60)
@given(problems(max_mentors=7, max_sessions=7))
def test_on_bigger_random_problems_it_matches_an_exact_milp(problem):
    result = solve(problem)
    assert reference.violations(problem, seats_of(result)) == []
    assert reference.result_totals(result) == reference.milp_optimum(problem)
