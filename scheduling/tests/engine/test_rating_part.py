"""The "rating" score part: weight 0 by default, so results are identical; weighed, the better-rated of two
otherwise equal volunteers wins, and the review queue's reasons name the part."""
import pytest

from scheduling.engine import ProblemError, Weights, parse_problem, solve

from .factories import mentor, mentor_json, problem, problem_json, session, session_json


def _two_equal_mentors(**ratings):
    return problem([mentor("m-a", rating=ratings.get("a")), mentor("m-b", rating=ratings.get("b"))], [session()])


def test_with_the_default_weight_ratings_change_nothing():
    plain = solve(_two_equal_mentors(), Weights())
    rated = solve(_two_equal_mentors(a=0.1, b=0.95), Weights())
    assert [(x.mentor, x.score, x.reasons) for x in plain.assignments] == \
        [(x.mentor, x.score, x.reasons) for x in rated.assignments]
    assert all("rating" not in x.reasons for x in rated.assignments)


@pytest.mark.parametrize("better", ["a", "b"])
def test_weighed_the_better_rated_volunteer_wins_and_the_reason_says_so(better):
    ratings = {"a": 0.2, "b": 0.2, better: 0.9}
    result = solve(_two_equal_mentors(**ratings), Weights(rating=1.0))
    (assignment,) = result.assignments
    assert assignment.mentor == f"m-{better}"
    assert assignment.reasons["rating"] == 0.9


def test_a_volunteer_without_a_rating_counts_as_the_middle():
    result = solve(problem([mentor("m-a", rating=0.4), mentor("m-b")], [session()]), Weights(rating=1.0))
    assert result.assignments[0].mentor == "m-b" and result.assignments[0].reasons["rating"] == 0.5


def test_the_problem_file_carries_the_rating_as_an_extension_key():
    data = problem_json([mentor_json(rating=0.8)], [session_json()], weights={"rating": 2})
    parsed = parse_problem(data)
    assert parsed.mentors[0].rating == 0.8 and parsed.weights.rating == 2


@pytest.mark.parametrize("value", [1.5, -0.1, "good", True])
def test_a_rating_outside_0_to_1_is_refused_naming_the_field(value):
    with pytest.raises(ProblemError) as refused:
        parse_problem(problem_json([mentor_json(rating=value)], [session_json()]))
    assert refused.value.field == "mentors[0].rating"
