"""The matching engine: pure functions from a Problem to a Result.

No Django, no database, no I/O: plain data in, assignments with reasons out.
See docs/matching.md for the algorithm and why it is exact.
"""
from .parsing import parse_problem
from .result import Assignment, Candidate, Result, Unfilled
from .scoring import Weights
from .solver import feasible, score_pair, solve, solve_greedy
from .spec import FORMATS, GRADE_BANDS, MAX_WEIGHT, PARTS, MentorSpec, Problem, ProblemError, SessionSpec, is_weight

__all__ = [
    "FORMATS",
    "GRADE_BANDS",
    "MAX_WEIGHT",
    "PARTS",
    "Assignment",
    "Candidate",
    "MentorSpec",
    "Problem",
    "ProblemError",
    "Result",
    "SessionSpec",
    "Unfilled",
    "Weights",
    "feasible",
    "is_weight",
    "parse_problem",
    "score_pair",
    "solve",
    "solve_greedy",
]
