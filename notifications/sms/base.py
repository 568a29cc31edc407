from dataclasses import dataclass

from notifications.errors import DeliveryError


@dataclass(frozen=True)
class SentSms:
    provider_id: str
    status: str = "sent"


class SmsError(DeliveryError):
    """The SMS provider did not take a text (see DeliveryError for what the outbox reads from it)."""


class BaseSmsBackend:
    def send(self, *, to, body, status_callback=None):
        """Send one text; returns a SentSms or raises SmsError."""
        raise NotImplementedError

    def find_sent(self, *, to, body, since):
        """Messages (SentSms, oldest first) the provider made for `to` with `body` since `since`.

        Used to settle a send that was cut off; a backend that cannot be asked returns [].
        """
        return []
