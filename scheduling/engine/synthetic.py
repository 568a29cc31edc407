"""Seeded random problems that look like a metro area's month or week.

Mentors cluster around office districts and neighbourhoods, schools around
neighbourhoods; formats, grade bands, languages and skills are mixed; many
sessions are weekly series; volunteers have one or two weekly windows and
skip some weeks. Used by the benchmark and by tests; returns the JSON form.
"""
from __future__ import annotations

import datetime

import numpy as np

from .spec import GRADE_BANDS

CENTRE = (42.3601, -71.0589)
SKILLS = (
    "software", "data science", "engineering", "math", "robotics", "biology", "chemistry", "physics",
    "electronics", "cybersecurity", "environmental science", "medicine", "design", "statistics",
    "aerospace", "energy",
)
LANGUAGES = (("es", 0.15), ("zh", 0.05), ("pt", 0.04), ("ht", 0.04), ("vi", 0.03))
SESSION_LANGUAGES = (("en", 0.78), (None, 0.08), ("es", 0.09), ("zh", 0.02), ("pt", 0.015), ("ht", 0.015))
MONDAY = datetime.datetime(2026, 11, 30, tzinfo=datetime.UTC)


def random_problem(
    n_mentors: int, n_sessions: int, *, seed: int = 0, weeks: int = 1, radius_km: float | None = None
) -> dict:
    """A version 1 problem dict; the same arguments always give the same problem.

    The metro's radius grows with the square root of its size (25 km for
    10,000 mentors), so bigger metros are wider rather than denser.
    """
    rng = np.random.default_rng(seed)
    if radius_km is None:
        radius_km = max(15.0, 25.0 * (n_mentors / 10_000) ** 0.5)
    hubs = _points(rng, CENTRE, radius_km * 0.6, 14)
    offices = _points(rng, CENTRE, radius_km * 0.3, 4)
    horizon = weeks + 5  # weekly series run past the weeks in which sessions start
    mentors = [_mentor(rng, i, hubs, offices, horizon) for i in range(n_mentors)]
    sessions = [_session(rng, i, hubs, weeks, horizon) for i in range(n_sessions)]
    return {"version": 1, "mentors": mentors, "sessions": sessions}


def _points(rng, centre, spread_km, n):
    return [_near(rng, centre, spread_km) for _ in range(n)]


def _near(rng, centre, spread_km):
    dlat, dlng = rng.normal(0, spread_km, 2) / 111.2
    lat = centre[0] + dlat
    return [round(float(lat), 5), round(float(centre[1] + dlng / np.cos(np.radians(lat))), 5)]


def _skill(rng):
    weights = 1.0 / np.arange(1, len(SKILLS) + 1)
    return SKILLS[rng.choice(len(SKILLS), p=weights / weights.sum())]


def _mentor(rng, i, hubs, offices, horizon):
    formats = [["in_person", "virtual"], ["in_person"], ["virtual"]][rng.choice(3, p=[0.45, 0.3, 0.25])]
    base = offices[rng.integers(len(offices))] if rng.random() < 0.6 else hubs[rng.integers(len(hubs))]
    located = formats != ["virtual"] or rng.random() < 0.5
    first_band = int(rng.integers(len(GRADE_BANDS)))
    bands = GRADE_BANDS[first_band:first_band + int(rng.choice([1, 2, 3], p=[0.45, 0.4, 0.15]))]
    check = None
    if rng.random() < 0.75:
        check = (MONDAY.date() + datetime.timedelta(days=int(rng.integers(-30, 730)))).isoformat()
    return {
        "id": f"m-{i}",
        "skills": sorted({_skill(rng) for _ in range(int(rng.integers(1, 4)))}),
        "grade_bands": list(bands),
        "formats": formats,
        "languages": ["en"] + [code for code, p in LANGUAGES if rng.random() < p],
        "location": _near(rng, base, 3.0) if located else None,
        "travel_km": float(rng.choice([5, 10, 15, 25, 40], p=[0.15, 0.3, 0.25, 0.2, 0.1])),
        "background_check_expires": check,
        "capacity": int(rng.choice(4, p=[0.05, 0.55, 0.3, 0.1])),
        "availability": _weekly_windows(rng, horizon),
        "busy": _busy(rng, horizon),
        "load": int(rng.poisson(1.5)),
    }


def _weekly_windows(rng, horizon):
    windows = []
    for _ in range(int(rng.choice([1, 2], p=[0.6, 0.4]))):
        day, hour, length = int(rng.integers(5)), int(rng.integers(13, 20)), int(rng.integers(2, 5))
        for week in range(horizon):
            if rng.random() < 0.85:
                start = MONDAY + datetime.timedelta(weeks=week, days=day, hours=hour)
                windows.append(_interval(start, datetime.timedelta(hours=length)))
    return windows


def _busy(rng, horizon):
    if rng.random() > 0.2:
        return []
    start = MONDAY + datetime.timedelta(
        weeks=int(rng.integers(horizon)), days=int(rng.integers(5)), hours=int(rng.integers(13, 21))
    )
    return [_interval(start, datetime.timedelta(hours=1))]


def _session(rng, i, hubs, weeks, horizon):
    in_person = rng.random() < 0.7
    start = MONDAY + datetime.timedelta(
        weeks=int(rng.integers(weeks)), days=int(rng.integers(5)), minutes=int(rng.integers(13 * 4, 21 * 4)) * 15
    )
    length = datetime.timedelta(minutes=int(rng.choice([45, 60, 90])))
    repeats = int(rng.integers(2, 7)) if rng.random() < 0.3 else 1
    language = SESSION_LANGUAGES[rng.choice(len(SESSION_LANGUAGES), p=[p for _, p in SESSION_LANGUAGES])][0]
    return {
        "id": f"s-{i}",
        "intervals": [_interval(start + datetime.timedelta(weeks=k), length) for k in range(min(repeats, horizon))],
        "format": "in_person" if in_person else "virtual",
        "grade_band": GRADE_BANDS[int(rng.integers(len(GRADE_BANDS)))],
        "skills": [] if rng.random() < 0.2 else sorted({_skill(rng) for _ in range(int(rng.integers(1, 3)))}),
        "language": language,
        "location": _near(rng, hubs[rng.integers(len(hubs))], 4.0) if in_person else None,
        "mentors_needed": int(rng.choice([1, 2, 3], p=[0.6, 0.3, 0.1])),
        "requires_background_check": bool(in_person or rng.random() < 0.5),
    }


def _interval(start, length):
    return [start.strftime("%Y-%m-%dT%H:%M:%SZ"), (start + length).strftime("%Y-%m-%dT%H:%M:%SZ")]
