"""The people most impact tests need: a teacher, a coordinator of their alliance, a vetted mentor."""
import pytest

from mentors.tests.factories import MentorFactory
from schools.tests.factories import CoordinatorFactory, TeacherFactory


@pytest.fixture
def teacher():
    return TeacherFactory()


@pytest.fixture
def coordinator(teacher):
    return CoordinatorFactory(alliance=teacher.school.alliance)


@pytest.fixture
def mentor(teacher):
    return MentorFactory(company__alliance=teacher.school.alliance)
