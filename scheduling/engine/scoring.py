"""The pair score: named parts that add up to it, each a weight times a 0..1 fit.

Scores are kept as integers in units of 1/SCALE (0.0001), part by part, so the
parts add up to the score exactly and the optimiser compares integers.
"""
from __future__ import annotations

import numpy as np

from .arrays import IN_PERSON, ProblemArrays
from .rules import pair_distance_km, skill_matches
from .spec import PARTS, Weights

SCALE = 10_000


def score_parts(a: ProblemArrays, m, s, weights: Weights) -> np.ndarray:
    """Integer parts (units of 1/SCALE), shape [len(PARTS), n_pairs]; their column sums are the scores."""
    raw = np.vstack([
        _skills_fit(a, m, s),
        _distance_fit(a, m, s),
        1.0 / (1.0 + a.load[m]),
        _language_fit(a, m, s),
        np.isin(a.pair_keys(m, s), a.continuity).astype(float),
        a.rating[m],
    ])
    w = np.array([getattr(weights, name) for name in PARTS], float)[:, None]
    return np.rint(raw * w * SCALE).astype(np.int64)


def reasons_of(parts_column) -> dict[str, float]:
    """The non-zero parts of one pair by name, in score units."""
    return {name: int(v) / SCALE for name, v in zip(PARTS, parts_column, strict=True) if v}


def _skills_fit(a, m, s):
    asked = a.skill_ptr[s + 1] - a.skill_ptr[s]
    return np.where(asked > 0, skill_matches(a, m, s) / np.maximum(asked, 1), 0.0)


def _distance_fit(a, m, s):
    in_person = a.format[s] == IN_PERSON
    with np.errstate(invalid="ignore", divide="ignore"):
        d = pair_distance_km(a, m, s)
        travel = a.travel_km[m]
        fit = np.where(travel > 0, 1.0 - d / travel, np.where(d <= 0, 1.0, 0.0))
    fit = np.clip(np.nan_to_num(fit, nan=0.0), 0.0, 1.0)
    return np.where(in_person, fit, 0.0)


def _language_fit(a, m, s):
    lang = a.language[s]
    asks = lang >= 0
    fit = np.zeros(len(m))
    fit[asks] = a.speaks[lang[asks], m[asks]]
    return fit
