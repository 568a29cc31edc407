"""Matching fanned out per alliance gives exactly what alliance-week runs one after another gave; every
run (a new request, a freed seat, a coordinator's re-run) goes through the same alliance task."""
import threading
from datetime import datetime

import pytest
from django.db import connection, connections

from conftest import wait_for
from mentors.models import AvailabilityWindow, Mentor
from mentors.tests.factories import MentorFactory
from scheduling import matching, seeding, services, tasks
from scheduling.models import Match, MatchingRun, Session
from scheduling.tests.factories import make_request

SMALL = seeding.Shape(alliances=3, mentors=60, sessions=25, weeks=3)


def todays_mentor_specs(alliance_id, start, end):
    """The mentors as the engine saw them before rosters: one ORM instance per mentor (the reference)."""
    mentors = (Mentor.objects.filter(company__alliance_id=alliance_id, status=Mentor.Status.APPROVED)
               .filter(availability__isnull=False).distinct()
               .prefetch_related("skills", "availability", "blackout_dates"))
    specs = {s.id: s for s in matching._mentor_specs(alliance_id, start, end)}
    return {m.pk: (frozenset(s.slug for s in m.skills.all()), frozenset(m.grade_bands), frozenset(m.formats),
                   frozenset(m.languages), m.location, float(m.travel_km), m.cleared_through(),
                   matching.weekly_windows(m, start, end)) for m in mentors}, specs


def proposals():
    return sorted(Match.objects.filter(status=Match.Status.PROPOSED)
                  .values_list("mentor_id", "session_id", "score", "reasons"), key=lambda row: row[:2])


def forget_proposals():
    Match.objects.filter(status=Match.Status.PROPOSED).delete()
    MatchingRun.objects.all().delete()


def seed_small():
    start = datetime.fromisoformat(tasks.horizon_weeks(1)[0][0])
    return seeding.seed(SMALL, tag="fan", start=start)


def sequential_runs(alliance_ids, windows):
    """What plan_matching queued before: one run per alliance-week, alliance by alliance."""
    for alliance_id in alliance_ids:
        for window_start, window_end in windows:
            tasks.run_matching(alliance_id, window_start, window_end)


@pytest.mark.django_db
def test_a_roster_gives_the_engine_the_same_mentors_as_model_instances_did():
    alliance_ids = seed_small()
    AvailabilityWindow.objects.filter(mentor=Mentor.objects.filter(company__alliance_id=alliance_ids[0]).first()
                                      ).delete()  # never free: left out, as before
    start, end = (datetime.fromisoformat(t) for t in tasks.horizon_weeks(2)[1])
    reference, specs = todays_mentor_specs(alliance_ids[0], start, end)
    assert len(reference) == SMALL.mentors - 1
    assert {matching.pk_of(key) for key in specs} == set(reference)
    for pk, (skills, bands, formats, languages, location, travel, cleared, windows) in reference.items():
        spec = specs[matching.mentor_key(pk)]
        assert (spec.skills, spec.grade_bands, spec.formats, spec.languages, spec.location, spec.travel_km,
                spec.background_check_expires, spec.availability) == (
            skills, bands, formats, languages, location, travel, cleared, windows)


@pytest.mark.django_db
def test_one_task_per_alliance_proposes_exactly_what_alliance_week_runs_did():
    alliance_ids = seed_small()
    windows = tasks.horizon_weeks(SMALL.weeks)
    sequential_runs(alliance_ids, windows)
    before = proposals()
    assert len(before) > 20
    forget_proposals()
    for alliance_id in tasks.plan_order():
        tasks.match_alliance.apply(args=(alliance_id, windows)).get()
    assert proposals() == before
    assert MatchingRun.objects.count() == len(alliance_ids) * SMALL.weeks


@pytest.mark.django_db
def test_the_plan_queues_one_task_per_alliance_biggest_first(monkeypatch):
    alliance_ids = seed_small()
    Mentor.objects.filter(company__alliance_id=alliance_ids[0], pk__in=Mentor.objects.filter(
        company__alliance_id=alliance_ids[0]).values("pk")[:30]).update(status=Mentor.Status.SUSPENDED)
    queued = []
    monkeypatch.setattr(tasks.match_alliance, "delay", lambda *args: queued.append(args))
    assert tasks.plan_matching(weeks=2) == 3
    assert [alliance for alliance, _ in queued] == [alliance_ids[1], alliance_ids[2], alliance_ids[0]]
    assert all(windows == tasks.horizon_weeks(2) for _, windows in queued)


def hold_alliance_lock(alliance_id, held, release):
    with connections["default"].cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [matching.ADVISORY_LOCK_NAMESPACE, alliance_id])
        held.set()
        release.wait(30)
        cursor.execute("ROLLBACK")
    connections["default"].close()


