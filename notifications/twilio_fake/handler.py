"""The stdlib HTTP layer: parse a request, hand it to the API or control code, write the reply."""

import contextlib
import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .api import Reply, handle_api
from .control import handle_control
from .resources import utc_now

logger = logging.getLogger(__name__)
CONTROL_PREFIX = "/_fake/"


def flatten(parsed):
    """Turn ``parse_qs`` output into single strings, keeping lists for repeated keys."""
    return {key: values[0] if len(values) == 1 else values for key, values in parsed.items()}


def to_json(data):
    """Encode ``data`` as JSON, writing datetimes in ISO 8601."""
    return json.dumps(data, default=lambda value: value.isoformat()).encode("utf-8")


class FakeTwilioServer(ThreadingHTTPServer):
    """Threaded server that knows its ``FakeTwilio`` and stays quiet about hung-up clients.

    Connections are kept alive between requests, as Twilio's are (unless the fake's ``keep_alive`` is off),
    and all closed by ``close_connections``.
    """

    daemon_threads = True

    def __init__(self, address, fake):
        """Bind to ``address`` for ``fake``."""
        self.fake = fake
        self._connections = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, FakeTwilioHandler)

    def process_request(self, request, client_address):
        """Remember the connection, so a stopped fake can hang up on the clients that keep one open."""
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        """Forget a connection the handler has finished with."""
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self):
        """Hang up on every open connection: after ``stop()`` nothing is answered, as from a Twilio that is down."""
        with self._connections_lock:
            connections, self._connections = list(self._connections), set()
        for connection in connections:
            with contextlib.suppress(OSError):  # the client hung up first
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request, client_address):
        """Log handler failures instead of printing tracebacks to stderr."""
        logger.debug("fake twilio: error serving %s", client_address, exc_info=True)


class FakeTwilioHandler(BaseHTTPRequestHandler):
    """Routes ``/_fake/...`` to the control endpoints and everything else to the API."""

    server_version = "FakeTwilio/1.0"
    # Keep-alive, as Twilio's API: an SDK client reuses its connection, so a send costs no TCP handshake.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle on, a kept-alive connection waits 40 ms for an ACK.
    disable_nagle_algorithm = True

    def do_GET(self):  # noqa: N802 - the name http.server dispatches to
        """Handle a GET."""
        self._dispatch("GET")

    def do_POST(self):  # noqa: N802
        """Handle a POST."""
        self._dispatch("POST")

    def do_DELETE(self):  # noqa: N802
        """Handle a DELETE."""
        self._dispatch("DELETE")

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by http.server
        """Send the access log to ``logging`` rather than stderr."""
        logger.debug("fake twilio: " + format, *args)

    def _dispatch(self, method):
        parts = urlsplit(self.path)
        raw = self._read_body()
        if parts.path.startswith(CONTROL_PREFIX):
            self._send(self._control(method, parts.path, raw))
            return
        request = self._api_request(method, parts, raw)
        entry = self.server.fake.ledger.record_request(request)
        reply = handle_api(self.server.fake, request)
        self.server.fake.ledger.finish_request(entry, status=reply.status if reply else None)
        self._send(reply)

    def _control(self, method, path, raw):
        try:
            payload = json.loads(raw) if raw.strip() else None
        except ValueError as error:
            return Reply(400, {"error": f"body is not JSON: {error}"})
        return handle_control(self.server.fake, method, path, payload)

    def _api_request(self, method, parts, raw):
        return {
            "method": method,
            "path": parts.path,
            "query": flatten(parse_qs(parts.query, keep_blank_values=True)),
            "params": flatten(parse_qs(raw.decode("utf-8"), keep_blank_values=True)),
            "headers": dict(self.headers.items()),
            "time": utc_now(),
            "behaviour": None,
            "status": None,
        }

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, reply):
        if reply is None:
            self.close_connection = True
            return
        body = to_json(reply.body)
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if not self.server.fake.keep_alive:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)
