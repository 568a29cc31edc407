"""The engine keeps its own copy of the domain's words (it imports nothing from the project): they must agree."""
from core import vocabulary
from scheduling import engine


def test_the_engine_and_the_core_name_the_same_grade_bands_and_formats():
    assert engine.GRADE_BANDS == vocabulary.GRADE_BANDS
    assert engine.FORMATS == vocabulary.FORMATS


def test_the_engine_and_the_core_score_the_same_parts_with_the_same_defaults():
    assert engine.PARTS == vocabulary.PARTS
    assert engine.Weights().as_dict() == vocabulary.DEFAULT_WEIGHTS
    assert engine.MAX_WEIGHT == vocabulary.MAX_WEIGHT


def test_the_engine_and_the_core_accept_the_same_weights():
    values = [0, 0.0, 1, 2.5, 10, 10.0, -0.01, 10.01, True, False, None, "1", float("nan"), float("inf")]
    assert [engine.is_weight(v) for v in values] == [vocabulary.is_weight(v) for v in values]
