"""Delivery reports move a notification forward only: a late or out-of-order callback never moves it back.

Twilio sends no callback for the first status, and callbacks may arrive in any order,
even before our own worker has written down that the message was accepted.
https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks
"""
import logging

from django.db import transaction
from django.utils import timezone

from . import services
from .models import Notification

log = logging.getLogger(__name__)
N = Notification.Status

# How far along each of Twilio's statuses is; a report only ever raises this.
PROVIDER_RANK = {
    "accepted": 1, "scheduled": 1, "queued": 2, "sending": 3, "sent": 4,
    "delivered": 5, "read": 6, "undelivered": 5, "failed": 5, "canceled": 5,
}
OUTCOME = {"delivered": N.DELIVERED, "read": N.DELIVERED, "undelivered": N.FAILED, "failed": N.FAILED,
           "canceled": N.FAILED}
# Before the provider's word these statuses are ours; a report of any kind proves the message exists.
NOT_YET_SENT = (N.PENDING, N.SENDING, N.NEEDS_ATTENTION)
# Delivery error codes that say the number is wrong, or that the recipient opted out at the carrier.
BAD_NUMBER_CODES = {"21211", "21614", "30005", "30006"}
OPTED_OUT_CODES = {"21610"}


def record_delivery_status(*, provider_id, provider_status, error_code="", notification_id=None):
    """Apply a provider's report to the notification it names; returns whether anything changed.

    `notification_id` comes from the callback URL (`?n=`), so a report that arrives before the
    worker recorded the message id still finds its row, and settles it as sent.
    """
    provider_status = (provider_status or "").lower()
    rank = PROVIDER_RANK.get(provider_status)
    if rank is None:
        return False
    with transaction.atomic():
        notification = _locked_row(provider_id, notification_id)
        if notification is None:
            log.info("status %s for unknown message %s", provider_status, provider_id)
            return False
        if PROVIDER_RANK.get(notification.provider_status, 0) >= rank and notification.status not in NOT_YET_SENT:
            return False
        was_unsent = notification.status in NOT_YET_SENT
        _apply(notification, provider_id, provider_status, error_code)
    if was_unsent:
        services.notify_sent(notification)
    _act_on_error(notification.to, error_code)
    return True


def _locked_row(provider_id, notification_id):
    rows = Notification.objects.select_for_update()
    if notification_id:
        row = rows.filter(pk=notification_id).first()
        if row is not None and row.provider_id not in ("", provider_id):
            log.error("status for %s names notification %s, sent as %s", provider_id, notification_id, row.provider_id)
            return None
        if row is not None:
            return row
    return rows.filter(provider_id=provider_id).first()


def _apply(notification, provider_id, provider_status, error_code):
    notification.provider_id = provider_id
    notification.provider_status = provider_status
    notification.status = OUTCOME.get(provider_status, N.SENT)
    notification.sent_at = notification.sent_at or timezone.now()
    if error_code:
        notification.error_code = str(error_code)
        notification.error = f"delivery failed with Twilio error {error_code}"
    elif notification.status != N.FAILED:
        notification.error_code = notification.error = ""  # delivered after a retry: the old error is history
    notification.save(update_fields=["provider_id", "provider_status", "status", "sent_at", "error_code", "error",
                                     "updated_at"])


def _act_on_error(phone, error_code):
    code = str(error_code or "")
    if code in OPTED_OUT_CODES:
        services.record_carrier_opt_out(phone)
    elif code in BAD_NUMBER_CODES:
        services.flag_bad_number(phone)
