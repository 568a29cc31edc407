"""Matching from the database: the problem built from rows, proposals written back, re-runs and backfill."""
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection

from mentors.models import AvailabilityWindow
from mentors.tests.factories import MentorFactory
from scheduling import matching, services
from scheduling.models import Match
from scheduling.tests.factories import make_request
from schools.tests.factories import CoordinatorFactory, TeacherFactory
from testsupport.races import race

WINDOW = {"window_start": datetime(2020, 1, 1, tzinfo=UTC), "window_end": datetime(2100, 1, 1, tzinfo=UTC)}


def run(teacher, **kwargs):
    return matching.propose_matches(alliance_id=teacher.school.alliance_id, **WINDOW, **kwargs)


@pytest.mark.django_db
def test_it_proposes_a_feasible_mentor_and_explains_the_score(teacher):
    make_request(teacher)
    mentor = MentorFactory(company__alliance=teacher.school.alliance)
    run(teacher)
    match = Match.objects.get()
    assert (match.mentor, match.status) == (mentor, "proposed")
    assert match.reasons and sum(match.reasons.values()) == pytest.approx(match.score)


@pytest.mark.django_db
def test_it_never_proposes_a_mentor_who_lacks_the_grade_band_or_is_too_far(teacher):
    make_request(teacher, grade_band="K-2")
    MentorFactory(company__alliance=teacher.school.alliance, grade_bands=["9-12"])
    MentorFactory(company__alliance=teacher.school.alliance, latitude=40.71, longitude=-74.0)  # New York City
    result = run(teacher)
    assert not Match.objects.exists()
    assert result.unfilled and result.unfilled[0]["missing"] == 1


@pytest.mark.django_db
def test_availability_is_read_in_the_mentors_own_timezone(teacher):
    make_request(teacher, hour=10)  # 10:00 New York
    mentor = MentorFactory(company__alliance=teacher.school.alliance, weekdays=[], timezone="America/Los_Angeles")
    for weekday in range(5):  # 7-8 am in Los Angeles is 10-11 am in New York
        AvailabilityWindow.objects.create(mentor=mentor, weekday=weekday, start_time=time(7), end_time=time(8))
    run(teacher)
    assert Match.objects.filter(mentor=mentor).exists()


@pytest.mark.django_db
def test_mentors_of_another_alliance_are_never_proposed(teacher):
    make_request(teacher)
    MentorFactory()  # a company in some other alliance
    run(teacher)
    assert not Match.objects.exists()


@pytest.mark.django_db
def test_running_twice_proposes_nothing_twice(teacher):
    make_request(teacher)
    MentorFactory(company__alliance=teacher.school.alliance)
    run(teacher)
    first = list(Match.objects.values_list("pk", "mentor_id", "session_id"))
    run(teacher)
    assert list(Match.objects.values_list("pk", "mentor_id", "session_id")) == first


@pytest.mark.django_db
def test_a_rejected_pair_is_never_proposed_again(teacher):
    make_request(teacher)
    alliance = teacher.school.alliance
    first, second = MentorFactory(company__alliance=alliance), MentorFactory(company__alliance=alliance)
    run(teacher)
    proposed = Match.objects.get(status="proposed")
    services.reject_match(match_id=proposed.pk, actor=None, reason="not a fit")
    run(teacher)
    again = Match.objects.get(status="proposed")
    assert again.mentor != proposed.mentor and again.mentor in (first, second)


@pytest.mark.django_db
def test_a_booked_mentor_is_busy_for_the_next_run(teacher):
    coordinator = CoordinatorFactory(alliance=teacher.school.alliance)
    mentor = MentorFactory(company__alliance=teacher.school.alliance)
    make_request(teacher, hour=10)
    run(teacher)
    services.approve_match(match_id=Match.objects.get().pk, actor=coordinator.user)
    make_request(teacher, hour=10, topic="Coding games")  # the same hour, another class
    run(teacher)
    assert Match.objects.filter(mentor=mentor).count() == 1


