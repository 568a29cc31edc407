"""Unfilled sessions say why in words a coordinator can act on; scores are
named parts that add up and follow the weights."""
import datetime

import pytest

from scheduling.engine import Weights, score_pair, solve

from .factories import km_north, mentor, problem, session, span


def why(p, session_id="s-1"):
    return {u.session: u.why for u in solve(p).unfilled}[session_id]


def test_it_names_the_grade_band_no_mentor_in_range_teaches():
    p = problem([mentor(grade_bands=frozenset({"9-12"}))], [session(grade_band="K-2")])
    assert why(p) == "no mentor within travel range teaches grades K-2"


def test_it_names_the_missing_language():
    p = problem([mentor()], [session(format="virtual", location=None, language="es")])
    assert why(p) == "no mentor speaks es"


def test_it_names_the_date_a_check_must_cover():
    p = problem([mentor(background_check_expires=datetime.date(2026, 11, 1))], [session()])
    assert why(p) == "no mentor within travel range has a background check valid through 2026-12-01"


def test_it_says_when_nobody_is_within_travel_range():
    p = problem([mentor(travel_km=2)], [session(location=km_north(30))])
    assert why(p) == "no mentor is within travel range of the session"


def test_it_says_when_too_few_mentors_fit():
    p = problem([mentor("m-1"), mentor("m-2", languages=frozenset({"fr"}))], [session(mentors_needed=2)])
    result = solve(p)
    expected = [(1, "only 1 mentor within travel range speaks en (2 needed)")]
    assert [(u.missing, u.why) for u in result.unfilled] == expected


def test_it_says_when_fitting_mentors_are_needed_elsewhere():
    p = problem([mentor("m-1")], [session("s-1"), session("s-2", skills=frozenset())])
    result = solve(p)
    assert [u.session for u in result.unfilled] == ["s-2"]
    assert result.unfilled[0].why == "1 feasible mentor, needed elsewhere or at an overlapping time (1 at capacity)"


def test_it_says_when_fitting_mentors_are_booked_at_the_same_time():
    m = mentor(capacity=2)
    p = problem([m], [session("s-1"), session("s-2", intervals=(span(13.5, 14.5),), skills=frozenset())])
    expected = "1 feasible mentor, needed elsewhere or at an overlapping time (1 booked at an overlapping time)"
    assert why(p, "s-2") == expected


def test_it_says_when_a_mentor_has_no_capacity_left():
    assert why(problem([mentor(capacity=0)], [session()])) == "no mentor has capacity left in this run"


def test_it_says_when_the_session_has_no_location():
    assert why(problem([mentor()], [session(location=None)])) == "the in-person session has no location"


def test_the_reasons_add_up_to_the_score():
    m, s = mentor(load=1), session(skills=frozenset({"robotics", "biology"}))
    score, reasons = score_pair(m, s, Weights(), continuity=True)
    assert score == pytest.approx(sum(reasons.values()), abs=1e-12)
    assert reasons == {"skills": 0.2, "distance": 0.16, "fairness": 0.1, "language": 0.05, "continuity": 0.15}


def test_an_assignment_carries_the_same_score_as_score_pair():
    p = problem([mentor()], [session()], continuity=frozenset({("m-1", "s-1")}))
    (a,) = solve(p).assignments
    assert (a.score, a.reasons) == score_pair(mentor(), session(), None, True)


def test_weights_change_which_mentor_wins():
    near = mentor("m-near", location=km_north(4.5), load=5)
    quiet = mentor("m-quiet", location=km_north(-10), load=0)
    p = problem([near, quiet], [session()])
    assert solve(p, Weights(distance=1.0, fairness=0.0)).assignments[0].mentor == "m-near"
    assert solve(p, Weights(distance=0.0, fairness=1.0)).assignments[0].mentor == "m-quiet"


def test_continuity_breaks_a_tie_towards_the_known_mentor():
    p = problem([mentor("m-1"), mentor("m-2")], [session()], continuity=frozenset({("m-2", "s-1")}))
    assert solve(p).assignments[0].mentor == "m-2"


def test_seats_come_before_score():
    # m-1 scores best on s-1 but is the only mentor for s-2: both sessions must still be filled.
    star = mentor("m-1", skills=frozenset({"robotics", "biology"}), availability=(span(8, 18),))
    plain = mentor("m-2", skills=frozenset({"robotics"}), load=9, availability=(span(12, 14),))
    s1 = session("s-1", skills=frozenset({"robotics", "biology"}))
    s2 = session("s-2", intervals=(span(15, 16),), skills=frozenset({"biology"}))
    result = solve(problem([star, plain], [s1, s2]))
    assert sorted((a.session, a.mentor) for a in result.assignments) == [("s-1", "m-2"), ("s-2", "m-1")]


def test_negative_weights_are_refused():
    with pytest.raises(ValueError, match="distance"):
        Weights(distance=-1)


def test_weights_above_the_limit_or_not_numbers_are_refused():
    for bad in (10.5, float("nan"), True, "0.4"):
        with pytest.raises(ValueError, match="skills"):
            Weights(skills=bad)


def test_a_problem_carries_its_own_weights_and_an_explicit_argument_overrides_them():
    near = mentor("m-near", location=km_north(4.5), load=5)
    quiet = mentor("m-quiet", location=km_north(-10), load=0)
    p = problem([near, quiet], [session()], weights=Weights(distance=1.0, fairness=0.0))
    assert solve(p).assignments[0].mentor == "m-near"
    assert solve(p, Weights(distance=0.0, fairness=1.0)).assignments[0].mentor == "m-quiet"
