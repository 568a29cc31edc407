"""Races between coordinators, settled by PostgreSQL: real threads, a barrier, many rounds."""
from collections import Counter

import pytest

from mentors.tests.factories import MentorFactory
from scheduling import services
from scheduling.models import Booking, Match
from scheduling.tests.factories import make_request
from schools.tests.factories import CoordinatorFactory, TeacherFactory
from testsupport.races import race

ROUNDS = 25


@pytest.fixture
def people(transactional_db):
    teacher = TeacherFactory()
    first = CoordinatorFactory(alliance=teacher.school.alliance)
    second = CoordinatorFactory(alliance=teacher.school.alliance)
    return teacher, first.user, second.user


def proposal(teacher, mentor, **fields):
    session = make_request(teacher, **fields).sessions.get()
    return Match.objects.create(session=session, mentor=mentor, score=0.5)


def test_two_approvals_that_would_double_book_a_mentor_let_exactly_one_through(people):
    teacher, alice, bob = people

    def two_proposals_at_one_time(round_):
        mentor = MentorFactory(company__alliance=teacher.school.alliance)
        return (proposal(teacher, mentor, hour=10, topic=f"Robots {round_}"),
                proposal(teacher, mentor, hour=10, topic=f"Coding {round_}"))

    rounds = race(lambda pair: services.approve_match(match_id=pair[0].pk, actor=alice),
                  lambda pair: services.approve_match(match_id=pair[1].pk, actor=bob),
                  rounds=ROUNDS, setup=two_proposals_at_one_time)
    seen = Counter()
    for played in rounds:
        mentor = played.state[0].mentor
        seen.update(played.codes)
        assert sorted(played.codes) == ["mentor_double_booked", "ok"], played.codes
        assert Booking.objects.filter(mentor=mentor, active=True).count() == 1
        assert Match.objects.filter(mentor=mentor, status="approved").count() == 1
    assert seen == {"ok": ROUNDS, "mentor_double_booked": ROUNDS}


def test_two_approvals_for_the_last_seat_let_exactly_one_through(people):
    teacher, alice, bob = people

    def two_proposals_for_one_seat(round_):
        session = make_request(teacher, topic=f"Robots {round_}", hour=8 + round_ % 8).sessions.get()
        return [Match.objects.create(session=session, mentor=MentorFactory(), score=0.5) for _ in range(2)]

    rounds = race(lambda pair: services.approve_match(match_id=pair[0].pk, actor=alice),
                  lambda pair: services.approve_match(match_id=pair[1].pk, actor=bob),
                  rounds=ROUNDS, setup=two_proposals_for_one_seat)
    for played in rounds:
        assert sorted(played.codes) == ["ok", "session_full"], played.codes
        assert played.state[0].session.matches.filter(status="approved").count() == 1


def test_an_approval_racing_a_rejection_ends_in_one_state_with_one_audit_entry(people):
    teacher, alice, bob = people
    rounds = race(lambda m: services.approve_match(match_id=m.pk, actor=alice),
                  lambda m: services.reject_match(match_id=m.pk, actor=bob, reason="not a fit"),
                  rounds=ROUNDS, setup=lambda n: proposal(teacher, MentorFactory(), hour=8 + n % 8, topic=f"R{n}"))
    for played in rounds:
        assert sorted(played.codes) == ["ok", "transition_not_allowed"], played.codes
        match = Match.objects.get(pk=played.state.pk)
        assert match.status in ("approved", "rejected")
        assert match.transitions.count() == 1


def test_two_coordinators_changing_different_weights_at_once_both_keep_their_change(people):
    from alliances.models import Alliance
    from alliances.services import update_matching_weights

    teacher, alice, bob = people
    alliance = teacher.school.alliance
    for round_ in range(ROUNDS):
        distance, fairness = 1 + round_ / 100, 2 + round_ / 100
        [played] = race(
            lambda d=distance: update_matching_weights(alliance=alliance, by=alice, distance=d),
            lambda f=fairness: update_matching_weights(alliance=alliance, by=bob, fairness=f),
        )
        assert played.codes == ["ok", "ok"]
        saved = Alliance.objects.get(pk=alliance.pk)
        assert (saved.weight_distance, saved.weight_fairness) == (distance, fairness)
