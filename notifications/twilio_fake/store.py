"""The fake's memory: messages, API requests, webhooks sent and scripted behaviours.

One lock guards everything, because handler threads, the auto-delivery thread
and the test thread all touch it. Readers get copies, never live dicts.
"""

import threading
from collections import deque

from .script import OK


class Ledger:
    """Thread-safe record of what the fake saw and did."""

    def __init__(self):
        """Start empty."""
        self._lock = threading.Lock()
        self._messages = {}
        self._requests = []
        self._webhooks = []
        self._script = deque()

    def record_request(self, entry):
        """Append an API request; return it, to be passed to ``finish_request``."""
        with self._lock:
            self._requests.append(entry)
            return entry

    def finish_request(self, entry, **outcome):
        """Add the outcome (answer status, behaviour) to a recorded request."""
        with self._lock:
            entry.update(outcome)

    def record_webhook(self, entry):
        """Append a webhook the fake posted to the app."""
        with self._lock:
            self._webhooks.append(entry)

    def add_message(self, message):
        """Store a newly created message."""
        with self._lock:
            self._messages[message["sid"]] = message

    def update_message(self, sid, **changes):
        """Apply ``changes`` to a stored message; return a copy, or None if unknown."""
        with self._lock:
            message = self._messages.get(sid)
            if message is None:
                return None
            message.update(changes)
            return dict(message)

    def message(self, sid):
        """Return a copy of one message, or None."""
        with self._lock:
            message = self._messages.get(sid)
            return dict(message) if message else None

    def messages(self):
        """Return copies of all messages, oldest first."""
        with self._lock:
            return [dict(message) for message in self._messages.values()]

    def requests(self):
        """Return copies of all recorded API requests, oldest first."""
        with self._lock:
            return [dict(entry) for entry in self._requests]

    def webhooks(self):
        """Return copies of all webhooks posted, oldest first."""
        with self._lock:
            return [dict(entry) for entry in self._webhooks]

    def queue(self, behaviours):
        """Queue behaviours for the next create calls."""
        with self._lock:
            self._script.extend(behaviours)

    def next_behaviour(self):
        """Pop the next scripted behaviour, or the normal one when none is queued."""
        with self._lock:
            return self._script.popleft() if self._script else OK

    def pending(self):
        """Return the behaviours still queued."""
        with self._lock:
            return list(self._script)

    def clear(self):
        """Forget messages, requests, webhooks and any queued behaviours."""
        with self._lock:
            self._messages.clear()
            self._requests.clear()
            self._webhooks.clear()
            self._script.clear()
