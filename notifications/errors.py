"""Why a send failed, whatever the channel; the outbox decides from these whether to retry, settle or give up."""


class DeliveryError(Exception):
    """A send that failed. `retryable` says whether trying again could help; `code` is the provider's."""

    def __init__(self, message, *, retryable, code="", bad_number=False, opted_out=False, ambiguous=False):
        super().__init__(message)
        # The request may or may not have reached the provider: settle before any retry.
        self.ambiguous = ambiguous
        self.retryable = retryable
        self.code = str(code or "")
        self.bad_number = bad_number
        self.opted_out = opted_out
        # Seconds the provider asked us to wait before trying again (Retry-After), if it said.
        self.retry_after = None


class EmailError(DeliveryError):
    """The email backend (SMTP or another) would not take a message."""