@pytest.mark.django_db(transaction=True)
def test_a_busy_alliance_goes_back_to_the_queue_with_the_weeks_not_yet_run(monkeypatch):
    alliance_id = seed_small()[0]
    windows = tasks.horizon_weeks(2)
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_alliance_lock, args=(alliance_id, held, release))
    holder.start()
    try:
        held.wait(10)
        retried = []

        def retry(*, args, kwargs, countdown):
            retried.append((args, kwargs, countdown))
            return RuntimeError("re-queued")

        monkeypatch.setattr(tasks.match_alliance, "retry", retry)
        with pytest.raises(RuntimeError, match="re-queued"):
            tasks.match_alliance.run(alliance_id, windows)
    finally:
        release.set()
        holder.join()
    assert retried == [((alliance_id, windows), {"session_ids": None}, tasks.BUSY_RETRY_SECONDS)]
    assert not MatchingRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_after_a_busy_week_only_the_rest_is_re_queued(monkeypatch):
    alliance_id = seed_small()[0]
    windows = tasks.horizon_weeks(3)
    real = matching.propose_matches
    calls = []

    def busy_on_the_second_week(**kwargs):
        calls.append(kwargs["window_start"])
        if len(calls) == 2:
            raise matching.AllianceBusy(alliance_id)
        return real(**kwargs)

    monkeypatch.setattr(matching, "propose_matches", busy_on_the_second_week)
    with pytest.raises(matching.AllianceBusy) as busy:
        matching.run_weeks(alliance_id=alliance_id, windows=[
            (datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in windows])
    assert busy.value.done == 1
    assert MatchingRun.objects.count() == 1


@pytest.mark.worker
def test_two_real_workers_draining_the_plan_propose_what_sequential_runs_did(celery_worker_process, settings):
    if connection.vendor != "postgresql":
        pytest.fail("needs PostgreSQL")
    alliance_ids = seed_small()
    windows = tasks.horizon_weeks(SMALL.weeks)
    sequential_runs(alliance_ids, windows)
    before = proposals()
    forget_proposals()
    celery_worker_process()
    celery_worker_process()
    tasks.plan_matching.apply(kwargs={"weeks": SMALL.weeks})
    wait_for(lambda: MatchingRun.objects.count() == len(alliance_ids) * SMALL.weeks, timeout=120,
             message="every alliance-week run")
    assert proposals() == before



# --- every other run goes through the same task --------------------------------------------------

def run_at_once(monkeypatch):
    """match_alliance.delay runs the task here and now (as a worker would), recording what was queued."""
    queued = []

    def delay(*args, **kwargs):
        queued.append((args, kwargs))
        tasks.match_alliance.apply(args=args, kwargs=kwargs).get()

    monkeypatch.setattr(tasks.match_alliance, "delay", delay)
    return queued


@pytest.mark.django_db
def test_a_new_request_is_matched_by_an_alliance_task(teacher, django_capture_on_commit_callbacks, monkeypatch):
    mentor = MentorFactory(company__alliance=teacher.school.alliance)
    queued = run_at_once(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(teacher)
    session = request.sessions.get()
    [((alliance_id, windows), kwargs)] = queued
    assert (alliance_id, kwargs) == (teacher.school.alliance_id, {})
    assert datetime.fromisoformat(windows[0][0]) <= session.starts_at < datetime.fromisoformat(windows[0][1])
    assert Match.objects.get(session=session).mentor == mentor


@pytest.mark.django_db
def test_a_freed_seat_is_backfilled_by_an_alliance_task_for_that_session_alone(
    teacher, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    first, second = (MentorFactory(company__alliance=teacher.school.alliance) for _ in range(2))
    mine, other = make_request(teacher, hour=10), make_request(teacher, hour=14, topic="Coding games")
    match = Match.objects.create(session=mine.sessions.get(), mentor=first, score=0.5)
    theirs = Match.objects.create(session=other.sessions.get(), mentor=first, score=0.5)
    services.approve_match(match_id=match.pk, actor=coordinator.user)
    queued = run_at_once(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_match(match_id=match.pk, via="sms")
    assert [kwargs for _, kwargs in queued] == [{"session_ids": [match.session_id]}]
    assert Match.objects.get(session=match.session, status="proposed").mentor == second
    assert Match.objects.get(pk=theirs.pk).mentor == first  # the other session's proposal was left alone
    assert MatchingRun.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_backfill_that_finds_its_alliance_busy_goes_back_to_the_queue_with_its_session(monkeypatch):
    alliance_id = seed_small()[0]
    session_id = Session.objects.filter(alliance_id=alliance_id).values_list("pk", flat=True).first()
    windows = tasks.horizon_weeks(1)
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_alliance_lock, args=(alliance_id, held, release))
    holder.start()
    try:
        held.wait(10)
        retried = []
        monkeypatch.setattr(tasks.match_alliance, "retry",
                            lambda **retry: retried.append(retry) or RuntimeError("re-queued"))
        with pytest.raises(RuntimeError, match="re-queued"):
            tasks.match_alliance.run(alliance_id, windows, session_ids=[session_id])
    finally:
        release.set()
        holder.join()
    assert retried == [{"args": (alliance_id, windows), "kwargs": {"session_ids": [session_id]},
                        "countdown": tasks.BUSY_RETRY_SECONDS}]
