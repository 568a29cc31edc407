"""The checks Twilio makes on ``POST .../Messages.json``, and the list filters.

Includes the magic numbers from Twilio's test-credentials page, so code that
is exercised against the fake meets the same refusals it would meet there.
"""

import re
from datetime import UTC, date, datetime

MAX_BODY_LENGTH = 1600
ADDRESS = re.compile(r"^(?:[a-z]+:)?\+[1-9]\d{6,14}$")

MAGIC_TO = {
    "+15005550001": 21211,
    "+15005550002": 21612,
    "+15005550003": 21408,
    "+15005550004": 21610,
    "+15005550009": 21614,
}
MAGIC_FROM = {
    "+15005550001": 21212,
    "+15005550007": 21606,
    "+15005550008": 21611,
}


def create_error(params):
    """Return ``(code, detail)`` for the first problem with a create request, or None."""
    to = params.get("To", "")
    sender = params.get("From", "")
    if not to:
        return 21604, ""
    if not sender and not params.get("MessagingServiceSid"):
        return 21603, ""
    if not params.get("Body") and not params.get("MediaUrl") and not params.get("ContentSid"):
        return 21602, ""
    return _address_error(to, sender) or _body_error(params.get("Body", ""))


def _address_error(to, sender):
    if to in MAGIC_TO:
        return MAGIC_TO[to], to
    if not ADDRESS.match(to):
        return 21211, to
    if sender in MAGIC_FROM:
        return MAGIC_FROM[sender], sender
    return None


def _body_error(body):
    if len(body) > MAX_BODY_LENGTH:
        return 21617, ""
    return None


DATE_FILTERS = {
    "DateSent": lambda value, bound: value == bound,
    "DateSent<": lambda value, bound: value <= bound,
    "DateSent>": lambda value, bound: value >= bound,
}


def matches(message, query):
    """Tell whether a stored message passes the ``To``/``From``/``DateSent`` filters.

    A message not yet sent is matched on its creation time: Twilio sends within
    seconds, and reconciliation code looks for messages in a time window.
    """
    if "To" in query and message["to"] != query["To"]:
        return False
    if "From" in query and message["from_"] != query["From"]:
        return False
    moment = message["date_sent"] or message["date_created"]
    return all(_date_ok(moment, query[key], compare) for key, compare in DATE_FILTERS.items() if key in query)


def _date_ok(moment, raw, compare):
    """Compare at day precision for ``YYYY-MM-DD``, to the second for a datetime."""
    if len(raw) == 10:
        return compare(moment.date(), date.fromisoformat(raw))
    bound = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    if bound.tzinfo is None:
        bound = bound.replace(tzinfo=UTC)
    return compare(moment.replace(microsecond=0), bound)
