"""Services that lock more than one row take them in one order (mentor, request, session, match, booking).

Each test races two services that touch the same request, with real threads on PostgreSQL, for many rounds.
Taken in opposite orders, the locks deadlock and PostgreSQL kills one side ("deadlock detected", a 500);
taken in one order, the two simply queue. Every round must end cleanly: no unexpected error, one of the
allowed end states, one audit row per status change, and no booking held by a match that is not booked.
"""
from datetime import UTC, datetime, timedelta

import pytest

from mentors.tests.factories import MentorFactory
from notifications import services as outbox
from scheduling import matching, requests, services, vetting
from scheduling.models import Booking, Match
from scheduling.tests.factories import make_request, next_weekday
from schools.models import MentorRequest
from schools.tests.factories import CoordinatorFactory, TeacherFactory
from testsupport.races import race

ROUNDS = 30
INVITED = [("proposed", "approved"), ("approved", "invited")]
WINDOW = {"window_start": datetime(2020, 1, 1, tzinfo=UTC), "window_end": datetime(2100, 1, 1, tzinfo=UTC)}


@pytest.fixture
def people(transactional_db):
    teacher = TeacherFactory()
    return teacher, CoordinatorFactory(alliance=teacher.school.alliance).user


def _day(number):
    return next_weekday() + timedelta(weeks=number % 8)


def _proposal(teacher, number):
    request = make_request(teacher, day=_day(number), topic=f"Robots {number}")
    mentor = MentorFactory(company__alliance=teacher.school.alliance)
    return Match.objects.create(session=request.sessions.get(), mentor=mentor, score=0.5)


def _invited(teacher, coordinator, number):
    match = _proposal(teacher, number)
    services.approve_match(match_id=match.pk, actor=coordinator)
    return services.mark_match_invited(match_id=match.pk)


def _later(match):
    """The same day, three hours later: a move the mentor can follow."""
    start = match.session.starts_at + timedelta(hours=3)
    return [(start, start + timedelta(hours=1))]


def _trail(match):
    return [(t.from_status, t.to_status) for t in match.transitions.order_by("pk")]


def _booked_at(match):
    return sorted(Booking.objects.filter(match=match, active=True).values_list("starts_at", "ends_at"))


def assert_clean(rounds, check):
    """Every round ended cleanly: `check(codes, match)` found nothing wrong (it returns what was)."""
    problems = []
    for played in rounds:
        wrong = check(played.codes, Match.objects.get(pk=played.state.pk))
        if wrong:
            problems.append((played.number, played.codes, wrong))
    assert problems == [], f"{len(problems)} of {len(rounds)} rounds went wrong, first: {problems[0]}"


def _race_against_reschedule(answer, *, teacher, setup, ends):
    """Race `answer(match)` against the teacher moving the session three hours later. Every round, both succeed,
    the match ends as `ends` (a (status, trail) pair), and its booking is at the session's new time."""

    def check(codes, match):
        session = match.session
        if codes != ["ok", "ok"]:
            return "both must succeed"
        if (match.status, _trail(match)) != ends:
            return f"ended {match.status} after {_trail(match)}"
        if session.revision != 1 or _booked_at(match) != [(session.starts_at, session.ends_at)]:
            return f"booked {_booked_at(match)} for a session now at {session.starts_at}"
        return ""

    rounds = race(
        answer,
        lambda m: requests.reschedule_request(request_id=m.session.request_id, actor=teacher.user,
                                              intervals=_later(m)),
        rounds=ROUNDS, setup=setup,
    )
    assert_clean(rounds, check)


def test_approving_while_the_teacher_moves_the_session_books_the_new_time(people):
    teacher, coordinator = people
    _race_against_reschedule(
        lambda m: services.approve_match(match_id=m.pk, actor=coordinator),
        teacher=teacher, setup=lambda n: _proposal(teacher, n), ends=("approved", [("proposed", "approved")]),
    )


def test_confirming_while_the_teacher_moves_the_session_keeps_the_mentor_at_the_new_time(people, settings):
    settings.RECONFIRM_MARGIN_MINUTES = 60 * 24 * 365  # within the margin: the mentor stays confirmed
    teacher, coordinator = people
    _race_against_reschedule(
        lambda m: services.confirm_match(match_id=m.pk, via="sms"),
        teacher=teacher, setup=lambda n: _invited(teacher, coordinator, n),
        ends=("confirmed", [*INVITED, ("invited", "confirmed")]),
    )


def _race_against_cancel_request(answer, *, teacher, setup, won_first, lost_to_cancel):
    """Race `answer(match)` against the teacher cancelling the request. Every round, the request ends cancelled
    with no booking left, and either the answer landed first (codes ok, ok: the match ends as `won_first`) or
    the cancel did and the answer got a 409 (the match ends as `lost_to_cancel`); each a (status, trail) pair."""

    def check(codes, match):
        request = MentorRequest.objects.get(pk=match.session.request_id)
        if request.status != MentorRequest.Status.CANCELLED:
            return f"request left {request.status}"
        if _booked_at(match):
            return f"{match.status} match still holds {_booked_at(match)}"
        allowed = {("ok", "ok"): won_first, ("transition_not_allowed", "ok"): lost_to_cancel}.get(tuple(codes))
        if (match.status, _trail(match)) != allowed:
            return f"ended {match.status} after {_trail(match)}, expected {allowed}"
        return ""

    rounds = race(
        answer,
        lambda m: services.cancel_request(request_id=m.session.request_id, actor=teacher.user, reason="snow day"),
        rounds=ROUNDS, setup=setup,
    )
    assert_clean(rounds, check)


