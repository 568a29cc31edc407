"""Feasible pairs (constraints 1-8 plus ``excluded``), generated in bulk.

Sessions are grouped by (format, grade band, UTC day of their earliest
interval); each group is crossed only with the mentors who offer that format,
teach that band and have an availability window touching that day. In-person
groups are crossed through a grid of cells: a mentor meets only the sessions
in the cells that cover the bounding box of their travel radius. The
surviving pairs then go through every rule as numpy array operations, the
cheap and selective ones first, shrinking at each step.
"""
from __future__ import annotations

import numpy as np

from . import rules
from .arrays import DAY_US, IN_PERSON, ProblemArrays
from .rules import EARTH_RADIUS_KM

MAX_BLOCK = 1_000_000  # pairs crossed at once; bounds memory
CELL_KM = 5.0


def candidate_pairs(a: ProblemArrays) -> tuple[np.ndarray, np.ndarray]:
    """All pairs passing constraints 1-8 and not excluded, sorted by (session, mentor)."""
    if a.n_sessions == 0 or a.n_mentors == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    day = a.iv_start_us[a.first_interval] // DAY_US
    pools = _mentors_by_day(a, int(day.min()), int(day.max()))
    found_m, found_s = [], []
    for sessions, fmt, grade, d in _session_groups(a, day):
        pool = pools.get(d)
        if pool is None:
            continue
        pool = pool[a.offers_format[fmt, pool] & a.teaches_grade[grade, pool]]
        for m, s in _crossed(a, pool, sessions, fmt):
            m, s = _filter(a, m, s, fmt)
            found_m.append(m)
            found_s.append(s)
    if not found_m:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    m, s = np.concatenate(found_m), np.concatenate(found_s)
    order = np.lexsort((m, s))
    return m[order], s[order]


def pair_is_feasible(a: ProblemArrays, m: int, s: int) -> bool:
    """Whether one pair passes constraints 1-8 (``excluded`` aside)."""
    mi, si = np.array([m]), np.array([s])
    return all(bool(rule(a, mi, si)[0]) for _, rule in rules.PAIR_RULES)


def _filter(a, m, s, fmt):
    steps = [rules.available_first]
    if fmt == IN_PERSON:
        steps.append(rules.within_travel)
    steps += [rules.speaks_language, rules.has_valid_check, rules.shares_skill]
    for step in steps:
        keep = step(a, m, s)
        m, s = m[keep], s[keep]
    several = a.interval_ptr[s + 1] - a.interval_ptr[s] > 1
    if several.any():
        keep = ~several
        keep[several] = rules.available(a, m[several], s[several])
        m, s = m[keep], s[keep]
    for step in (rules.not_busy, rules.not_excluded):
        keep = step(a, m, s)
        m, s = m[keep], s[keep]
    return m, s


def _mentors_by_day(a: ProblemArrays, first_day: int, last_day: int) -> dict[int, np.ndarray]:
    cal = a.availability
    lo = np.maximum(cal.start_us // DAY_US, first_day)
    hi = np.minimum((cal.end_us - 1) // DAY_US, last_day)
    keep = hi >= lo
    lo, hi, owner = lo[keep], hi[keep], cal.mentor[keep]
    counts = hi - lo + 1
    days = np.repeat(lo, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    span = a.n_mentors
    keys = np.unique((days - first_day) * span + np.repeat(owner, counts))
    key_days, mentors = keys // span + first_day, keys % span
    cuts = np.flatnonzero(np.diff(key_days)) + 1
    return {int(d[0]): ms for d, ms in zip(np.split(key_days, cuts), np.split(mentors, cuts), strict=True) if len(d)}


def _session_groups(a: ProblemArrays, day: np.ndarray):
    key = np.stack([a.format, a.grade, day - day.min()])
    uniq, inverse = np.unique(key, axis=1, return_inverse=True)
    order = np.argsort(inverse.ravel(), kind="stable")
    cuts = np.flatnonzero(np.diff(inverse.ravel()[order])) + 1
    for sessions in np.split(order, cuts):
        s0 = sessions[0]
        yield sessions, int(a.format[s0]), int(a.grade[s0]), int(day[s0])


def _crossed(a, pool, sessions, fmt):
    """(mentor, session) blocks of pairs to test: every pair, or for in-person ones those near enough."""
    if fmt == IN_PERSON:
        near = _near_pairs(a, pool, sessions)
        if near is not None:
            for i in range(0, len(near[0]), MAX_BLOCK):
                yield near[0][i:i + MAX_BLOCK], near[1][i:i + MAX_BLOCK]
            return
    for block in _blocks(sessions, len(pool)):
        yield np.tile(pool, len(block)), np.repeat(block, len(pool))


def _near_pairs(a, pool, sessions):
    """Pairs whose session lies in a grid cell touching the mentor's travel box; None where no grid applies.

    The box is the exact spherical bound of a cap of radius travel_km
    (latitude +- d, longitude +- arcsin(sin d / cos lat)), so no pair within
    range is missed; within_travel then checks the true distance. Caps that
    reach a pole or cross the antimeridian fall back to the full cross.
    """
    pool = pool[~np.isnan(a.m_lat[pool])]
    sessions = sessions[~np.isnan(a.s_lat[sessions])]
    if len(pool) == 0 or len(sessions) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    angle = a.travel_km[pool] / EARTH_RADIUS_KM
    lat, lng = a.m_lat[pool], a.m_lng[pool]
    if (np.abs(lat) + angle >= np.pi / 2 - 0.01).any() or (angle >= 0.5).any():
        return None
    dlng = np.arcsin(np.minimum(np.sin(angle) / np.cos(lat), 1.0))
    if (np.abs(lng) + dlng >= np.pi).any():
        return None
    cell = CELL_KM / EARTH_RADIUS_KM
    ix0, ix1 = np.floor((lng - dlng) / cell).astype(np.int64), np.floor((lng + dlng) / cell).astype(np.int64)
    iy0, iy1 = np.floor((lat - angle) / cell).astype(np.int64), np.floor((lat + angle) / cell).astype(np.int64)
    sx = np.floor(a.s_lng[sessions] / cell).astype(np.int64)
    sy = np.floor(a.s_lat[sessions] / cell).astype(np.int64)
    # One row of cells at a time: per mentor and cell row, the sessions in that row between ix0 and ix1.
    width = int(max(sx.max(), ix1.max()) - min(sx.min(), ix0.min())) + 2
    base = min(sx.min(), ix0.min())
    skey = sy * width + (sx - base)
    order = np.argsort(skey, kind="stable")
    skey, sessions = skey[order], sessions[order]
    owner, row = rules._expand(iy1 - iy0 + 1, iy0)
    lo = np.searchsorted(skey, row * width + (ix0[owner] - base), "left")
    hi = np.searchsorted(skey, row * width + (ix1[owner] - base), "right")
    pair, idx = rules._expand(hi - lo, lo)
    return pool[owner[pair]], sessions[idx]


def _blocks(sessions, pool_size):
    step = max(1, MAX_BLOCK // max(pool_size, 1))
    for i in range(0, len(sessions), step):
        yield sessions[i:i + step]
