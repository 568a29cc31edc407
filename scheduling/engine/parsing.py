"""Turn the JSON form of a problem (a dict) into a validated Problem.

Every malformed value raises ProblemError naming the field, for example
``mentors[3].grade_bands[0]: unknown grade band '13-14'``.
"""
from __future__ import annotations

import datetime
import math

from .spec import (
    FORMATS,
    GRADE_BANDS,
    MAX_WEIGHT,
    PARTS,
    MentorSpec,
    Problem,
    ProblemError,
    SessionSpec,
    Weights,
    is_weight,
)

_MISSING = object()


def parse_problem(data: dict) -> Problem:
    """Validate a version 1 problem dict and return it as a Problem.

    Raises ProblemError naming the first offending field.
    """
    if not isinstance(data, dict):
        raise ProblemError("problem", "expected a JSON object")
    version = data.get("version", _MISSING)
    if version is _MISSING:
        raise ProblemError("version", "missing")
    if type(version) is not int or version != 1:
        raise ProblemError("version", f"unsupported version {version!r} (expected 1)")
    times: dict = {}  # parsed times and intervals, by their strings
    mentors = tuple(_parse_list(data, "mentors", lambda v, f: _parse_mentor(v, f, times)))
    sessions = tuple(_parse_list(data, "sessions", lambda v, f: _parse_session(v, f, times)))
    mentor_ids = _unique_ids(mentors, "mentors")
    session_ids = _unique_ids(sessions, "sessions")
    excluded = _parse_pairs(data, "excluded", mentor_ids, session_ids)
    continuity = _parse_pairs(data, "continuity", mentor_ids, session_ids)
    return Problem(mentors, sessions, excluded, continuity, _parse_weights(data))


def _parse_weights(data) -> Weights | None:
    """The optional ``weights`` object: any of the score parts, each a number from 0 to MAX_WEIGHT."""
    value = data.get("weights")
    if value is None:
        return None
    _require_object(value, "weights")
    for name in value:
        if name not in PARTS:
            raise ProblemError(f"weights.{name}", f"unknown score part (expected one of {', '.join(PARTS)})")
    for name, weight in value.items():
        if not is_weight(weight):
            raise ProblemError(f"weights.{name}", f"expected a number from 0 to {MAX_WEIGHT:g}, got {weight!r}")
    return Weights(**{name: float(weight) for name, weight in value.items()})


def _parse_list(data, key, parse_item, required=True):
    items = data.get(key, _MISSING)
    if items is _MISSING:
        if required:
            raise ProblemError(key, "missing")
        return []
    if not isinstance(items, list):
        raise ProblemError(key, "expected a list")
    return [parse_item(item, f"{key}[{i}]") for i, item in enumerate(items)]


def _unique_ids(items, key) -> set[str]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            raise ProblemError(f"{key}[{i}].id", f"duplicate id {item.id!r}")
        seen.add(item.id)
    return seen


def _parse_pairs(data, key, mentor_ids, session_ids) -> frozenset[tuple[str, str]]:
    def parse_pair(value, field):
        _require_object(value, field)
        mentor = _string(_get(value, "mentor", field), f"{field}.mentor")
        session = _string(_get(value, "session", field), f"{field}.session")
        if mentor not in mentor_ids:
            raise ProblemError(f"{field}.mentor", f"unknown mentor {mentor!r}")
        if session not in session_ids:
            raise ProblemError(f"{field}.session", f"unknown session {session!r}")
        return (mentor, session)

    return frozenset(_parse_list(data, key, parse_pair, required=False))


def _parse_mentor(value, field, times) -> MentorSpec:
    _require_object(value, field)
    return MentorSpec(
        id=_identifier(_get(value, "id", field), f"{field}.id"),
        skills=_strings(_get(value, "skills", field), f"{field}.skills"),
        grade_bands=_choices(_get(value, "grade_bands", field), f"{field}.grade_bands", GRADE_BANDS, "grade band"),
        formats=_choices(_get(value, "formats", field), f"{field}.formats", FORMATS, "format"),
        languages=_strings(_get(value, "languages", field), f"{field}.languages"),
        location=_location(_get(value, "location", field), f"{field}.location"),
        travel_km=_non_negative_number(_get(value, "travel_km", field), f"{field}.travel_km"),
        background_check_expires=_optional_date(
            _get(value, "background_check_expires", field), f"{field}.background_check_expires"
        ),
        capacity=_count(_get(value, "capacity", field), f"{field}.capacity", "capacity"),
        availability=_intervals(_get(value, "availability", field), f"{field}.availability", times),
        busy=_intervals(value.get("busy", []), f"{field}.busy", times),
        load=_count(value.get("load", 0), f"{field}.load", "load"),
        rating=_fit(value.get("rating"), f"{field}.rating"),
    )


def _fit(value, field) -> float | None:
    """An optional number from 0 to 1 (the `rating` extension key)."""
    if value is None:
        return None
    number = _number(value, field)
    if not 0 <= number <= 1:
        raise ProblemError(field, f"expected a number from 0 to 1, got {value!r}")
    return number