def test_confirming_while_the_teacher_cancels_the_request_ends_cancelled_either_way(people):
    teacher, coordinator = people
    _race_against_cancel_request(
        lambda m: services.confirm_match(match_id=m.pk, via="sms"),
        teacher=teacher, setup=lambda n: _invited(teacher, coordinator, n),
        won_first=("cancelled", [*INVITED, ("invited", "confirmed"), ("confirmed", "cancelled")]),
        lost_to_cancel=("cancelled", [*INVITED, ("invited", "cancelled")]),
    )


def test_declining_while_the_teacher_cancels_the_request_frees_the_mentor_either_way(people):
    teacher, coordinator = people
    _race_against_cancel_request(
        lambda m: services.decline_match(match_id=m.pk, via="sms", reason="busy"),
        teacher=teacher, setup=lambda n: _invited(teacher, coordinator, n),
        won_first=("declined", [*INVITED, ("invited", "declined")]),
        lost_to_cancel=("cancelled", [*INVITED, ("invited", "cancelled")]),
    )


def test_approving_while_the_teacher_cancels_the_request_leaves_no_booking(people):
    teacher, coordinator = people
    _race_against_cancel_request(
        lambda m: services.approve_match(match_id=m.pk, actor=coordinator),
        teacher=teacher, setup=lambda n: _proposal(teacher, n),
        won_first=("cancelled", [("proposed", "approved"), ("approved", "cancelled")]),
        lost_to_cancel=("cancelled", [("proposed", "cancelled")]),
    )


def test_approving_while_matching_runs_again_keeps_the_approval(people):
    teacher, coordinator = people

    def proposed_by_the_engine(number):
        make_request(teacher, day=_day(number), hour=9 + number % 6, topic=f"Robots {number}")
        MentorFactory(company__alliance=teacher.school.alliance)
        matching.propose_matches(alliance_id=teacher.school.alliance_id, **WINDOW)
        return Match.objects.filter(status="proposed").latest("pk")

    def check(codes, match):
        if codes != ["ok", "ok"]:
            return "both must succeed"
        if (match.status, _trail(match)) != ("approved", [("proposed", "approved")]):
            return f"ended {match.status} after {_trail(match)}"
        if len(_booked_at(match)) != 1:
            return f"booked {_booked_at(match)}"
        return ""

    rounds = race(
        lambda m: services.approve_match(match_id=m.pk, actor=coordinator),
        lambda m: matching.propose_matches(alliance_id=teacher.school.alliance_id, **WINDOW),
        rounds=ROUNDS, setup=proposed_by_the_engine,
    )
    assert_clean(rounds, check)


def test_recording_a_sent_invitation_while_the_session_moves_starts_the_clock_at_the_new_time(people):
    """The outbox records a text as sent, which starts the mentor's clock (the match becomes invited), while
    the teacher moves the session, which withdraws the invitations still waiting to go."""
    teacher, coordinator = people

    def approved(number):
        match = _proposal(teacher, number)
        return services.approve_match(match_id=match.pk, actor=coordinator)

    _race_against_reschedule(
        lambda m: outbox.record_sent(m.notifications.get(channel="sms", kind="invitation"), f"SM{m.pk:032d}"),
        teacher=teacher, setup=approved, ends=("invited", [("proposed", "approved"), ("approved", "invited")]),
    )


def _suspend(coordinator):
    return lambda m: vetting.suspend_volunteer(mentor_id=m.mentor_id, actor=coordinator, reason="under review")


def _race_against_suspension(answer, *, coordinator, setup, refused):
    """Race `answer(match)` against a coordinator suspending the match's mentor. Every round, the suspension
    succeeds and the suspended mentor ends with no booked match: either the answer landed first and the
    suspension withdrew the match (ok, ok), or the suspension did and the answer was refused with one of the
    codes `refused` (the safety gate, or the match already withdrawn). Read without a lock, the mentor would
    still look approved to the answer, which would then book a suspended volunteer into a classroom."""

    def check(codes, match):
        if codes[1] != "ok" or codes[0] not in {"ok", *refused}:
            return "the suspension must succeed and the answer succeed or be refused by the safety gate"
        if Match.objects.filter(mentor_id=match.mentor_id, status__in=Match.BOOKED).exists():
            return f"the suspended mentor is still booked ({match.status} after {_trail(match)})"
        if _booked_at(match):
            return f"{match.status} match still holds {_booked_at(match)}"
        return ""

    rounds = race(answer, _suspend(coordinator), rounds=ROUNDS, setup=setup)
    assert_clean(rounds, check)


def test_approving_while_the_mentor_is_suspended_never_books_a_suspended_mentor(people):
    teacher, coordinator = people
    _race_against_suspension(
        lambda m: services.approve_match(match_id=m.pk, actor=coordinator),
        coordinator=coordinator, setup=lambda n: _proposal(teacher, n), refused={"mentor_not_approved"},
    )


def test_confirming_while_the_mentor_is_suspended_never_confirms_a_suspended_mentor(people):
    teacher, coordinator = people
    _race_against_suspension(
        lambda m: services.confirm_match(match_id=m.pk, via="sms"),
        coordinator=coordinator, setup=lambda n: _invited(teacher, coordinator, n),
        refused={"invitation_withdrawn", "transition_not_allowed"},
    )


def test_recording_a_sent_invitation_while_the_mentor_is_suspended_leaves_nothing_booked(people):
    teacher, coordinator = people

    def approved(number):
        match = _proposal(teacher, number)
        return services.approve_match(match_id=match.pk, actor=coordinator)

    def sent(match):
        return outbox.record_sent(match.notifications.get(channel="sms", kind="invitation"), f"SM{match.pk:032d}")

    _race_against_suspension(sent, coordinator=coordinator, setup=approved, refused=set())
