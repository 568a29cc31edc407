"""A Twilio-compatible HTTP server for tests and local runs (no Django needed).

``FakeTwilio`` answers the Messages API the official SDK calls, and
``FakeTwilioHttpClient`` points a real ``twilio.rest.Client`` at it.
"""

from .client import FakeTwilioHttpClient
from .script import Behaviour
from .server import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM_NUMBER, FakeTwilio

__all__ = [
    "DEFAULT_ACCOUNT_SID",
    "DEFAULT_AUTH_TOKEN",
    "DEFAULT_FROM_NUMBER",
    "Behaviour",
    "FakeTwilio",
    "FakeTwilioHttpClient",
]
