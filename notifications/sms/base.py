from dataclasses import dataclass


@dataclass(frozen=True)
class SentSms:
    provider_id: str
    status: str = "sent"


class SmsError(Exception):
    """A send that failed. `retryable` says whether trying again could help; `code` is the provider's."""

    def __init__(self, message, *, retryable, code="", bad_number=False, opted_out=False, ambiguous=False):
        super().__init__(message)
        # The request may or may not have reached the provider: settle before any retry.
        self.ambiguous = ambiguous
        self.retryable = retryable
        self.code = str(code or "")
        self.bad_number = bad_number
        self.opted_out = opted_out


class BaseSmsBackend:
    def send(self, *, to, body, status_callback=None, idempotency_key=""):
        """Send one text; returns a SentSms or raises SmsError."""
        raise NotImplementedError

    def find_sent(self, *, to, body, since):
        """Messages (SentSms, oldest first) the provider made for `to` with `body` since `since`.

        Used to settle a send that was cut off; a backend that cannot be asked returns [].
        """
        return []
