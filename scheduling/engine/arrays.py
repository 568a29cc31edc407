"""A Problem flattened into numpy arrays, so that pairs are checked in bulk.

Times become integer microseconds since the epoch (exact), and then ranks in
the sorted set of all times of the problem, so that "mentor m, time t" fits
in one int64 key ``m * n_times + rank`` for per-mentor binary searches.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from .spec import FORMATS, GRADE_BANDS, NEUTRAL_RATING, Problem

DAY_US = 86_400 * 1_000_000
IN_PERSON = FORMATS.index("in_person")
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_EPOCH_ORDINAL = _EPOCH.date().toordinal()
_ONE_US = datetime.timedelta(microseconds=1)


@dataclass
class Calendar:
    """Intervals of one kind (availability or busy) keyed by mentor, sorted by start."""

    mentor: np.ndarray
    start: np.ndarray  # rank
    end: np.ndarray  # rank
    start_us: np.ndarray
    end_us: np.ndarray
    key: np.ndarray  # mentor * n_times + start rank, ascending
    end_max: np.ndarray  # running max of end rank within the mentor


@dataclass
class ProblemArrays:
    """Column arrays for mentors (index m) and sessions (index s)."""

    n_mentors: int
    n_sessions: int
    n_times: int
    # mentors
    capacity: np.ndarray
    load: np.ndarray
    rating: np.ndarray  # 0..1 fit, NEUTRAL_RATING where the problem has none
    travel_km: np.ndarray
    m_lat: np.ndarray  # radians, nan when no location
    m_lng: np.ndarray
    check_ordinal: np.ndarray  # -1 when no cleared check
    offers_format: np.ndarray  # bool [len(FORMATS), n_mentors]
    teaches_grade: np.ndarray  # bool [len(GRADE_BANDS), n_mentors]
    speaks: np.ndarray  # bool [len(languages), n_mentors]
    knows: np.ndarray  # bool [len(skills), n_mentors]
    availability: Calendar
    busy: Calendar
    # sessions
    format: np.ndarray
    grade: np.ndarray
    language: np.ndarray  # index into languages, -1 when none
    s_lat: np.ndarray
    s_lng: np.ndarray
    needed: np.ndarray
    requires_check: np.ndarray
    last_end_ordinal: np.ndarray  # UTC date ordinal of the latest interval end
    skill_ptr: np.ndarray  # CSR into skill_ids
    skill_ids: np.ndarray
    interval_ptr: np.ndarray  # CSR into iv_*
    iv_start: np.ndarray  # rank
    iv_end: np.ndarray
    iv_start_us: np.ndarray
    iv_end_us: np.ndarray
    first_interval: np.ndarray  # index into iv_* of the earliest interval
    # vocabularies (only what sessions ask for matters)
    languages: tuple[str, ...]
    skills: tuple[str, ...]
    # extension pairs as sorted keys m * n_sessions + s
    excluded: np.ndarray
    continuity: np.ndarray

    def pair_keys(self, m: np.ndarray, s: np.ndarray) -> np.ndarray:
        """Keys of pairs, comparable with ``excluded`` and ``continuity``."""
        return m.astype(np.int64) * max(self.n_sessions, 1) + s


def to_arrays(problem: Problem) -> ProblemArrays:
    """Flatten a Problem; the engine never looks at the dataclasses again."""
    micros: dict[datetime.datetime, int] = {}
    mentors, sessions = problem.mentors, problem.sessions
    languages = tuple(sorted({s.language for s in sessions if s.language is not None}))
    skills = tuple(sorted({k for s in sessions for k in s.skills}))
    av = _flatten_calendar([m.availability for m in mentors], micros)
    bz = _flatten_calendar([m.busy for m in mentors], micros)
    ivs = _flatten_calendar([s.intervals for s in sessions], micros)
    ranks = np.unique(np.concatenate([av[1], av[2], bz[1], bz[2], ivs[1], ivs[2], np.zeros(1, np.int64)]))
    n_times = len(ranks) + 1
    interval_ptr = np.concatenate([[0], np.cumsum(np.bincount(ivs[0], minlength=len(sessions)))]).astype(np.int64)
    iv_start = np.searchsorted(ranks, ivs[1])
    first = _first_interval(interval_ptr, ivs[1])
    return ProblemArrays(
        n_mentors=len(mentors),
        n_sessions=len(sessions),
        n_times=n_times,
        capacity=np.array([m.capacity for m in mentors], np.int64),
        load=np.array([m.load for m in mentors], np.int64),
        rating=np.array([NEUTRAL_RATING if m.rating is None else m.rating for m in mentors], float),
        travel_km=np.array([m.travel_km for m in mentors], float),
        m_lat=_radians([m.location for m in mentors], 0),
        m_lng=_radians([m.location for m in mentors], 1),
        check_ordinal=np.array([_ordinal(m.background_check_expires) for m in mentors], np.int64),
        offers_format=_membership(FORMATS, [m.formats for m in mentors]),
        teaches_grade=_membership(GRADE_BANDS, [m.grade_bands for m in mentors]),
        speaks=_membership(languages, [m.languages for m in mentors]),
        knows=_membership(skills, [m.skills for m in mentors]),
        availability=_calendar(av, ranks, n_times),
        busy=_calendar(bz, ranks, n_times),
        format=np.array([FORMATS.index(s.format) for s in sessions], np.int64),
        grade=np.array([GRADE_BANDS.index(s.grade_band) for s in sessions], np.int64),
        language=np.array([-1 if s.language is None else languages.index(s.language) for s in sessions], np.int64),
        s_lat=_radians([s.location for s in sessions], 0),
        s_lng=_radians([s.location for s in sessions], 1),
        needed=np.array([s.mentors_needed for s in sessions], np.int64),
        requires_check=np.array([s.requires_background_check for s in sessions], bool),
        last_end_ordinal=_last_end_ordinal(interval_ptr, ivs[2]),
        skill_ptr=np.concatenate([[0], np.cumsum([len(s.skills) for s in sessions])]).astype(np.int64),
        skill_ids=_skill_ids(skills, sessions),
        interval_ptr=interval_ptr,
        iv_start=iv_start,
        iv_end=np.searchsorted(ranks, ivs[2]),
        iv_start_us=ivs[1],
        iv_end_us=ivs[2],
        first_interval=first,
        languages=languages,
        skills=skills,
        excluded=_pair_keys(problem.excluded, mentors, sessions),
        continuity=_pair_keys(problem.continuity, mentors, sessions),
    )


def _micros(dt: datetime.datetime, cache: dict) -> int:
    value = cache.get(dt)
    if value is None:
        value = cache[dt] = (dt - _EPOCH) // _ONE_US
    return value


def _flatten_calendar(calendars, cache):
    owner, start, end = [], [], []
    for i, intervals in enumerate(calendars):
        for a, b in intervals:
            owner.append(i)
            start.append(_micros(a, cache))
            end.append(_micros(b, cache))
    return (np.array(owner, np.int64), np.array(start, np.int64), np.array(end, np.int64))


def _calendar(flat, ranks, n_times) -> Calendar:
    owner, start_us, end_us = flat
    start, end = np.searchsorted(ranks, start_us), np.searchsorted(ranks, end_us)
    key = owner * n_times + start
    order = np.argsort(key, kind="stable")
    owner, start, end, key = owner[order], start[order], end[order], key[order]
    # Offsetting by owner keeps the running maximum from leaking between mentors.
    end_max = np.maximum.accumulate(owner * n_times + end) - owner * n_times if len(owner) else end
    return Calendar(owner, start, end, start_us[order], end_us[order], key, end_max)


def _first_interval(ptr, start_us) -> np.ndarray:
    firsts = np.empty(len(ptr) - 1, np.int64)
    for s in range(len(firsts)):
        lo, hi = ptr[s], ptr[s + 1]
        firsts[s] = lo + int(np.argmin(start_us[lo:hi])) if hi > lo else lo
    return firsts


def _last_end_ordinal(ptr, end_us) -> np.ndarray:
    if len(end_us) == 0:
        return np.zeros(len(ptr) - 1, np.int64)
    last_end = np.maximum.reduceat(end_us, ptr[:-1]) if len(ptr) > 1 else np.zeros(0, np.int64)
    return last_end // DAY_US + _EPOCH_ORDINAL


def _radians(locations, axis) -> np.ndarray:
    return np.radians(np.array([np.nan if loc is None else loc[axis] for loc in locations], float))


def _ordinal(date) -> int:
    return -1 if date is None else date.toordinal()


def _membership(vocabulary, sets) -> np.ndarray:
    index = {word: i for i, word in enumerate(vocabulary)}
    table = np.zeros((len(vocabulary), len(sets)), bool)
    rows, cols = [], []
    for j, words in enumerate(sets):
        for word in words:
            i = index.get(word)
            if i is not None:
                rows.append(i)
                cols.append(j)
    table[rows, cols] = True
    return table


def _skill_ids(skills, sessions) -> np.ndarray:
    index = {k: i for i, k in enumerate(skills)}
    return np.array([index[k] for s in sessions for k in sorted(s.skills)], np.int64)


def _pair_keys(pairs, mentors, sessions) -> np.ndarray:
    m_index = {m.id: i for i, m in enumerate(mentors)}
    s_index = {s.id: i for i, s in enumerate(sessions)}
    keys = [
        m_index[m] * max(len(sessions), 1) + s_index[s] for m, s in pairs if m in m_index and s in s_index
    ]
    return np.unique(np.array(keys, np.int64))
