"""The plain data the engine works on: mentors, sessions and a problem.

These mirror shared/matching-problem.md (version 1). Datetimes are aware;
intervals are half-open ``[start, end)``.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

GRADE_BANDS = ("K-2", "3-5", "6-8", "9-12")
FORMATS = ("in_person", "virtual")

Interval = tuple[datetime.datetime, datetime.datetime]
PARTS = ("skills", "distance", "fairness", "language", "continuity", "rating")
# The rating fit of a mentor whose file carries none: the middle, neither favoured nor held back.
NEUTRAL_RATING = 0.5
# A pair scores at most 5 x MAX_WEIGHT x 10,000 units; keeping weights this small keeps
# seat-weighted objectives of the largest runs exact in 64-bit floats (below 2**53).
MAX_WEIGHT = 10.0


class ProblemError(Exception):
    """A problem file that breaks the format; ``field`` names where."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class MentorSpec:
    """A volunteer as the engine sees them for one run."""

    id: str
    skills: frozenset[str]
    grade_bands: frozenset[str]
    formats: frozenset[str]
    languages: frozenset[str]
    location: tuple[float, float] | None
    travel_km: float
    background_check_expires: datetime.date | None
    capacity: int
    availability: tuple[Interval, ...]
    busy: tuple[Interval, ...]
    load: int
    # Teachers' ratings as a 0..1 fit (an average with a prior, worked out by whoever writes the problem);
    # None when the file has none.
    rating: float | None = None


@dataclass(frozen=True)
class SessionSpec:
    """A booking unit: every interval goes to the same mentors."""

    id: str
    intervals: tuple[Interval, ...]
    format: str
    grade_band: str
    skills: frozenset[str]
    language: str | None
    location: tuple[float, float] | None
    mentors_needed: int
    requires_background_check: bool


def is_weight(value) -> bool:
    """Whether a value can be a score weight: a real number (not a bool) from 0 to MAX_WEIGHT."""
    return not isinstance(value, bool) and isinstance(value, int | float) and 0 <= value <= MAX_WEIGHT


@dataclass(frozen=True)
class Weights:
    """How much each part of a pair's score weighs (non-negative).

    skills: share of the session's asked skills the mentor has.
    distance: share of the mentor's travel radius left unused (in person only).
    fairness: 1 / (1 + recent load), so quieter mentors come first.
    language: the session asks for a language (which the mentor speaks).
    continuity: the mentor has worked with this teacher before.
    rating: the mentor's teacher rating as a 0..1 fit (0 by default: an alliance opts in).
    """

    skills: float = 0.4
    distance: float = 0.2
    fairness: float = 0.2
    language: float = 0.05
    continuity: float = 0.15
    rating: float = 0.0

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if not is_weight(value):
                raise ValueError(f"weight {f.name} must be a number from 0 to {MAX_WEIGHT:g}, got {value!r}")

    def as_dict(self) -> dict[str, float]:
        """The weights by part name, as a run records them."""
        return {name: getattr(self, name) for name in PARTS}


@dataclass(frozen=True)
class Problem:
    """Mentors, sessions and the pairs a run must avoid or should favour.

    ``excluded`` holds (mentor_id, session_id) pairs that must never be
    assigned; ``continuity`` holds pairs that earn the continuity bonus;
    ``weights``, when set, are the score weights of the run (its alliance's).
    """

    mentors: tuple[MentorSpec, ...]
    sessions: tuple[SessionSpec, ...]
    excluded: frozenset[tuple[str, str]] = frozenset()
    continuity: frozenset[tuple[str, str]] = frozenset()
    weights: Weights | None = None