@pytest.mark.django_db
def test_the_monthly_cap_counts_booked_sessions(teacher):
    coordinator = CoordinatorFactory(alliance=teacher.school.alliance)
    MentorFactory(company__alliance=teacher.school.alliance, monthly_session_cap=1)
    make_request(teacher, hour=9)
    run(teacher)
    services.approve_match(match_id=Match.objects.get().pk, actor=coordinator.user)
    make_request(teacher, hour=13, topic="Coding games")
    run(teacher)
    assert Match.objects.count() == 1


@pytest.mark.django_db
def test_a_backfill_proposes_the_next_best_mentor_without_touching_other_sessions(teacher):
    coordinator = CoordinatorFactory(alliance=teacher.school.alliance)
    alliance = teacher.school.alliance
    MentorFactory(company__alliance=alliance)
    MentorFactory(company__alliance=alliance)
    request = make_request(teacher, hour=10)
    other = make_request(teacher, hour=14, topic="Coding games")
    run(teacher)
    mine = Match.objects.get(session__request=request)
    theirs = Match.objects.get(session__request=other)
    services.approve_match(match_id=mine.pk, actor=coordinator.user)
    services.decline_match(match_id=mine.pk, via="sms")
    matching.propose_matches(alliance_id=alliance.pk, **WINDOW, session_ids=[mine.session_id])
    replacement = Match.objects.get(session__request=request, status="proposed")
    assert replacement.mentor != mine.mentor
    assert Match.objects.get(pk=theirs.pk).mentor == theirs.mentor


def queries_to_build(alliance):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        problem = matching.build_problem(alliance_id=alliance.pk, **WINDOW)
    return len(captured), problem


@pytest.mark.django_db
def test_building_the_problem_takes_the_same_few_queries_however_many_rows(teacher):
    alliance = teacher.school.alliance
    make_request(teacher, hour=9)
    MentorFactory(company__alliance=alliance)
    few, _ = queries_to_build(alliance)
    for hour in (11, 13, 15):
        make_request(teacher, hour=hour)
    for _ in range(12):
        MentorFactory(company__alliance=alliance, skills=["robotics", "software"])
    many, problem = queries_to_build(alliance)
    assert (len(problem.mentors), len(problem.sessions)) == (13, 4)
    assert many == few <= 15


@pytest.mark.django_db(transaction=True)
def test_two_runs_for_one_alliance_never_overlap():
    """The advisory lock: a second run waits until the first has committed, so proposals never double."""
    teacher = TeacherFactory()
    make_request(teacher)
    MentorFactory(company__alliance=teacher.school.alliance)
    [played] = race(*[lambda: run(teacher)] * 4)
    assert played.codes == ["ok"] * 4
    assert Match.objects.count() == 1


def test_weekly_windows_follow_daylight_saving_time():
    from types import SimpleNamespace

    window = SimpleNamespace(weekday=1, start_time=time(15, 30), end_time=time(16, 30))
    mentor = SimpleNamespace(
        timezone="America/New_York",
        blackout_dates=SimpleNamespace(all=lambda: []), availability=SimpleNamespace(all=lambda: [window]),
    )
    summer = matching.weekly_windows(mentor, datetime(2027, 7, 6, tzinfo=UTC), datetime(2027, 7, 7, tzinfo=UTC))
    winter = matching.weekly_windows(mentor, datetime(2027, 1, 5, tzinfo=UTC), datetime(2027, 1, 6, tzinfo=UTC))
    assert summer[0][0] == datetime(2027, 7, 6, 19, 30, tzinfo=UTC)
    assert winter[0][0] == datetime(2027, 1, 5, 20, 30, tzinfo=UTC)
    assert timedelta(hours=1) == summer[0][1] - summer[0][0]