def _parse_session(value, field, times) -> SessionSpec:
    _require_object(value, field)
    intervals = _intervals(_get(value, "intervals", field), f"{field}.intervals", times)
    if not intervals:
        raise ProblemError(f"{field}.intervals", "a session needs at least one interval")
    language = value.get("language")
    return SessionSpec(
        id=_identifier(_get(value, "id", field), f"{field}.id"),
        intervals=intervals,
        format=_choice(_get(value, "format", field), f"{field}.format", FORMATS, "format"),
        grade_band=_choice(_get(value, "grade_band", field), f"{field}.grade_band", GRADE_BANDS, "grade band"),
        skills=_strings(value.get("skills", []), f"{field}.skills"),
        language=None if language is None else _string(language, f"{field}.language"),
        location=_location(_get(value, "location", field), f"{field}.location"),
        mentors_needed=_count(_get(value, "mentors_needed", field), f"{field}.mentors_needed", "mentors_needed"),
        requires_background_check=_boolean(
            _get(value, "requires_background_check", field), f"{field}.requires_background_check"
        ),
    )


def _require_object(value, field):
    if not isinstance(value, dict):
        raise ProblemError(field, "expected a JSON object")


def _get(obj, key, field):
    value = obj.get(key, _MISSING)
    if value is _MISSING:
        raise ProblemError(f"{field}.{key}", "missing")
    return value


def _string(value, field) -> str:
    if not isinstance(value, str):
        raise ProblemError(field, f"expected a string, got {_kind(value)}")
    return value


def _identifier(value, field) -> str:
    if not _string(value, field):
        raise ProblemError(field, "empty id")
    return value


def _strings(value, field) -> frozenset[str]:
    if not isinstance(value, list):
        raise ProblemError(field, f"expected a list, got {_kind(value)}")
    return frozenset(_string(item, f"{field}[{i}]") for i, item in enumerate(value))


def _choice(value, field, allowed, noun) -> str:
    if _string(value, field) not in allowed:
        raise ProblemError(field, f"unknown {noun} {value!r}")
    return value


def _choices(value, field, allowed, noun) -> frozenset[str]:
    if not isinstance(value, list):
        raise ProblemError(field, f"expected a list, got {_kind(value)}")
    return frozenset(_choice(item, f"{field}[{i}]", allowed, noun) for i, item in enumerate(value))


def _number(value, field) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ProblemError(field, f"expected a finite number, got {value!r}")
    return float(value)


def _non_negative_number(value, field) -> float:
    number = _number(value, field)
    if number < 0:
        raise ProblemError(field, f"must not be negative, got {value!r}")
    return number


def _count(value, field, noun) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProblemError(field, f"expected a whole number, got {value!r}")
    if value < 0:
        raise ProblemError(field, f"negative {noun} {value}")
    return value


def _boolean(value, field) -> bool:
    if not isinstance(value, bool):
        raise ProblemError(field, f"expected true or false, got {value!r}")
    return value


def _location(value, field) -> tuple[float, float] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2:
        raise ProblemError(field, "expected [lat, lng] or null")
    lat = _number(value[0], f"{field}[0]")
    lng = _number(value[1], f"{field}[1]")
    if not -90 <= lat <= 90:
        raise ProblemError(f"{field}[0]", f"latitude {value[0]!r} outside [-90, 90]")
    if not -180 <= lng <= 180:
        raise ProblemError(f"{field}[1]", f"longitude {value[1]!r} outside [-180, 180]")
    return (lat, lng)


def _optional_date(value, field) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(_string(value, field))
    except ValueError:
        raise ProblemError(field, f"malformed date {value!r} (expected YYYY-MM-DD)") from None


def _intervals(value, field, times) -> tuple[tuple[datetime.datetime, datetime.datetime], ...]:
    if not isinstance(value, list):
        raise ProblemError(field, f"expected a list of [start, end], got {_kind(value)}")
    return tuple(_interval(item, f"{field}[{i}]", times) for i, item in enumerate(value))


def _interval(value, field, times):
    # Weekly windows repeat the same pairs of strings thousands of times: check each pair once.
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], str):
        known = times.get((value[0], value[1]))
        if known is not None:
            return known
    if not isinstance(value, list) or len(value) != 2:
        raise ProblemError(field, "expected [start, end]")
    start = _time(value[0], f"{field}[0]", times)
    end = _time(value[1], f"{field}[1]", times)
    if end <= start:
        raise ProblemError(field, f"interval ends at or before its start ({value[1]} <= {value[0]})")
    times[(value[0], value[1])] = (start, end)
    return (start, end)


def _time(value, field, times) -> datetime.datetime:
    # Weekly windows repeat the same strings thousands of times; parse each once.
    parsed = times.get(value) if isinstance(value, str) else None
    if parsed is not None:
        return parsed
    text = _string(value, field)
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ProblemError(field, f"malformed time {text!r} (expected ISO 8601 with an offset)") from None
    if parsed.tzinfo is None:
        raise ProblemError(field, f"time {text!r} has no offset (expected e.g. 2026-12-01T13:00:00Z)")
    times[text] = parsed
    return parsed


def _kind(value) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(type(value), repr(value))
