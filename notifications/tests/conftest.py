import pytest

from mentors.tests.factories import MentorFactory
from scheduling import services as scheduling
from scheduling.models import Match
from scheduling.tests.factories import make_request


@pytest.fixture(autouse=True)
def _no_send_rate_limit(settings):
    """The shared Redis bucket is tested on its own; elsewhere it would only slow tests down."""
    settings.TWILIO_MESSAGES_PER_SECOND = 0


@pytest.fixture
def propose(teacher):
    """`propose(**mentor_fields)`: a proposed match for a new request of the teacher."""

    def make(mentor=None, request_fields=None, **mentor_fields):
        request = make_request(teacher, **(request_fields or {}))
        mentor = mentor or MentorFactory(company__alliance=teacher.school.alliance, **mentor_fields)
        return Match.objects.create(session=request.sessions.get(), mentor=mentor, score=0.5, reasons={"skills": 0.5})

    return make


@pytest.fixture
def approved(propose, coordinator):
    """`approved(**mentor_fields)`: a match a coordinator approved (its invitation rows are written)."""

    def make(**fields):
        match = propose(**fields)
        return scheduling.approve_match(match_id=match.pk, actor=coordinator.user)

    return make
