"""A request's status follows from its sessions' matches; every service that moves a match refreshes it."""
from schools.models import MentorRequest

from .locks import lock_request, lock_requests
from .models import Match, Session

S = Match.Status


def refresh_request_status(request_id):
    """Derive the request's status from its sessions' matches."""
    request = lock_request(request_id)
    if request.status == MentorRequest.Status.CANCELLED:
        return request
    statuses = list(Match.objects.filter(session__request=request).values_list("status", flat=True))
    needed = sum(request.sessions.exclude(status=Session.Status.CANCELLED).values_list("mentors_needed", flat=True))
    status = _derive_status(statuses, needed)
    if status != request.status:
        MentorRequest.objects.filter(pk=request.pk).update(status=status)
        request.status = status
    return request


def _derive_status(statuses, needed):
    R = MentorRequest.Status
    if needed and statuses.count(S.COMPLETED) >= needed:
        return R.COMPLETED
    if needed and statuses.count(S.CONFIRMED) + statuses.count(S.COMPLETED) >= needed:
        return R.CONFIRMED
    if any(s in (S.PROPOSED, S.APPROVED, S.INVITED, S.CONFIRMED) for s in statuses):
        return R.PROPOSED
    return R.MATCHING if statuses else R.SUBMITTED


def refresh_request_statuses(request_ids):
    """`refresh_request_status` for many requests in a handful of queries (a matching run's requests):
    the same derivation, the requests locked in id order, one UPDATE per status that changes."""
    requests = {r.pk: r for r in lock_requests(request_ids) if r.status != MentorRequest.Status.CANCELLED}
    if not requests:
        return
    statuses = {pk: [] for pk in requests}
    for request_id, status in Match.objects.filter(session__request_id__in=list(requests)).values_list(
            "session__request_id", "status"):
        statuses[request_id].append(status)
    needed = dict.fromkeys(requests, 0)
    seats_of = Session.objects.filter(request_id__in=list(requests)).exclude(status=Session.Status.CANCELLED)
    for request_id, seats in seats_of.values_list("request_id", "mentors_needed"):
        needed[request_id] += seats
    changed = {}
    for pk, request in requests.items():
        status = _derive_status(statuses[pk], needed[pk])
        if status != request.status:
            changed.setdefault(status, []).append(pk)
    for status, pks in changed.items():
        MentorRequest.objects.filter(pk__in=pks).update(status=status)
