"""Delivery reports move a notification forward only: a late or out-of-order callback never moves it back."""
from .models import Notification

N = Notification.Status
RANK = {N.PENDING: 0, N.SENDING: 1, N.SENT: 2, N.DELIVERED: 3, N.FAILED: 3}
PROVIDER_STATUS = {
    "accepted": N.SENT, "queued": N.SENT, "sending": N.SENT, "sent": N.SENT,
    "delivered": N.DELIVERED, "undelivered": N.FAILED, "failed": N.FAILED,
}


def record_delivery_status(*, provider_id, provider_status, error_code=""):
    """Apply a provider's report to the notification it names; returns whether anything changed."""
    target = PROVIDER_STATUS.get(provider_status.lower())
    if target is None:
        return False
    lower = [status for status, rank in RANK.items() if rank < RANK[target]]
    fields = {"status": target}
    if error_code:
        fields["error_code"] = error_code
    return bool(Notification.objects.filter(provider_id=provider_id, status__in=lower).update(**fields))
