"""parse_problem: a valid file becomes a Problem; every malformed value is
refused with a ProblemError naming the field."""
import datetime

import pytest

from scheduling.engine import FORMATS, GRADE_BANDS, ProblemError, parse_problem

from .factories import mentor_json, problem_json, session_json


def error_of(data) -> ProblemError:
    with pytest.raises(ProblemError) as caught:
        parse_problem(data)
    return caught.value


def test_the_public_vocabularies_are_the_specs():
    assert GRADE_BANDS == ("K-2", "3-5", "6-8", "9-12")
    assert FORMATS == ("in_person", "virtual")


def test_it_reads_a_valid_problem():
    p = parse_problem(problem_json([mentor_json()], [session_json()]))
    m, s = p.mentors[0], p.sessions[0]
    assert m.grade_bands == frozenset({"6-8"}) and m.capacity == 1 and m.travel_km == 25.0
    assert m.background_check_expires == datetime.date(2027, 6, 30)
    assert m.availability[0][0] == datetime.datetime(2026, 12, 1, 8, tzinfo=datetime.UTC)
    assert s.intervals[0][1].utcoffset() == datetime.timedelta(0)
    assert s.requires_background_check is True and s.language == "en"


def test_it_keeps_offsets_other_than_utc():
    s = session_json(intervals=[["2026-12-01T08:00:00-05:00", "2026-12-01T09:00:00-05:00"]])
    start = parse_problem(problem_json([], [s])).sessions[0].intervals[0][0]
    assert start == datetime.datetime(2026, 12, 1, 13, tzinfo=datetime.UTC)


def test_an_empty_problem_is_valid():
    p = parse_problem(problem_json())
    assert p.mentors == () and p.sessions == ()


def test_busy_and_load_may_be_left_out():
    data = mentor_json()
    del data["busy"], data["load"]
    m = parse_problem(problem_json([data])).mentors[0]
    assert m.busy == () and m.load == 0


