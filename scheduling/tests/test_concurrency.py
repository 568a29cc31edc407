"""Races between coordinators, settled by PostgreSQL: real threads, a barrier, many rounds."""
import threading
from collections import Counter

import pytest
from django.db import connection

from mentors.tests.factories import MentorFactory
from scheduling import services
from scheduling.models import Booking, Match
from scheduling.tests.factories import make_request
from schools.tests.factories import CoordinatorFactory, TeacherFactory

ROUNDS = 25


def race(*actions):
    """Run the actions at the same moment, each in its own thread and connection; return their outcomes."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            action()
            outcomes[index] = "ok"
        except services.MatchError as exc:
            outcomes[index] = exc.code
        except Exception as exc:  # noqa: BLE001 - an unexpected failure must show in the assertion
            outcomes[index] = f"unexpected {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


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
    seen = Counter()
    for round_ in range(ROUNDS):
        mentor = MentorFactory(company__alliance=teacher.school.alliance)
        one = proposal(teacher, mentor, hour=10, topic=f"Robots {round_}")
        other = proposal(teacher, mentor, hour=10, topic=f"Coding {round_}")
        outcomes = race(lambda m=one: services.approve_match(match_id=m.pk, actor=alice),
                        lambda m=other: services.approve_match(match_id=m.pk, actor=bob))
        seen.update(outcomes)
        assert sorted(outcomes) == ["mentor_double_booked", "ok"], outcomes
        assert Booking.objects.filter(mentor=mentor, active=True).count() == 1
        assert Match.objects.filter(mentor=mentor, status="approved").count() == 1
    assert seen == {"ok": ROUNDS, "mentor_double_booked": ROUNDS}


def test_two_approvals_for_the_last_seat_let_exactly_one_through(people):
    teacher, alice, bob = people
    for round_ in range(ROUNDS):
        session = make_request(teacher, topic=f"Robots {round_}", hour=8 + round_ % 8).sessions.get()
        one, other = (Match.objects.create(session=session, mentor=MentorFactory(), score=0.5) for _ in range(2))
        outcomes = race(lambda m=one: services.approve_match(match_id=m.pk, actor=alice),
                        lambda m=other: services.approve_match(match_id=m.pk, actor=bob))
        assert sorted(outcomes) == ["ok", "session_full"], outcomes
        assert session.matches.filter(status="approved").count() == 1


def test_an_approval_racing_a_rejection_ends_in_one_state_with_one_audit_entry(people):
    teacher, alice, bob = people
    for round_ in range(ROUNDS):
        match = proposal(teacher, MentorFactory(), hour=8 + round_ % 8, topic=f"Robots {round_}")
        outcomes = race(lambda m=match: services.approve_match(match_id=m.pk, actor=alice),
                        lambda m=match: services.reject_match(match_id=m.pk, actor=bob, reason="not a fit"))
        assert sorted(outcomes) == ["ok", "transition_not_allowed"], outcomes
        match.refresh_from_db()
        assert match.status in ("approved", "rejected")
        assert match.transitions.count() == 1


def test_two_coordinators_changing_different_weights_at_once_both_keep_their_change(people):
    from alliances.models import Alliance
    from alliances.services import update_matching_weights

    teacher, alice, bob = people
    alliance = teacher.school.alliance
    for round_ in range(ROUNDS):
        distance, fairness = 1 + round_ / 100, 2 + round_ / 100
        outcomes = race(
            lambda d=distance: update_matching_weights(alliance=alliance, by=alice, distance=d),
            lambda f=fairness: update_matching_weights(alliance=alliance, by=bob, fairness=f),
        )
        assert outcomes == ["ok", "ok"]
        saved = Alliance.objects.get(pk=alliance.pk)
        assert (saved.weight_distance, saved.weight_fairness) == (distance, fairness)
