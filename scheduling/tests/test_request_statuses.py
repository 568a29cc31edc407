"""A matching run refreshes its requests' statuses in one batch: the same statuses as one at a time."""
import pytest

from mentors.tests.factories import MentorFactory
from scheduling.models import Match
from scheduling.request_status import refresh_request_status, refresh_request_statuses
from scheduling.tests.factories import make_request
from schools.models import MentorRequest
from schools.tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db
S, R = Match.Status, MentorRequest.Status


def test_the_batch_derives_what_one_at_a_time_derives():
    teacher = TeacherFactory()
    alliance = teacher.school.alliance
    cases = {"none": [], "proposed": [S.PROPOSED], "declined": [S.DECLINED], "confirmed": [S.CONFIRMED],
             "completed": [S.COMPLETED], "half": [S.CONFIRMED, S.DECLINED], "two-needed": [S.CONFIRMED]}
    requests = {}
    for hour, (name, statuses) in enumerate(cases.items(), start=8):
        request = make_request(teacher, hour=hour, mentors_needed=2 if name == "two-needed" else 1)
        for status in statuses:
            Match.objects.create(session=request.sessions.get(), mentor=MentorFactory(company__alliance=alliance),
                                 score=0.5, status=status)
        requests[name] = request.pk
    cancelled = make_request(teacher, hour=16)
    MentorRequest.objects.filter(pk=cancelled.pk).update(status=R.CANCELLED)
    ids = [*requests.values(), cancelled.pk]

    def statuses():
        return dict(MentorRequest.objects.filter(pk__in=ids).values_list("pk", "status"))

    MentorRequest.objects.filter(pk__in=requests.values()).update(status=R.SUBMITTED)
    refresh_request_statuses(set(ids))
    batch = statuses()
    MentorRequest.objects.filter(pk__in=requests.values()).update(status=R.SUBMITTED)
    for pk in ids:
        refresh_request_status(pk)
    assert batch == statuses()
    assert batch[requests["proposed"]] == R.PROPOSED and batch[requests["declined"]] == R.MATCHING
    assert batch[requests["confirmed"]] == R.CONFIRMED and batch[requests["two-needed"]] == R.PROPOSED
    assert batch[requests["completed"]] == R.COMPLETED and batch[cancelled.pk] == R.CANCELLED