def near_and_far(teacher):
    """One class asking two skills; a mentor at the school with one of them, one 18 km away with both.

    Under the default weights the skills win (the far mentor); weigh distance heavily and the near one wins.
    """
    make_request(teacher, skills=("robotics", "biology"))
    alliance, school = teacher.school.alliance, teacher.school
    near = MentorFactory(company__alliance=alliance, skills=["robotics"], travel_km=25)
    far = MentorFactory(company__alliance=alliance, skills=["robotics", "biology"], travel_km=25,
                        latitude=school.latitude + 18 / 111.19, longitude=school.longitude)
    return near, far


@pytest.mark.django_db
def test_a_coordinator_sets_weights_and_the_next_run_scores_with_them(teacher):
    from alliances.services import set_matching_weights

    near, far = near_and_far(teacher)
    before = run(teacher)
    assert Match.objects.get(status="proposed").mentor == far
    assert before.weights == {"skills": 0.4, "distance": 0.2, "fairness": 0.2, "language": 0.05, "continuity": 0.15,
                              "rating": 0.0}
    coordinator = CoordinatorFactory(alliance=teacher.school.alliance)
    set_matching_weights(alliance=teacher.school.alliance, by=coordinator.user, skills=0.4, distance=2,
                         fairness=0.2, language=0.05, continuity=0.15)
    after = run(teacher)
    match = Match.objects.get(status="proposed")
    assert match.mentor == near
    assert match.reasons["distance"] == pytest.approx(2.0)
    assert after.weights == {"skills": 0.4, "distance": 2.0, "fairness": 0.2, "language": 0.05, "continuity": 0.15,
                             "rating": 0.0}


@pytest.mark.django_db
def test_the_matching_task_and_the_swap_candidates_score_with_the_alliances_weights(teacher):
    from alliances.services import set_matching_weights
    from scheduling import selectors, tasks

    near, far = near_and_far(teacher)
    alliance = teacher.school.alliance
    set_matching_weights(alliance=alliance, by=None, skills=0.4, distance=2, fairness=0.2, language=0.05,
                         continuity=0.15)
    tasks.match_alliance.apply(args=(alliance.pk, [[WINDOW["window_start"].isoformat(),
                                                    WINDOW["window_end"].isoformat()]])).get()
    match = Match.objects.get(status="proposed")
    assert match.mentor == near
    assert alliance.matching_runs.get().weights["distance"] == 2.0
    assert [mentor for mentor, _, _ in selectors.ranked_candidates(match.session)] == [near, far]


@pytest.mark.django_db
def test_weights_passed_to_a_run_override_the_alliances_and_are_recorded(teacher):
    from scheduling.engine import Weights

    near, _ = near_and_far(teacher)
    recorded = run(teacher, weights=Weights(distance=2.0)).weights
    assert Match.objects.get(status="proposed").mentor == near
    assert recorded["distance"] == 2.0


@pytest.mark.django_db
def test_nothing_is_proposed_on_an_alliance_closed_day(teacher):
    from alliances.models import ClosedDay

    request = make_request(teacher)
    MentorFactory(company__alliance=teacher.school.alliance)
    ClosedDay.objects.create(alliance=teacher.school.alliance, date=request.sessions.get().starts_at.date(),
                             name="Snow day")
    run(teacher)
    assert not Match.objects.exists()


@pytest.mark.django_db
def test_a_schools_closed_day_removes_only_that_week_of_a_series(teacher):
    from schools.models import SchoolClosedDay

    request = make_request(teacher, weeks=3)
    session = request.sessions.get()
    second = session.intervals.all()[1]
    SchoolClosedDay.objects.create(school=teacher.school, date=second.starts_at.date(), name="State testing")
    problem = matching.build_problem(alliance_id=teacher.school.alliance_id, **WINDOW)
    (spec,) = problem.sessions
    assert len(spec.intervals) == 2 and (second.starts_at, second.ends_at) not in spec.intervals
    other_school = TeacherFactory(school__alliance=teacher.school.alliance)
    make_request(other_school)
    assert len(matching.build_problem(alliance_id=teacher.school.alliance_id, **WINDOW).sessions) == 2
