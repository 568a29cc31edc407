"""Twilio's wire shapes: SIDs, dates, error bodies, message resources and pages.

Pure functions with no I/O, so the server and the tests agree on one shape.
Field names and types follow what `twilio.rest.api.v2010.account.message`
parses (``num_segments`` and ``num_media`` are strings, dates are RFC 2822).
"""

import math
import secrets
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlencode

API_VERSION = "2010-04-01"
MORE_INFO = "https://www.twilio.com/docs/errors/{code}"

ERROR_MESSAGES = {
    20001: "Invalid parameter: {detail}",
    20003: "Authenticate",
    20004: "Method not allowed",
    20404: "The requested resource {detail} was not found",
    20429: "Too Many Requests",
    20500: "Internal Server Error",
    21211: "Invalid 'To' Phone Number: {detail}",
    21212: "Invalid 'From' Phone Number: {detail}",
    21408: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: {detail}",
    21602: "Message body is required.",
    21603: "A 'From' phone number is required.",
    21604: "A 'To' phone number is required.",
    21606: "The 'From' phone number provided is not a valid message-capable Twilio phone number.",
    21610: "Attempt to send to unsubscribed recipient",
    21611: "This 'From' number has exceeded the maximum number of queued messages",
    21612: "The 'To' phone number: {detail}, is not currently reachable using the 'From' phone number via SMS.",
    21614: "'To' number is not a valid mobile number",
    21617: "The concatenated message body exceeds the 1600 character limit.",
}

# The GSM 03.38 basic alphabet; the extension table costs two septets a character.
GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = "^{}\\[~]|€\f"


def new_sid(prefix):
    """Return a fresh Twilio-style SID: the two-letter prefix and 32 hex digits."""
    return prefix + secrets.token_hex(16)


def utc_now():
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def rfc2822(moment):
    """Format an aware datetime the way Twilio's 2010 API does, or None for None."""
    if moment is None:
        return None
    return format_datetime(moment.astimezone(UTC))


def error_body(code, status, detail=""):
    """Return Twilio's JSON error body for ``code`` answered with HTTP ``status``."""
    template = ERROR_MESSAGES.get(code, "Error {code}")
    return {
        "code": code,
        "message": template.format(detail=detail, code=code),
        "more_info": MORE_INFO.format(code=code),
        "status": status,
    }


def count_segments(body):
    """Return how many SMS segments Twilio would bill for ``body``."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in body):
        units = sum(2 if char in GSM7_EXTENSION else 1 for char in body)
        single, multi = 160, 153
    else:
        units = len(body.encode("utf-16-le")) // 2
        single, multi = 70, 67
    if units <= single:
        return 1
    return math.ceil(units / multi)


def account_uri(account_sid):
    """Return the API path of an account, without the format suffix."""
    return f"/{API_VERSION}/Accounts/{account_sid}"


def message_uri(account_sid, sid, suffix=".json"):
    """Return the API path of one message."""
    return f"{account_uri(account_sid)}/Messages/{sid}{suffix}"


def message_resource(message):
    """Render a stored message dict as the JSON object Twilio returns for it."""
    account_sid, sid = message["account_sid"], message["sid"]
    return {
        "account_sid": account_sid,
        "api_version": API_VERSION,
        "body": message["body"],
        "date_created": rfc2822(message["date_created"]),
        "date_sent": rfc2822(message["date_sent"]),
        "date_updated": rfc2822(message["date_updated"]),
        "direction": message["direction"],
        "error_code": message["error_code"],
        "error_message": message["error_message"],
        "from": message["from_"],
        "messaging_service_sid": message["messaging_service_sid"],
        "num_media": str(message["num_media"]),
        "num_segments": str(message["num_segments"]),
        "price": message["price"],
        "price_unit": "USD",
        "sid": sid,
        "status": message["status"],
        "subresource_uris": {
            "media": message_uri(account_sid, sid, "/Media.json"),
            "feedback": message_uri(account_sid, sid, "/Feedback.json"),
        },
        "to": message["to"],
        "uri": message_uri(account_sid, sid),
    }


def message_page(account_sid, messages, filters, page, page_size):
    """Return one page of ``messages`` in Twilio's list shape.

    ``filters`` are the query parameters to repeat in the page links.
    """
    start = page * page_size
    chunk = messages[start : start + page_size]
    has_next = start + page_size < len(messages)

    def link(number):
        query = {**filters, "PageSize": page_size, "Page": number}
        return f"{account_uri(account_sid)}/Messages.json?{urlencode(query)}"

    return {
        "end": start + max(len(chunk) - 1, 0),
        "first_page_uri": link(0),
        "messages": [message_resource(message) for message in chunk],
        "next_page_uri": link(page + 1) if has_next else None,
        "page": page,
        "page_size": page_size,
        "previous_page_uri": link(page - 1) if page else None,
        "start": start,
        "uri": link(page),
    }
