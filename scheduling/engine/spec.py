"""The plain data the engine works on: mentors, sessions and a problem.

These mirror shared/matching-problem.md (version 1). Datetimes are aware;
intervals are half-open ``[start, end)``.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

GRADE_BANDS = ("K-2", "3-5", "6-8", "9-12")
FORMATS = ("in_person", "virtual")

Interval = tuple[datetime.datetime, datetime.datetime]


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


@dataclass(frozen=True)
class Problem:
    """Mentors, sessions and the pairs a run must avoid or should favour.

    ``excluded`` holds (mentor_id, session_id) pairs that must never be
    assigned; ``continuity`` holds pairs that earn the continuity bonus.
    """

    mentors: tuple[MentorSpec, ...]
    sessions: tuple[SessionSpec, ...]
    excluded: frozenset[tuple[str, str]] = frozenset()
    continuity: frozenset[tuple[str, str]] = frozenset()
