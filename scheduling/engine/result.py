"""What a run returns, and its JSON form (shared/matching-problem.md)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Assignment:
    """One seat filled: a mentor for a session, with the score and its parts."""

    session: str
    mentor: str
    score: float
    reasons: dict[str, float]


@dataclass(frozen=True)
class Unfilled:
    """A session left short of mentors, and why, in words a coordinator can act on."""

    session: str
    missing: int
    why: str


@dataclass(frozen=True)
class Candidate:
    """A feasible pair and its score (listed on request)."""

    session: str
    mentor: str
    score: float
    reasons: dict[str, float] = field(default_factory=dict)


@dataclass
class Result:
    """Assignments, unfilled sessions, statistics and optionally every candidate pair."""

    assignments: list[Assignment]
    unfilled: list[Unfilled]
    stats: dict
    candidates: list[Candidate] | None = None

    def to_dict(self) -> dict:
        """The result file's JSON object; ``candidates`` only when they were requested."""
        out = {
            "assignments": [
                {"session": a.session, "mentor": a.mentor, "score": a.score, "reasons": dict(a.reasons)}
                for a in self.assignments
            ],
            "unfilled": [{"session": u.session, "missing": u.missing, "why": u.why} for u in self.unfilled],
            "stats": dict(self.stats),
        }
        if self.candidates is not None:
            out["candidates"] = [{"session": c.session, "mentor": c.mentor, "score": c.score} for c in self.candidates]
        return out
