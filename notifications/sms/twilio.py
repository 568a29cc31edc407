"""Texts through Twilio's official SDK.

https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
"""
import requests
from django.conf import settings
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import NewConnectionError

from notifications.twilio_fake.client import FakeTwilioHttpClient

from ..sms_text import to_gsm7
from .base import BaseSmsBackend, SentSms, SmsError

# https://www.twilio.com/docs/api/errors
OPTED_OUT = {"21610"}
# The number itself is wrong: the profile is flagged and never retried until fixed.
BAD_NUMBER = {"21211", "21614"}
# "The request is never processed and is always safe to retry" (20429).
RATE_LIMITED = {"20429"}
SEND_TIMEOUT_SECONDS = 10
# How far back a settling look goes through one number's messages.
LOOKBACK_MESSAGES = 200


_clients = {}


def make_client():
    """A Twilio REST client, kept per process: its HTTP session reuses the TLS connection to Twilio.

    Pointed at TWILIO_API_BASE_URL (the local fake) when that is set.
    """
    config = (settings.TWILIO_API_BASE_URL, settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)
    if config not in _clients:
        _clients[config] = _new_client()
    return _clients[config]


def _new_client():
    if settings.TWILIO_API_BASE_URL:
        http_client = FakeTwilioHttpClient(settings.TWILIO_API_BASE_URL, timeout=SEND_TIMEOUT_SECONDS)
    else:
        http_client = TwilioHttpClient(timeout=SEND_TIMEOUT_SECONDS)
    return Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client)


def retry_after(http_client):
    """Seconds the last answer asked us to wait (its Retry-After header), or None.

    The SDK's exception carries no headers; its HTTP client keeps the last response it got.
    """
    response = getattr(http_client, "_test_only_last_response", None)
    value = (getattr(response, "headers", None) or {}).get("Retry-After", "")
    return int(value) if str(value).strip().isdigit() else None


def classify(exc, wait=None):
    """Turn a TwilioRestException into an SmsError that says whether, and how, a retry could help.

    A 5xx on create is not idempotent (Twilio's own 20500 text warns a retry can duplicate),
    so it is "ambiguous": settle by asking Twilio before any retry. A 429 was never processed.
    """
    code = str(exc.code or "")
    status = exc.status or 0
    rate_limited = code in RATE_LIMITED or status == 429
    error = SmsError(
        f"Twilio {code or status}: {exc.msg}",
        retryable=rate_limited or status >= 500,
        ambiguous=status >= 500 and not rate_limited,
        code=code or str(status),
        bad_number=code in BAD_NUMBER,
        opted_out=code in OPTED_OUT,
    )
    error.retry_after = wait if rate_limited else None
    return error


def classify_transport(exc):
    """A request that failed on the wire: safe to retry only if it provably never left this machine."""
    never_connected = isinstance(exc, requests.ConnectTimeout) or any(
        isinstance(arg, NewConnectionError) or isinstance(getattr(arg, "reason", None), NewConnectionError)
        for arg in exc.args
    )
    return SmsError(f"Twilio unreachable: {exc}", retryable=True, ambiguous=not never_connected)


class SmsBackend(BaseSmsBackend):
    def __init__(self):
        self.client = make_client()

    def _sender(self):
        if settings.TWILIO_MESSAGING_SERVICE_SID:
            return {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
        return {"from_": settings.TWILIO_FROM_NUMBER}

    def send(self, *, to, body, status_callback=None):
        kwargs = {"to": to, "body": body, **self._sender()}
        if status_callback:
            kwargs["status_callback"] = status_callback
        try:
            message = self.client.messages.create(**kwargs)
        except TwilioRestException as exc:
            raise classify(exc, retry_after(self.client.http_client)) from exc
        except requests.RequestException as exc:
            raise classify_transport(exc) from exc
        return SentSms(provider_id=message.sid, status=message.status or "queued")

    def find_sent(self, *, to, body, since):
        """Outbound messages to `to` with `body` created since `since`, oldest first.

        Filters on date_created rather than Twilio's DateSent filter: a message still queued at
        Twilio has no date_sent yet, and it is exactly the one a cut-off send may have made.
        """
        try:
            messages = list(self.client.messages.stream(to=to, limit=LOOKBACK_MESSAGES, page_size=50))
        except TwilioRestException as exc:
            raise classify(exc) from exc
        except requests.RequestException as exc:
            raise classify_transport(exc) from exc
        wanted = to_gsm7(body)
        found = [
            m for m in messages
            if m.date_created and m.date_created >= since and (m.direction or "").startswith("outbound")
            and to_gsm7(m.body or "") == wanted
        ]
        found.sort(key=lambda m: m.date_created)
        return [SentSms(provider_id=m.sid, status=m.status or "") for m in found]
