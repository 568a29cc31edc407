"""Row locks, always taken in one order: mentor, then request, then session, then match, then booking.

    Mentor (shared)  ->  MentorRequest  ->  Session  ->  Match  ->  Booking   (notification rows are written last)

Two transactions that take the same locks in opposite orders can each hold what the other waits for, and
PostgreSQL ends one of them with "deadlock detected". So every service that locks more than one of these
rows takes them top-down, through the helpers here:

- A service that starts from a match reads the match's mentor, request and session ids without a lock, takes
  a shared lock on the mentor, locks the request, the session and the match (`lock_match`), and only then
  looks at the match's status and the mentor's vetting: whatever it read before the locks may be stale.
  The shared lock lets approvals of one mentor for different sessions run side by side, but waits for a
  suspension or a check recorded as failed (`scheduling.vetting` locks the mentor for update, first of
  all), so the safety gate never reads a vetting state that is being changed under it.
- Several rows of one kind are locked in ascending id order (`lock_requests`, `lock_sessions`).
- A conditional UPDATE (a compare-and-set) or a DELETE locks the rows it touches as `select_for_update`
  does, so it may only touch rows of a kind below the ones already locked, or rows already locked.
- Bookings are inserted or released only while their match is locked.
- A new booking first takes its mentor's booking lock (`lock_mentor_bookings`, an advisory lock, the last
  lock of all): two concurrent inserts into the exclusion constraint could otherwise each wait on the other.
- A matching run takes its alliance's advisory lock (`matching.lock_alliance`) before any of these, and an
  alliance's weights row is locked alone.
"""
from django.db import connection

from mentors.models import Mentor
from schools.models import MentorRequest

from .models import Match, Session

MATCH_RELATED = ("session__request__school__alliance", "session__request__teacher__user",
                 "session__request__partner_staff__user",
                 "mentor__user", "mentor__company")


def lock_request(request_id):
    """The request, locked until the transaction ends (the first lock of any service that takes several)."""
    return MentorRequest.objects.select_for_update().get(pk=request_id)


def lock_requests(request_ids):
    """Several requests, locked in id order."""
    return list(MentorRequest.objects.select_for_update().filter(pk__in=request_ids).order_by("pk"))


def lock_sessions(session_ids):
    """Several sessions, locked in id order; take their requests' locks first."""
    return list(Session.objects.select_for_update().filter(pk__in=session_ids).order_by("pk"))


def share_mentor(mentor_id):
    """Hold the mentor's vetting still until the transaction ends (FOR SHARE: the first lock of the order)."""
    if connection.vendor != "postgresql":
        return  # SQLite serialises every write transaction
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {Mentor._meta.db_table} WHERE id = %s FOR SHARE", [mentor_id])


def lock_match(match_id):
    """The match with its mentor (shared), request and session locked before it, in that order; fresh from
    the database.

    Raises Match.DoesNotExist for an unknown id. A match never moves to another session or mentor, so the ids
    read before the locks still name its mentor, request and session once they are held.
    """
    mentor_id, request_id, session_id = (
        Match.objects.values_list("mentor_id", "session__request_id", "session_id").get(pk=match_id))
    share_mentor(mentor_id)
    lock_request(request_id)
    lock_sessions([session_id])
    return Match.objects.select_for_update(of=("self",)).select_related(*MATCH_RELATED).get(pk=match_id)


def lock_matches(matches):
    """Several matches (a queryset), locked in id order; take their requests' and sessions' locks first."""
    return list(matches.select_for_update(of=("self",)).select_related(*MATCH_RELATED).order_by("pk"))


BOOKING_LOCK_NAMESPACE = 0x4D43  # apart from matching's alliance locks (0x4D42)


def lock_mentor_bookings(mentor_id):
    """Serialise new bookings of one mentor until the transaction ends (the last lock in the order).

    Two transactions inserting overlapping bookings for one mentor would each wait on the other's row in the
    exclusion constraint, and PostgreSQL would end one with "deadlock detected"; with this lock the second
    waits, then sees the first's booking and is refused cleanly.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [BOOKING_LOCK_NAMESPACE, mentor_id])
