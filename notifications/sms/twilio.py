"""Texts through Twilio's official SDK.

https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
"""
import requests
from django.conf import settings
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from .base import BaseSmsBackend, SentSms, SmsError

# https://www.twilio.com/docs/api/errors
OPTED_OUT = {"21610"}
BAD_NUMBER = {"21211", "21614", "21612", "21408"}
RETRYABLE = {"20429", "20500", "20503"}
SEND_TIMEOUT_SECONDS = 10


def make_client():
    """A Twilio REST client; pointed at TWILIO_API_BASE_URL (the local fake) when that is set."""
    if settings.TWILIO_API_BASE_URL:
        from notifications.twilio_fake.client import FakeTwilioHttpClient

        http_client = FakeTwilioHttpClient(settings.TWILIO_API_BASE_URL, timeout=SEND_TIMEOUT_SECONDS)
    else:
        http_client = TwilioHttpClient(timeout=SEND_TIMEOUT_SECONDS)
    return Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client)


def classify(exc):
    """Turn a TwilioRestException into an SmsError that says whether a retry could help."""
    code = str(exc.code or "")
    status = exc.status or 0
    return SmsError(
        f"Twilio {code or status}: {exc.msg}",
        retryable=code in RETRYABLE or status == 429 or status >= 500,
        code=code or str(status),
        bad_number=code in BAD_NUMBER,
        opted_out=code in OPTED_OUT,
    )


class SmsBackend(BaseSmsBackend):
    def __init__(self):
        self.client = make_client()

    def _sender(self):
        if settings.TWILIO_MESSAGING_SERVICE_SID:
            return {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
        return {"from_": settings.TWILIO_FROM_NUMBER}

    def send(self, *, to, body, status_callback=None, idempotency_key=""):
        kwargs = {"to": to, "body": body, **self._sender()}
        if status_callback:
            kwargs["status_callback"] = status_callback
        try:
            message = self.client.messages.create(**kwargs)
        except TwilioRestException as exc:
            raise classify(exc) from exc
        except requests.RequestException as exc:
            raise SmsError(f"Twilio unreachable: {exc}", retryable=True, ambiguous=True) from exc
        return SentSms(provider_id=message.sid, status=message.status or "queued")

    def find_sent(self, *, to, body, since):
        try:
            messages = self.client.messages.list(to=to, date_sent_after=since, limit=50)
        except TwilioRestException as exc:
            raise classify(exc) from exc
        return [m.sid for m in messages if m.body == body]
