"""Requests the fake makes to the app: inbound messages and status callbacks.

Each is a form POST signed with ``X-Twilio-Signature``, computed by the SDK's
own ``RequestValidator`` so the app's validation is tested against the real
algorithm. Negative tests can ask for a missing or wrong signature, or for a
signature over another URL.
"""

import uuid

import requests
from twilio.request_validator import RequestValidator

from .resources import API_VERSION, new_sid, utc_now

SIGNATURES = ("valid", "wrong", "missing")
WEBHOOK_TIMEOUT = 15.0


def sign(auth_token, url, params, signature="valid"):
    """Return the ``X-Twilio-Signature`` value to send, or None for "missing"."""
    if signature not in SIGNATURES:
        raise ValueError(f"signature must be one of {SIGNATURES}, got {signature!r}")
    if signature == "missing":
        return None
    token = auth_token if signature == "valid" else auth_token + "-wrong"
    return RequestValidator(token).compute_signature(url, params)


def inbound_params(account_sid, from_, to, body, message_sid=None, messaging_service_sid=None):
    """Return the form parameters Twilio posts for an incoming SMS."""
    sid = message_sid or new_sid("SM")
    params = {
        "ToCountry": "US",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": body,
        "To": to,
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": from_,
        "FromCountry": "US",
        "ApiVersion": API_VERSION,
    }
    if messaging_service_sid:
        params["MessagingServiceSid"] = messaging_service_sid
    return params


def status_params(message, status, error_code=None):
    """Return the form parameters Twilio posts to a message's StatusCallback."""
    params = {
        "SmsSid": message["sid"],
        "SmsStatus": status,
        "MessageStatus": status,
        "To": message["to"],
        "MessageSid": message["sid"],
        "AccountSid": message["account_sid"],
        "From": message["from_"] or "",
        "ApiVersion": API_VERSION,
    }
    if message["messaging_service_sid"]:
        params["MessagingServiceSid"] = message["messaging_service_sid"]
    if error_code is not None:
        params["ErrorCode"] = str(error_code)
    return params


def merge_extra(params, extra):
    """Overlay ``extra`` on ``params``; a None value removes that parameter."""
    merged = {**params, **(extra or {})}
    return {key: value for key, value in merged.items() if value is not None}


def post_signed(url, params, auth_token, signature="valid", sign_url=None, headers=None):
    """POST ``params`` to ``url`` as Twilio would and return a record of the exchange.

    ``sign_url`` signs a different URL than the one called (the proxy case).
    A connection failure is recorded with status None rather than raised,
    because Twilio does not crash when the app is down either.
    """
    value = sign(auth_token, sign_url or url, params, signature)
    sent_headers = _webhook_headers(value, headers)
    entry = {"url": url, "params": params, "headers": sent_headers, "time": utc_now()}
    entry.update(_post(url, params, sent_headers))
    return entry


def _webhook_headers(signature_value, extra):
    headers = {
        "User-Agent": "TwilioProxy/1.1",
        "I-Twilio-Idempotency-Token": str(uuid.uuid4()),
    }
    if signature_value is not None:
        headers["X-Twilio-Signature"] = signature_value
    return {**headers, **(extra or {})}


def _post(url, params, headers):
    with requests.Session() as session:
        # The app usually runs on 127.0.0.1; a proxy from the environment would break that.
        session.trust_env = False
        try:
            response = session.post(url, data=params, headers=headers, timeout=WEBHOOK_TIMEOUT)
        except requests.RequestException as error:
            return {"status_code": None, "text": "", "error": repr(error)}
    return {"status_code": response.status_code, "text": response.text, "error": None}
