"""A request's status follows from its sessions' matches; every service that moves a match refreshes it."""
from schools.models import MentorRequest

from .locks import lock_request
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
