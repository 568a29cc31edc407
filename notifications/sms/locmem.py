import itertools

from django.utils import timezone

from .base import BaseSmsBackend, SentSms

# Like django.core.mail.outbox: tests read what was "sent" here.
outbox = []
_ids = itertools.count(1)


class SmsBackend(BaseSmsBackend):
    """Keeps texts in `notifications.sms.locmem.outbox` for tests."""

    def send(self, *, to, body, status_callback=None):
        sid = f"locmem-{next(_ids)}"
        outbox.append({"sid": sid, "to": to, "body": body, "status_callback": status_callback,
                       "date_created": timezone.now()})
        return SentSms(provider_id=sid)

    def find_sent(self, *, to, body, since):
        return [
            SentSms(provider_id=m["sid"]) for m in outbox
            if m["to"] == to and m["body"] == body and m["date_created"] >= since
        ]
