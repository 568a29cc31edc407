import itertools
import sys

from .base import BaseSmsBackend, SentSms

_ids = itertools.count(1)


class SmsBackend(BaseSmsBackend):
    """Prints each text to stdout; the embedded default for `make run`."""

    def send(self, *, to, body, status_callback=None):
        sid = f"console-{next(_ids)}"
        sys.stdout.write(f"--- SMS to {to} ({sid}) ---\n{body}\n---\n")
        sys.stdout.flush()
        return SentSms(provider_id=sid)