def test_it_reads_the_extension_pairs():
    p = parse_problem(problem_json(
        [mentor_json()], [session_json()],
        excluded=[{"mentor": "m-1", "session": "s-1"}], continuity=[{"mentor": "m-1", "session": "s-1"}],
    ))
    assert p.excluded == frozenset({("m-1", "s-1")}) and p.continuity == frozenset({("m-1", "s-1")})


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ([], "problem", "expected a JSON object"),
        ({"mentors": [], "sessions": []}, "version", "missing"),
        (problem_json() | {"version": 2}, "version", "unsupported version 2"),
        (problem_json() | {"version": "1"}, "version", "unsupported version"),
        ({"version": 1, "sessions": []}, "mentors", "missing"),
        (problem_json() | {"sessions": {}}, "sessions", "expected a list"),
        (problem_json([mentor_json(), mentor_json(), mentor_json(), mentor_json(grade_bands=["13-14"])]),
         "mentors[3].grade_bands[0]", "unknown grade band '13-14'"),
        (problem_json([mentor_json(formats=["hybrid"])]), "mentors[0].formats[0]", "unknown format 'hybrid'"),
        (problem_json([], [session_json(format="phone")]), "sessions[0].format", "unknown format 'phone'"),
        (problem_json([], [session_json(grade_band="PreK")]), "sessions[0].grade_band", "unknown grade band"),
        (problem_json([mentor_json(capacity=-1)]), "mentors[0].capacity", "negative capacity -1"),
        (problem_json([mentor_json(capacity=1.5)]), "mentors[0].capacity", "whole number"),
        (problem_json([mentor_json(load=-2)]), "mentors[0].load", "negative load"),
        (problem_json([mentor_json(travel_km=-3)]), "mentors[0].travel_km", "must not be negative"),
        (problem_json([mentor_json(travel_km="far")]), "mentors[0].travel_km", "finite number"),
        (problem_json([mentor_json(location=[91, 0])]), "mentors[0].location[0]", "latitude"),
        (problem_json([mentor_json(location=[0, -181])]), "mentors[0].location[1]", "longitude"),
        (problem_json([mentor_json(location=[42.0])]), "mentors[0].location", "[lat, lng]"),
        (problem_json([mentor_json(location=[True, 1])]), "mentors[0].location[0]", "finite number"),
        (problem_json([mentor_json(background_check_expires="30/06/2027")]),
         "mentors[0].background_check_expires", "malformed date"),
        (problem_json([mentor_json(availability=[["2026-12-01T08:00:00Z"]])]),
         "mentors[0].availability[0]", "[start, end]"),
        (problem_json([mentor_json(availability=[["2026-12-01T08:00:00Z", "tomorrow"]])]),
         "mentors[0].availability[0][1]", "malformed time 'tomorrow'"),
        (problem_json([mentor_json(availability=[["2026-12-01T08:00:00", "2026-12-01T09:00:00Z"]])]),
         "mentors[0].availability[0][0]", "no offset"),
        (problem_json([mentor_json(busy=[["2026-12-01T09:00:00Z", "2026-12-01T09:00:00Z"]])]),
         "mentors[0].busy[0]", "ends at or before its start"),
        (problem_json([], [session_json(intervals=[["2026-12-01T10:00:00Z", "2026-12-01T09:00:00Z"]])]),
         "sessions[0].intervals[0]", "ends at or before its start"),
        (problem_json([], [session_json(intervals=[])]), "sessions[0].intervals", "at least one interval"),
        (problem_json([], [session_json(mentors_needed=-1)]), "sessions[0].mentors_needed", "negative"),
        (problem_json([], [session_json(requires_background_check="yes")]),
         "sessions[0].requires_background_check", "true or false"),
        (problem_json([], [session_json(language=7)]), "sessions[0].language", "expected a string"),
        (problem_json([], [session_json(skills="robotics")]), "sessions[0].skills", "expected a list"),
        (problem_json([mentor_json(), mentor_json()]), "mentors[1].id", "duplicate id 'm-1'"),
        (problem_json([], [session_json(), session_json()]), "sessions[1].id", "duplicate id 's-1'"),
        (problem_json([mentor_json(id="")]), "mentors[0].id", "empty id"),
        (problem_json([{"id": "m-1"}]), "mentors[0].skills", "missing"),
        (problem_json([mentor_json()], [session_json()], excluded=[{"mentor": "m-9", "session": "s-1"}]),
         "excluded[0].mentor", "unknown mentor 'm-9'"),
        (problem_json([mentor_json()], [session_json()], continuity=[{"mentor": "m-1", "session": "s-9"}]),
         "continuity[0].session", "unknown session 's-9'"),
        (problem_json([mentor_json()], [session_json()], continuity={"m-1": "s-1"}), "continuity", "expected a list"),
    ],
)
def test_it_refuses_a_malformed_value_naming_the_field(data, field, words):
    error = error_of(data)
    assert error.field == field
    assert str(error).startswith(f"{field}: ")
    assert words in str(error)
    assert "\n" not in str(error)


def test_it_reads_optional_weights_and_leaves_the_rest_at_their_defaults():
    p = parse_problem(problem_json(weights={"distance": 1, "fairness": 0.5}))
    assert (p.weights.distance, p.weights.fairness, p.weights.skills) == (1.0, 0.5, 0.4)
    assert parse_problem(problem_json()).weights is None


@pytest.mark.parametrize(("weights", "field"), [
    ({"distanse": 1}, "weights.distanse"),
    ({"skills": -0.1}, "weights.skills"),
    ({"skills": 11}, "weights.skills"),
    ({"language": "high"}, "weights.language"),
    ({"continuity": True}, "weights.continuity"),
    ([0.4], "weights"),
])
def test_it_refuses_bad_weights_naming_the_part(weights, field):
    assert error_of(problem_json(weights=weights)).field == field
