"""The domain's words every app shares: grade bands, formats and the parts of a pair's score.

The engine (`scheduling.engine`) imports nothing from the project, so it keeps its own copy of these as
constants of its file format; `core/tests/test_vocabulary.py` asserts the two agree.
"""
from django.db import models


class GradeBand(models.TextChoices):
    K_2 = "K-2", "grades K-2"
    G3_5 = "3-5", "grades 3-5"
    G6_8 = "6-8", "grades 6-8"
    G9_12 = "9-12", "grades 9-12"


class Format(models.TextChoices):
    IN_PERSON = "in_person", "in person"
    VIRTUAL = "virtual", "virtual"


GRADE_BANDS = tuple(GradeBand.values)
FORMATS = tuple(Format.values)

# The parts of a pair's score, each with its default weight (what an alliance starts with).
# "rating" (the volunteer's teacher rating, with a prior) starts at 0: an alliance opts in, and until it does
# every run scores exactly as before.
DEFAULT_WEIGHTS = {"skills": 0.4, "distance": 0.2, "fairness": 0.2, "language": 0.05, "continuity": 0.15,
                   "rating": 0.0}
PARTS = tuple(DEFAULT_WEIGHTS)
# A pair scores at most 5 x MAX_WEIGHT x 10,000 units; keeping weights this small keeps
# seat-weighted objectives of the largest runs exact in 64-bit floats (below 2**53).
MAX_WEIGHT = 10.0


def is_weight(value) -> bool:
    """Whether a value can be a score weight: a real number (not a bool) from 0 to MAX_WEIGHT."""
    return not isinstance(value, bool) and isinstance(value, int | float) and 0 <= value <= MAX_WEIGHT
