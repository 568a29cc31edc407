"""Each hard constraint of the spec, alone: the pair or seat it forbids is never
assigned, and the same problem with that one obstacle removed is assigned (so
each test fails if the engine dropped the constraint)."""
import datetime

import pytest

from scheduling.engine import feasible, solve

from .factories import at, km_north, mentor, problem, session, span


def seats(p):
    return sorted((a.mentor, a.session) for a in solve(p).assignments)


def test_the_baseline_pair_is_assigned():
    assert seats(problem([mentor()], [session()])) == [("m-1", "s-1")]


@pytest.mark.parametrize(
    ("blocked", "allowed"),
    [
        # 1. format
        (dict(formats=frozenset({"virtual"})), dict(formats=frozenset({"in_person"}))),
        # 2. grade band
        (dict(grade_bands=frozenset({"K-2", "9-12"})), dict(grade_bands=frozenset({"6-8"}))),
        # 3. language
        (dict(languages=frozenset({"es"})), dict(languages=frozenset({"es", "en"}))),
        # 4. skills
        (dict(skills=frozenset({"biology"})), dict(skills=frozenset({"biology", "robotics"}))),
        # 5. background check (session ends 2026-12-01)
        (dict(background_check_expires=datetime.date(2026, 11, 30)),
         dict(background_check_expires=datetime.date(2026, 12, 1))),
        (dict(background_check_expires=None), dict(background_check_expires=datetime.date(2030, 1, 1))),
        # 6. distance (session 5 km away)
        (dict(travel_km=4.9), dict(travel_km=5.1)),
        (dict(location=None), dict(location=km_north(0))),
        # 7. availability: inside one window, not two windows that merely touch
        (dict(availability=(span(12, 13.5), span(13.5, 15))), dict(availability=(span(12, 15),))),
        (dict(availability=()), dict(availability=(span(13, 14),))),
        # 8. busy
        (dict(busy=(span(13.9, 15),)), dict(busy=(span(14, 15),))),
    ],
    ids=["format", "grade", "language", "skills", "check-expired", "check-missing", "distance",
         "no-location", "availability-split", "no-availability", "busy"],
)
def test_each_pair_constraint_blocks_the_pair_and_only_it(blocked, allowed):
    assert seats(problem([mentor(**blocked)], [session()])) == []
    assert seats(problem([mentor(**allowed)], [session()])) == [("m-1", "s-1")]
    assert not feasible(mentor(**blocked), session())
    assert feasible(mentor(**allowed), session())


def test_a_session_without_language_or_skills_accepts_any_mentor():
    m = mentor(languages=frozenset({"pt"}), skills=frozenset())
    assert seats(problem([m], [session(language=None, skills=frozenset())])) == [("m-1", "s-1")]


def test_virtual_sessions_ignore_distance_and_location():
    m = mentor(location=None, travel_km=0)
    assert seats(problem([m], [session(format="virtual", location=None)])) == [("m-1", "s-1")]


def test_an_in_person_session_without_location_is_never_filled():
    assert seats(problem([mentor()], [session(location=None)])) == []


def test_the_check_must_cover_the_last_interval_of_a_series():
    weekly = session(intervals=(span(13, 14), span(13, 14, day=7)))
    m = mentor(availability=(span(8, 18), span(8, 18, day=7)), background_check_expires=datetime.date(2026, 12, 7))
    assert seats(problem([m], [weekly])) == []
    later = mentor(availability=m.availability, background_check_expires=datetime.date(2026, 12, 8))
    assert seats(problem([later], [weekly])) == [("m-1", "s-1")]


def test_the_check_date_is_the_utc_date_of_the_end():
    tz = datetime.timezone(datetime.timedelta(hours=-5))
    # Ends 20:00 on Dec 1 in UTC-5, which is 01:00 on Dec 2 in UTC.
    late = session(intervals=((at(23).astimezone(tz), at(25).astimezone(tz)),))
    m = mentor(availability=(span(0, 30),), background_check_expires=datetime.date(2026, 12, 1))
    assert seats(problem([m], [late])) == []


def test_every_interval_of_a_series_must_be_inside_a_window():
    weekly = session(intervals=(span(13, 14), span(13, 14, day=7)))
    assert seats(problem([mentor(availability=(span(8, 18),))], [weekly])) == []
    both = mentor(availability=(span(8, 18), span(12, 15, day=7)))
    assert seats(problem([both], [weekly])) == [("m-1", "s-1")]


def test_a_busy_interval_in_any_week_of_a_series_blocks_it():
    weekly = session(intervals=(span(13, 14), span(13, 14, day=7)))
    m = mentor(availability=(span(8, 18), span(8, 18, day=7)), busy=(span(13.5, 13.75, day=7),))
    assert seats(problem([m], [weekly])) == []


def test_it_never_exceeds_a_mentors_capacity():  # 9
    p = problem([mentor(capacity=1)], [session("s-1"), session("s-2", intervals=(span(15, 16),))])
    assert len(seats(p)) == 1
    p = problem([mentor(capacity=2)], [session("s-1"), session("s-2", intervals=(span(15, 16),))])
    assert len(seats(p)) == 2


def test_a_mentor_with_no_capacity_is_never_matched():  # 9
    assert seats(problem([mentor(capacity=0)], [session()])) == []


def test_it_never_assigns_a_mentor_twice_to_one_session():  # 9
    assert seats(problem([mentor(capacity=3)], [session(mentors_needed=3)])) == [("m-1", "s-1")]


def test_it_never_assigns_a_mentor_to_overlapping_sessions():  # 10
    p = problem([mentor(capacity=2)], [session("s-1"), session("s-2", intervals=(span(13.5, 14.5),))])
    assert len(seats(p)) == 1
    touching = problem([mentor(capacity=2)], [session("s-1"), session("s-2", intervals=(span(14, 15),))])
    assert len(seats(touching)) == 2


def test_series_that_overlap_in_a_later_week_are_not_given_to_one_mentor():  # 10
    windows = (span(8, 18), span(8, 18, day=7))
    a = session("s-1", intervals=(span(10, 11), span(13, 14, day=7)))
    b = session("s-2", intervals=(span(13, 14), span(13.5, 14.5, day=7)))
    assert len(seats(problem([mentor(capacity=2, availability=windows)], [a, b]))) == 1


def test_it_never_gives_a_session_more_mentors_than_it_needs():  # 11
    p = problem([mentor("m-1"), mentor("m-2")], [session(mentors_needed=1)])
    assert len(seats(p)) == 1
    p = problem([mentor("m-1"), mentor("m-2")], [session(mentors_needed=2)])
    assert len(seats(p)) == 2


def test_a_session_needing_no_mentors_gets_none_and_is_not_unfilled():
    result = solve(problem([mentor()], [session(mentors_needed=0)]))
    assert result.assignments == [] and result.unfilled == []


def test_an_excluded_pair_is_never_assigned():
    p = problem([mentor("m-1"), mentor("m-2")], [session()], excluded=frozenset({("m-1", "s-1")}))
    assert seats(p) == [("m-2", "s-1")]


def test_a_mentor_with_no_availability_is_never_matched():
    p = problem([mentor(availability=(), capacity=5)], [session(format="virtual", location=None)])
    assert seats(p) == []
