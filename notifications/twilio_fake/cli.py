"""Command-line front end shared by ``python -m`` and ``manage.py twilio_fake``."""

import argparse

from .control import endpoint_list
from .server import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, DEFAULT_FROM_NUMBER, FakeTwilio

DEFAULT_PORT = 8099


def add_arguments(parser):
    """Add the fake's options to an argparse parser (Django's included)."""
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port to listen on (0 picks one)")
    parser.add_argument("--account-sid", default=DEFAULT_ACCOUNT_SID, help="Account SID the fake accepts")
    parser.add_argument("--auth-token", default=DEFAULT_AUTH_TOKEN, help="Auth Token the fake accepts and signs with")
    parser.add_argument("--from-number", default=DEFAULT_FROM_NUMBER, help="sender number to suggest to the app")
    parser.add_argument("--messaging-service-sid", default=None, help="MessagingServiceSid for inbound posts")
    parser.add_argument("--auto-deliver", action="store_true", help="send sent/delivered callbacks for every message")


def build_fake(options):
    """Create a ``FakeTwilio`` from parsed options (a dict)."""
    return FakeTwilio(
        options["account_sid"],
        options["auth_token"],
        host=options["host"],
        port=options["port"],
        auto_deliver=options["auto_deliver"],
        messaging_service_sid=options["messaging_service_sid"],
        from_number=options["from_number"],
    )


def describe(fake):
    """Return the text telling a developer where the fake is and how to use it."""
    lines = [
        f"Fake Twilio listening on {fake.url}" + (" (auto-deliver on)" if fake.auto_deliver else ""),
        "",
        "Point the app at it:",
        f"  export TWILIO_API_BASE_URL={fake.url}",
        f"  export TWILIO_ACCOUNT_SID={fake.account_sid}",
        f"  export TWILIO_AUTH_TOKEN={fake.auth_token}",
        f"  export TWILIO_FROM_NUMBER={fake.from_number}",
        "",
        "Control endpoints (JSON):",
        *(f"  {endpoint}" for endpoint in endpoint_list()),
        "",
        "Ctrl-C to stop.",
    ]
    return "\n".join(lines)


def serve(options, write):
    """Start the fake, ``write`` its description, and serve until Ctrl-C."""
    fake = build_fake(options)
    try:
        fake.start()
        write(describe(fake))
        fake.wait()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()


def main(argv=None):
    """Entry point for ``python -m notifications.twilio_fake``."""
    parser = argparse.ArgumentParser(
        prog="python -m notifications.twilio_fake", description="Run a fake Twilio Messages API."
    )
    add_arguments(parser)
    options = vars(parser.parse_args(argv))
    serve(options, lambda text: print(text, flush=True))
