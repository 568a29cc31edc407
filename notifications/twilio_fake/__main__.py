"""``python -m notifications.twilio_fake --port 8099``: run the fake without Django."""

from .cli import main

main()
