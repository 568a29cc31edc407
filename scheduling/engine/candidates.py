"""Feasible pairs (constraints 1-8 plus ``excluded``), generated in bulk.

Sessions are grouped by (format, grade band, UTC day of their earliest
interval); each group is crossed only with the mentors who offer that format,
teach that band and have an availability window touching that day. The
surviving pairs then go through every rule as numpy array operations, the
cheap and selective ones first, shrinking at each step.
"""
from __future__ import annotations

import numpy as np

from . import rules
from .arrays import DAY_US, IN_PERSON, ProblemArrays

MAX_BLOCK = 1_000_000  # pairs crossed at once; bounds memory


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
        for block in _blocks(sessions, len(pool)):
            m, s = _filter(a, np.tile(pool, len(block)), np.repeat(block, len(pool)), fmt)
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


def _blocks(sessions, pool_size):
    step = max(1, MAX_BLOCK // max(pool_size, 1))
    for i in range(0, len(sessions), step):
        yield sessions[i:i + step]
