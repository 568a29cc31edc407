"""Small builders for engine tests: a mentor and a session that fit each other
unless a test changes one attribute."""
from __future__ import annotations

import datetime

from scheduling.engine import MentorSpec, Problem, SessionSpec

UTC = datetime.UTC
DAY = datetime.datetime(2026, 12, 1, tzinfo=UTC)
HERE = (42.3601, -71.0589)


def at(hour: float, day: int = 0) -> datetime.datetime:
    """A time on DAY (+ day days), in hours from midnight UTC."""
    return DAY + datetime.timedelta(days=day, hours=hour)


def span(start_hour: float, end_hour: float, day: int = 0):
    return (at(start_hour, day), at(end_hour, day))


def km_north(km: float, origin=HERE) -> tuple[float, float]:
    """A point ``km`` kilometres due north of origin (great circle, R = 6371)."""
    import math

    return (origin[0] + math.degrees(km / 6371.0), origin[1])


def mentor(id="m-1", **changes) -> MentorSpec:
    fields = dict(
        id=id,
        skills=frozenset({"robotics"}),
        grade_bands=frozenset({"6-8"}),
        formats=frozenset({"in_person", "virtual"}),
        languages=frozenset({"en"}),
        location=HERE,
        travel_km=25.0,
        background_check_expires=datetime.date(2027, 6, 30),
        capacity=1,
        availability=(span(8, 18),),
        busy=(),
        load=0,
    )
    fields.update(changes)
    return MentorSpec(**fields)


def session(id="s-1", **changes) -> SessionSpec:
    fields = dict(
        id=id,
        intervals=(span(13, 14),),
        format="in_person",
        grade_band="6-8",
        skills=frozenset({"robotics"}),
        language="en",
        location=km_north(5),
        mentors_needed=1,
        requires_background_check=True,
    )
    fields.update(changes)
    return SessionSpec(**fields)


def problem(mentors=(), sessions=(), **extra) -> Problem:
    return Problem(tuple(mentors), tuple(sessions), **extra)


def mentor_json(id="m-1", **changes) -> dict:
    data = {
        "id": id,
        "skills": ["robotics"],
        "grade_bands": ["6-8"],
        "formats": ["in_person", "virtual"],
        "languages": ["en"],
        "location": list(HERE),
        "travel_km": 25,
        "background_check_expires": "2027-06-30",
        "capacity": 1,
        "availability": [["2026-12-01T08:00:00Z", "2026-12-01T18:00:00Z"]],
        "busy": [],
        "load": 0,
    }
    data.update(changes)
    return data


def session_json(id="s-1", **changes) -> dict:
    data = {
        "id": id,
        "intervals": [["2026-12-01T13:00:00Z", "2026-12-01T14:00:00Z"]],
        "format": "in_person",
        "grade_band": "6-8",
        "skills": ["robotics"],
        "language": "en",
        "location": list(km_north(5)),
        "mentors_needed": 1,
        "requires_background_check": True,
    }
    data.update(changes)
    return data


def problem_json(mentors=(), sessions=(), **extra) -> dict:
    return {"version": 1, "mentors": list(mentors), "sessions": list(sessions), **extra}
