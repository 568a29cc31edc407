"""The people most impact tests need, shared with scheduling's tests: a teacher, a coordinator of their
alliance, a vetted mentor."""
from scheduling.tests.conftest import coordinator, mentor, teacher

__all__ = ["coordinator", "mentor", "teacher"]
