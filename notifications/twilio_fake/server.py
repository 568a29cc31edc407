"""``FakeTwilio``: a local, threaded stand-in for Twilio's Messages API.

    with FakeTwilio() as fake:
        client = fake.client()                       # the real twilio.rest.Client
        client.messages.create(to="+15558675310", from_="+15005550006", body="Hi")
        fake.messages[0]["body"]                     # "Hi"

It checks credentials and parameters like Twilio, records what it saw, can be
scripted to fail (``script``), and calls the app back with signed status
callbacks (``deliver``) and inbound messages (``send_inbound``).
"""

import queue
import threading

from twilio.rest import Client

from .client import FakeTwilioHttpClient
from .handler import FakeTwilioServer
from .resources import count_segments, utc_now
from .script import parse_script
from .store import Ledger
from .webhooks import inbound_params, merge_extra, post_signed, status_params

DEFAULT_ACCOUNT_SID = "AC" + "0" * 31 + "1"
DEFAULT_AUTH_TOKEN = "fake-twilio-auth-token"
DEFAULT_FROM_NUMBER = "+15005550006"
SENT_STATUSES = {"sent", "delivered", "undelivered", "failed", "read"}


class FakeTwilio:
    """A Twilio Messages API on ``http://host:port`` for tests and local runs.

    ``port=0`` picks a free port; read ``url`` after ``start()``. With
    ``auto_deliver`` every created message gets ``sent`` then ``delivered``
    status callbacks ``auto_deliver_delay`` seconds later. ``from_number`` is
    the sender the fake assigns when a message names only a Messaging Service.
    With ``keep_alive`` off (it may be switched while running) the fake hangs
    up after every answer, so each call pays a new TCP connection; Twilio
    keeps connections open.
    """

    def __init__(
        self,
        account_sid=DEFAULT_ACCOUNT_SID,
        auth_token=DEFAULT_AUTH_TOKEN,
        *,
        host="127.0.0.1",
        port=0,
        auto_deliver=False,
        auto_deliver_delay=0.2,
        messaging_service_sid=None,
        from_number=DEFAULT_FROM_NUMBER,
        keep_alive=True,
    ):
        """Configure the fake; nothing listens until ``start()``."""
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.host, self.port = host, port
        self.auto_deliver = auto_deliver
        self.auto_deliver_delay = auto_deliver_delay
        self.messaging_service_sid = messaging_service_sid
        self.from_number = from_number
        self.keep_alive = keep_alive
        self.ledger = Ledger()
        self._stopped = threading.Event()
        self._outbox = queue.Queue()
        self._server = None
        self._threads = []

    # Lifecycle

    def start(self):
        """Bind the port and serve in background threads; return self."""
        if self._server is not None:
            raise RuntimeError("FakeTwilio is already started")
        self._stopped.clear()
        self._outbox = queue.Queue()
        self._server = FakeTwilioServer((self.host, self.port), self)
        self.port = self._server.server_address[1]
        # A short poll keeps stop() quick, which adds up over a test suite.
        self._spawn(lambda: self._server.serve_forever(poll_interval=0.05), "fake-twilio-http")
        self._spawn(self._deliver_loop, "fake-twilio-deliver")
        return self

    def stop(self):
        """Stop serving, wake any scripted hang, and release the port."""
        if self._server is None:
            return
        self._stopped.set()
        self._outbox.put(None)
        self._server.shutdown()
        self._server.server_close()
        self._server.close_connections()
        for thread in self._threads:
            thread.join(timeout=5)
        self._server, self._threads = None, []

    def run(self):
        """Start, then serve in the foreground until Ctrl-C or ``stop()``."""
        try:
            self.start()
            self.wait()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def wait(self):
        """Block until ``stop()`` is called from another thread."""
        while not self._stopped.wait(0.5):
            pass

    def __enter__(self):
        """Start on entering a ``with`` block."""
        return self.start()

    def __exit__(self, *exc_info):
        """Stop on leaving a ``with`` block."""
        self.stop()

    @property
    def url(self):
        """The base URL to give the SDK, e.g. ``http://127.0.0.1:54321``."""
        if self._server is None:
            raise RuntimeError("FakeTwilio is not started")
        return f"http://{self.host}:{self.port}"

    @property
    def stopping(self):
        """Whether ``stop()`` has been called."""
        return self._stopped.is_set()

    def client(self, timeout=None):
        """Return a real ``twilio.rest.Client`` wired to this fake."""
        http_client = FakeTwilioHttpClient(self.url, timeout=timeout)
        return Client(self.account_sid, self.auth_token, http_client=http_client)

    # What the fake saw

    @property
    def messages(self):
        """Copies of the created messages, oldest first (keys: sid, to, from_, body, ...)."""
        return self.ledger.messages()

    @property
    def requests(self):
        """Copies of the API requests received (method, path, query, params, headers, time, status)."""
        return self.ledger.requests()

    @property
    def webhooks(self):
        """Copies of the status callbacks and inbound messages posted to the app."""
        return self.ledger.webhooks()

    def message(self, sid):
        """Return a copy of one created message, or None."""
        return self.ledger.message(sid)

    def clear(self):
        """Forget messages, requests, webhooks and scripted behaviours."""
        self.ledger.clear()

    def script(self, failures):
        """Queue behaviours for the next create calls; see ``twilio_fake.script``."""
        self.ledger.queue(parse_script(failures))

    # Used by the API handler

    def accept_message(self, message):
        """Store a created message and schedule its delivery when auto-delivering."""
        self.ledger.add_message(message)
        if self.auto_deliver:
            self._outbox.put(message["sid"])
        return message

    def pause(self, seconds):
        """Sleep ``seconds``, waking early if the fake stops."""
        if seconds > 0:
            self._stopped.wait(seconds)

    # Calls to the app

    def deliver(self, message_sid, status="delivered", error_code=None, *, signature="valid", url=None):
        """Move a message to ``status`` and POST a signed status callback.

        Returns ``(status_code, response_text)`` from the app (``status_code``
        None if it could not be reached), or None when the message has no
        StatusCallback and no ``url`` is given. Raises KeyError for an unknown SID.
        """
        message = self._advance(message_sid, status, error_code)
        target = url or message["status_callback"]
        if not target:
            return None
        params = status_params(message, status, error_code)
        return self._post(target, params, kind="status_callback", signature=signature)

    def send_inbound(
        self, url, from_, to, body, message_sid=None, extra=None, *, signature="valid", sign_url=None, headers=None
    ):
        """POST a signed incoming SMS to the app's webhook ``url``.

        ``extra`` adds or overrides form params (a None value removes one).
        ``signature`` is "valid", "wrong" or "missing"; ``sign_url`` signs a
        different URL than the one called. Returns ``(status_code, response_text)``.
        """
        params = inbound_params(self.account_sid, from_, to, body, message_sid, self.messaging_service_sid)
        params = merge_extra(params, extra)
        return self._post(url, params, kind="inbound", signature=signature, sign_url=sign_url, headers=headers)

    def _post(self, url, params, *, kind, **options):
        entry = post_signed(url, params, self.auth_token, **options)
        entry["kind"] = kind
        self.ledger.record_webhook(entry)
        return entry["status_code"], entry["text"]

    def _advance(self, sid, status, error_code):
        message = self.ledger.message(sid)
        if message is None:
            raise KeyError(f"no message {sid}")
        now = utc_now()
        changes = {"status": status, "error_code": error_code, "date_updated": now}
        if status in SENT_STATUSES:
            changes["from_"] = message["from_"] or self.from_number
            changes["num_segments"] = message["num_segments"] or count_segments(message["body"])
            changes["date_sent"] = message["date_sent"] or now
        return self.ledger.update_message(sid, **changes)

    def _deliver_loop(self):
        # stop() puts None in the outbox to wake this loop.
        for sid in iter(self._outbox.get, None):
            if self._stopped.wait(self.auto_deliver_delay):
                return
            self._auto_deliver(sid)

    def _auto_deliver(self, sid):
        for status in ("sent", "delivered"):
            if self.ledger.message(sid) is None:
                return
            self.deliver(sid, status)

    def _spawn(self, target, name):
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)
