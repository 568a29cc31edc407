"""The pair constraints 1-8 of the spec, each a vectorised test over pairs.

Every rule takes the problem arrays and two equal-length index arrays
(mentors ``m``, sessions ``s``) and returns a bool mask: True where the pair
passes. The candidate generator, the single-pair check and the unfilled
explanations all use these same functions, so they cannot disagree.
"""
from __future__ import annotations

import numpy as np

from .arrays import IN_PERSON, Calendar, ProblemArrays

EARTH_RADIUS_KM = 6371.0


def haversine_km(lat1, lng1, lat2, lng2):
    """Great-circle distance in km between points given in radians."""
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


def pair_distance_km(a: ProblemArrays, m, s):
    """Distance between mentor and session locations (nan when one is missing)."""
    return haversine_km(a.m_lat[m], a.m_lng[m], a.s_lat[s], a.s_lng[s])


def offers_format(a: ProblemArrays, m, s):
    """Constraint 1: the session's format is one the mentor offers."""
    return a.offers_format[a.format[s], m]


def teaches_grade(a: ProblemArrays, m, s):
    """Constraint 2: the mentor teaches the session's grade band."""
    return a.teaches_grade[a.grade[s], m]


def speaks_language(a: ProblemArrays, m, s):
    """Constraint 3: the session has no language or the mentor speaks it."""
    lang = a.language[s]
    ok = lang < 0
    asks = ~ok
    if asks.any():
        ok = ok.copy()
        ok[asks] = a.speaks[lang[asks], m[asks]]
    return ok


def skill_matches(a: ProblemArrays, m, s) -> np.ndarray:
    """How many of the session's skills the mentor has, per pair."""
    counts = a.skill_ptr[s + 1] - a.skill_ptr[s]
    pair, item = _expand(counts, a.skill_ptr[s])
    if len(pair) == 0:
        return np.zeros(len(m), np.int64)
    hits = a.knows[a.skill_ids[item], m[pair]]
    return np.bincount(pair[hits], minlength=len(m))


def shares_skill(a: ProblemArrays, m, s):
    """Constraint 4: the session asks no skill or the mentor has one of them."""
    asks = a.skill_ptr[s + 1] > a.skill_ptr[s]
    return ~asks | (skill_matches(a, m, s) > 0)


def has_valid_check(a: ProblemArrays, m, s):
    """Constraint 5: a check valid through the UTC date the session's last interval ends."""
    return ~a.requires_check[s] | (a.check_ordinal[m] >= a.last_end_ordinal[s])


def within_travel(a: ProblemArrays, m, s):
    """Constraint 6: in person needs both locations and distance <= travel_km."""
    in_person = a.format[s] == IN_PERSON
    ok = ~in_person
    if in_person.any():
        ok = ok.copy()
        mi, si = m[in_person], s[in_person]
        with np.errstate(invalid="ignore"):
            ok[in_person] = pair_distance_km(a, mi, si) <= a.travel_km[mi]
    return ok


def available_first(a: ProblemArrays, m, s):
    """Constraint 7 for the earliest interval only (a cheap first cut)."""
    iv = a.first_interval[s]
    return contained(a.availability, a.n_times, m, a.iv_start[iv], a.iv_end[iv])


def available(a: ProblemArrays, m, s):
    """Constraint 7: every interval lies inside one availability window."""
    pair, iv = _expand(a.interval_ptr[s + 1] - a.interval_ptr[s], a.interval_ptr[s])
    ok = contained(a.availability, a.n_times, m[pair], a.iv_start[iv], a.iv_end[iv])
    return np.bincount(pair[~ok], minlength=len(m)) == 0


def not_busy(a: ProblemArrays, m, s):
    """Constraint 8: no interval overlaps any of the mentor's busy intervals."""
    pair, iv = _expand(a.interval_ptr[s + 1] - a.interval_ptr[s], a.interval_ptr[s])
    clash = overlaps_any(a.busy, a.n_times, m[pair], a.iv_start[iv], a.iv_end[iv])
    return np.bincount(pair[clash], minlength=len(m)) == 0


def contained(cal: Calendar, n_times: int, m, start, end):
    """Whether some interval of mentor m in cal contains [start, end)."""
    if len(cal.key) == 0:
        return np.zeros(len(m), bool)
    i = np.searchsorted(cal.key, m * n_times + start, side="right") - 1
    ok = i >= 0
    i = np.maximum(i, 0)
    # end_max[i] is the latest end among m's windows starting at or before start.
    return ok & (cal.mentor[i] == m) & (cal.end_max[i] >= end)


def overlaps_any(cal: Calendar, n_times: int, m, start, end):
    """Whether some interval of mentor m in cal overlaps [start, end)."""
    if len(cal.key) == 0:
        return np.zeros(len(m), bool)
    i = np.searchsorted(cal.key, m * n_times + end, side="left") - 1
    ok = i >= 0
    i = np.maximum(i, 0)
    return ok & (cal.mentor[i] == m) & (cal.end_max[i] > start)


def not_excluded(a: ProblemArrays, m, s):
    """The extension: the pair is not in ``excluded``."""
    if len(a.excluded) == 0:
        return np.ones(len(m), bool)
    return ~np.isin(a.pair_keys(m, s), a.excluded)


# In the order the explanations apply them; the candidate generator reorders for speed.
PAIR_RULES = (
    ("format", offers_format),
    ("distance", within_travel),
    ("grade", teaches_grade),
    ("language", speaks_language),
    ("skills", shares_skill),
    ("check", has_valid_check),
    ("availability", available),
    ("busy", not_busy),
)


def _expand(counts, starts):
    """For pairs with ``counts`` items from ``starts``: (pair index, item index) per item."""
    counts = np.asarray(counts, np.int64)
    pair = np.repeat(np.arange(len(counts)), counts)
    offsets = np.arange(len(pair)) - np.repeat(np.cumsum(counts) - counts, counts)
    return pair, np.repeat(starts, counts) + offsets
