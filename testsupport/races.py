"""The one thread-race harness: run callables at the same moment, each on its own thread and database connection.

    rounds = race(approve, reschedule, rounds=30, setup=a_booked_proposal)
    assert [r.codes for r in rounds if r.codes != ["ok", "ok"]] == []

Each round calls `setup(round_number)` on the calling thread (its value is passed to every callable), then
starts one thread per callable; a barrier releases them together. Every thread closes its database connection
when done, so PostgreSQL sees separate sessions and no connection outlives the test.
"""
import threading
from dataclasses import dataclass, field

from django.db import connection

BARRIER_TIMEOUT = 30  # seconds; only a broken test waits this long


@dataclass(frozen=True)
class Outcome:
    """What one callable did: returned `value`, or raised `error`."""

    value: object = None
    error: BaseException | None = None

    @property
    def code(self):
        """"ok", the `code` of a domain error (MatchError, ValidationError...), or "unexpected <error>" (a 500)."""
        if self.error is None:
            return "ok"
        code = getattr(self.error, "code", None)
        return code if isinstance(code, str) else f"unexpected {self.error!r}"


@dataclass(frozen=True)
class Round:
    """One round of a race: what `setup` returned and each callable's outcome, in the order given."""

    number: int
    state: object
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def codes(self):
        return [outcome.code for outcome in self.outcomes]


def race(*callables, rounds=1, setup=None):
    """Run `callables` together `rounds` times; return one `Round` per round.

    Without `setup` the callables take no argument; with it, each gets what `setup(number)` returned.
    """
    return [_one_round(number, callables, setup) for number in range(rounds)]


def _one_round(number, callables, setup):
    state = setup(number) if setup else None
    args = () if setup is None else (state,)
    barrier = threading.Barrier(len(callables), timeout=BARRIER_TIMEOUT)
    outcomes = [None] * len(callables)

    def run(index, action):
        try:
            barrier.wait()
            outcomes[index] = Outcome(value=action(*args))
        except Exception as exc:  # noqa: BLE001 - every failure is an outcome the test asserts on
            outcomes[index] = Outcome(error=exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Round(number=number, state=state, outcomes=outcomes)
