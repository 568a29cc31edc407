"""The fake Twilio server, driven through the real twilio SDK. No database needed."""

import base64
import contextlib
import http.client
import json
import re
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from notifications.twilio_fake import FakeTwilio, FakeTwilioHttpClient
from notifications.twilio_fake.client import rewrite_url
from notifications.twilio_fake.resources import count_segments

SENDER = "+15005550006"
PHONE = "+15558675310"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake():
    with FakeTwilio() as running:
        yield running


@pytest.fixture
def client(fake):
    return fake.client(timeout=5)


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


class Receiver:
    """A tiny app stand-in that records the form posts it receives."""

    def __init__(self):
        self.posts = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())

    def _handler_class(self):
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                posts.append({"path": self.path, "headers": dict(self.headers.items()), "params": form})
                body = b"<Response/>"
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    def url(self, path):
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def wait_for(self, count, timeout=5.0):
        deadline = time.monotonic() + timeout
        while len(self.posts) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.posts

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()


def send(client, to=PHONE, body="Your session is confirmed", **kwargs):
    kwargs.setdefault("from_", SENDER)
    return client.messages.create(to=to, body=body, **kwargs)


def signature_is_valid(fake, url, post):
    signature = post["headers"].get("X-Twilio-Signature", "")
    return RequestValidator(fake.auth_token).validate(url, post["params"], signature)


def control(fake, method, path, payload=None):
    response = requests.request(method, fake.url + path, json=payload, timeout=5)
    return response.status_code, response.json()


# Creating, reading and listing messages


def test_a_message_sent_through_the_sdk_is_recorded_with_what_was_sent(fake, client):
    message = send(client, status_callback="https://app.example/twilio/status?nid=1")

    [recorded] = fake.messages
    assert recorded["sid"] == message.sid
    assert (recorded["to"], recorded["from_"], recorded["body"]) == (PHONE, SENDER, "Your session is confirmed")
    assert recorded["status_callback"] == "https://app.example/twilio/status?nid=1"


def test_the_create_answer_has_the_shape_twilio_returns(fake, client):
    message = send(client)

    assert re.fullmatch(r"SM[0-9a-f]{32}", message.sid)
    assert message.status == "queued"
    assert message.account_sid == fake.account_sid
    assert message.date_created.tzinfo is not None
    assert message.date_sent is None
    assert (message.num_segments, message.num_media) == ("1", "0")
    assert (message.price, message.error_code, message.error_message) == (None, None, None)
    assert message.direction == "outbound-api"
    assert message.uri == f"/2010-04-01/Accounts/{fake.account_sid}/Messages/{message.sid}.json"


def test_a_message_through_a_messaging_service_is_accepted_without_a_sender(client):
    message = client.messages.create(to=PHONE, body="Hi", messaging_service_sid="MG" + "a" * 32)

    assert message.status == "accepted"
    assert message.from_ is None
    assert message.messaging_service_sid == "MG" + "a" * 32


def test_fetch_returns_the_created_message(client):
    sid = send(client, body="Reminder: tomorrow 4pm").sid

    assert client.messages(sid).fetch().body == "Reminder: tomorrow 4pm"


def test_fetching_an_unknown_message_raises_404(client):
    with pytest.raises(TwilioRestException) as caught:
        client.messages("SM" + "0" * 32).fetch()

    assert (caught.value.status, caught.value.code) == (404, 20404)


def test_list_filtered_by_recipient_returns_only_their_messages_newest_first(client):
    first = send(client, to=PHONE, body="one").sid
    send(client, to="+15558675311", body="other")
    second = send(client, to=PHONE, body="two").sid

    assert [message.sid for message in client.messages.list(to=PHONE)] == [second, first]


def test_list_filtered_by_sender(client):
    send(client, from_="+15005550010")
    send(client)

    assert [message.from_ for message in client.messages.list(from_="+15005550010")] == ["+15005550010"]


def test_list_follows_next_page_uri_across_pages(client):
    sids = {send(client, body=f"message {number}").sid for number in range(5)}

    assert {message.sid for message in client.messages.list(page_size=2)} == sids


def test_list_filters_by_date_sent_window(client):
    sid = send(client).sid
    now = datetime.now(UTC)

    assert [m.sid for m in client.messages.list(date_sent_after=now - timedelta(minutes=5))] == [sid]
    assert client.messages.list(date_sent_before=now - timedelta(minutes=5)) == []


# Authentication and validation


def test_wrong_credentials_are_refused_with_401_and_nothing_is_sent(fake):
    intruder = Client(fake.account_sid, "not-the-token", http_client=FakeTwilioHttpClient(fake.url))

    with pytest.raises(TwilioRestException) as caught:
        send(intruder)

    assert (caught.value.status, caught.value.code) == (401, 20003)
    assert fake.messages == []


@pytest.mark.parametrize(
    ("to", "code"),
    [("+15005550001", 21211), ("+15005550004", 21610), ("+15005550009", 21614), ("12345", 21211), ("", 21604)],
)
def test_refused_recipients_raise_twilios_error_code(fake, client, to, code):
    with pytest.raises(TwilioRestException) as caught:
        send(client, to=to)

    assert (caught.value.status, caught.value.code) == (400, code)
    assert fake.messages == []


def test_a_message_without_body_is_refused_with_21602(client):
    with pytest.raises(TwilioRestException) as caught:
        client.messages.create(to=PHONE, from_=SENDER)

    assert caught.value.code == 21602


def test_a_message_without_sender_or_service_is_refused_with_21603(client):
    with pytest.raises(TwilioRestException) as caught:
        client.messages.create(to=PHONE, body="Hi")

    assert caught.value.code == 21603


def test_a_body_over_1600_characters_is_refused_with_21617(client):
    with pytest.raises(TwilioRestException) as caught:
        send(client, body="x" * 1601)

    assert caught.value.code == 21617


def test_error_bodies_carry_twilios_json_shape(fake):
    response = requests.post(
        f"{fake.url}/2010-04-01/Accounts/{fake.account_sid}/Messages.json",
        data={"To": "+15005550004", "From": SENDER, "Body": "Hi"},
        auth=(fake.account_sid, fake.auth_token),
        timeout=5,
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": 21610,
        "message": "Attempt to send to unsubscribed recipient",
        "more_info": "https://www.twilio.com/docs/errors/21610",
        "status": 400,
    }


@pytest.mark.parametrize(
    ("body", "segments"),
    [("a" * 160, 1), ("a" * 161, 2), ("é" * 160, 1), ("ł" * 70, 1), ("ł" * 71, 2), ("😀" * 35, 1), ("😀" * 36, 2)],
)
def test_segments_are_counted_like_twilio_for_gsm7_and_ucs2(body, segments):
    assert count_segments(body) == segments


# What the fake records


def test_every_api_request_is_recorded_with_its_params_auth_and_answer(fake, client):
    send(client)
    client.messages.list(to=PHONE)

    create, listing = fake.requests
    assert (create["method"], create["status"], create["params"]["To"]) == ("POST", 201, PHONE)
    assert create["headers"]["Authorization"].startswith("Basic ")
    assert create["time"].tzinfo is not None
    assert (listing["method"], listing["query"], listing["status"]) == ("GET", {"To": PHONE}, 200)


def test_clear_forgets_messages_requests_and_script(fake, client):
    send(client)
    fake.script(["429"])

    fake.clear()

    assert (fake.messages, fake.requests) == ([], [])
    send(client)
    assert len(fake.messages) == 1


# Scripted failures


def test_a_scripted_429_raises_20429_once_then_sending_works(fake, client):
    fake.script([{"kind": "rate_limit", "retry_after": 2}])

    with pytest.raises(TwilioRestException) as caught:
        send(client)
    send(client)

    assert (caught.value.status, caught.value.code) == (429, 20429)
    assert len(fake.messages) == 1
    assert [entry["status"] for entry in fake.requests] == [429, 201]


def test_scripted_behaviours_are_used_in_order(fake, client):
    fake.script([429, 429, 21614])

    codes = []
    for _ in range(3):
        with pytest.raises(TwilioRestException) as caught:
            send(client)
        codes.append(caught.value.code)

    assert codes == [20429, 20429, 21614]
    assert send(client).status == "queued"


def test_a_scripted_500_raises_20500_and_sends_nothing(fake, client):
    fake.script(["500"])

    with pytest.raises(TwilioRestException) as caught:
        send(client)

    assert (caught.value.status, caught.value.code) == (500, 20500)
    assert fake.messages == []


def test_a_scripted_500_that_created_the_message_still_sends_it(fake, client):
    fake.script([{"kind": "server_error", "create": True}])

    with pytest.raises(TwilioRestException):
        send(client, body="sent despite the 500")

    assert [message["body"] for message in fake.messages] == ["sent despite the 500"]


def test_a_hang_that_created_the_message_times_the_client_out_yet_the_message_exists(fake):
    fake.script([{"kind": "hang", "seconds": 30, "create": True}])
    impatient = fake.client(timeout=0.3)

    with pytest.raises(requests.exceptions.Timeout):
        send(impatient)

    [message] = fake.messages
    assert impatient.messages.list(to=PHONE)[0].sid == message["sid"]


def test_a_hang_without_create_times_out_and_sends_nothing(fake):
    fake.script(["timeout"])

    with pytest.raises(requests.exceptions.Timeout):
        send(fake.client(timeout=0.3))

    assert fake.messages == []


def test_a_slow_success_holds_the_answer_until_the_delay_is_over(fake, client):
    fake.script([{"kind": "ok", "seconds": 60}])
    answered = threading.Event()

    def send_and_note_the_answer():
        # Stopping the fake cuts the held answer off: only when it comes matters here.
        with contextlib.suppress(Exception):
            send(client)
        answered.set()

    sender = threading.Thread(target=send_and_note_the_answer, daemon=True)
    sender.start()
    deadline = time.monotonic() + 10
    while not fake.requests and time.monotonic() < deadline:
        time.sleep(0.01)

    assert fake.requests, "the request never reached the fake"
    assert not answered.is_set()  # the request is in and the message made, but the answer is held back
    fake.stop()  # ends the delay early
    sender.join(10)


def test_a_dropped_connection_raises_a_connection_error_and_sends_nothing(fake, client):
    fake.script(["drop"])

    with pytest.raises(requests.exceptions.ConnectionError):
        send(client)

    assert fake.messages == []
    assert fake.requests[0]["status"] is None


def fetch_on_one_connection(fake, times):
    """GET the account's message list `times` over one HTTP connection; each answer's Connection header."""
    connection = http.client.HTTPConnection(fake.host, fake.port, timeout=5)
    auth = base64.b64encode(f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
    path = f"/2010-04-01/Accounts/{fake.account_sid}/Messages.json"
    answers = []
    try:
        for _ in range(times):
            connection.request("GET", path, headers={"Authorization": f"Basic {auth}"})
            response = connection.getresponse()
            response.read()
            answers.append((response.status, response.getheader("Connection")))
    finally:
        connection.close()
    return answers


def test_a_connection_is_kept_open_between_calls_as_twilios_is(fake):
    assert fetch_on_one_connection(fake, 3) == [(200, None)] * 3


def test_without_keep_alive_the_fake_hangs_up_after_every_answer(fake):
    fake.keep_alive = False
    assert fetch_on_one_connection(fake, 1) == [(200, "close")]
    with socket.create_connection((fake.host, fake.port), timeout=5) as raw:
        raw.sendall(b"GET /_fake/messages HTTP/1.1\r\nHost: fake\r\n\r\n")
        answer = b"".join(iter(lambda: raw.recv(65536), b""))  # read until the fake hangs up (or time out)
    assert answer.startswith(b"HTTP/1.1 200") and b"Connection: close" in answer


def test_a_stopped_fake_hangs_up_on_the_connections_clients_keep_open(fake, client):
    send(client)
    fake.stop()
    with pytest.raises(requests.exceptions.ConnectionError):
        send(client)  # the SDK's pooled connection is closed: nothing answers as from a Twilio that is down


def test_unknown_scripted_behaviours_are_refused_up_front(fake):
    with pytest.raises(ValueError, match="unknown behaviour kind"):
        fake.script([{"kind": "explode"}])


def test_the_sdk_timeout_argument_is_honoured_per_call(fake):
    fake.script([{"kind": "hang", "seconds": 30}])
    http_client = FakeTwilioHttpClient(fake.url)

    with pytest.raises(requests.exceptions.Timeout):
        http_client.request(
            "POST",
            f"https://api.twilio.com/2010-04-01/Accounts/{fake.account_sid}/Messages.json",
            data={"To": PHONE, "From": SENDER, "Body": "Hi"},
            auth=(fake.account_sid, fake.auth_token),
            timeout=0.2,
        )


# Inbound messages and status callbacks


def test_an_inbound_message_is_posted_with_twilios_params_and_a_valid_signature(fake, receiver):
    url = receiver.url("/twilio/inbound?school=7")

    status_code, text = fake.send_inbound(url, PHONE, SENDER, "STOP")

    [post] = receiver.posts
    assert (status_code, text) == (200, "<Response/>")
    assert post["path"] == "/twilio/inbound?school=7"
    assert re.fullmatch(r"SM[0-9a-f]{32}", post["params"]["MessageSid"])
    assert post["params"]["SmsSid"] == post["params"]["SmsMessageSid"] == post["params"]["MessageSid"]
    assert {key: post["params"][key] for key in ("From", "To", "Body", "NumMedia", "ApiVersion", "AccountSid")} == {
        "From": PHONE,
        "To": SENDER,
        "Body": "STOP",
        "NumMedia": "0",
        "ApiVersion": "2010-04-01",
        "AccountSid": fake.account_sid,
    }
    assert signature_is_valid(fake, url, post)


def test_an_inbound_message_carries_the_configured_messaging_service(receiver):
    with FakeTwilio(messaging_service_sid="MG" + "b" * 32) as fake:
        fake.send_inbound(receiver.url("/in"), PHONE, SENDER, "YES")

    assert receiver.posts[0]["params"]["MessagingServiceSid"] == "MG" + "b" * 32


def test_inbound_extra_params_are_added_and_signed_and_none_removes_one(fake, receiver):
    url = receiver.url("/in")
    extra = {"OptOutType": "STOP", "From": None}

    fake.send_inbound(url, PHONE, SENDER, "STOP", message_sid="SM" + "1" * 32, extra=extra)

    [post] = receiver.posts
    assert post["params"]["MessageSid"] == "SM" + "1" * 32
    assert post["params"]["OptOutType"] == "STOP"
    assert "From" not in post["params"]
    assert signature_is_valid(fake, url, post)


@pytest.mark.parametrize("signature", ["wrong", "missing"])
def test_inbound_messages_can_be_sent_with_a_bad_signature(fake, receiver, signature):
    url = receiver.url("/in")

    fake.send_inbound(url, PHONE, SENDER, "STOP", signature=signature)

    assert not signature_is_valid(fake, url, receiver.posts[0])
    assert ("X-Twilio-Signature" in receiver.posts[0]["headers"]) is (signature == "wrong")


def test_an_inbound_message_signed_for_another_url_fails_validation(fake, receiver):
    url = receiver.url("/in")

    fake.send_inbound(url, PHONE, SENDER, "STOP", sign_url="https://mentors.example.org/in")

    assert not signature_is_valid(fake, url, receiver.posts[0])
    assert signature_is_valid(fake, "https://mentors.example.org/in", receiver.posts[0])


def test_deliver_posts_a_signed_status_callback_and_updates_the_message(fake, client, receiver):
    url = receiver.url("/twilio/status?nid=42")
    sid = send(client, status_callback=url).sid

    assert fake.deliver(sid) == (200, "<Response/>")

    [post] = receiver.posts
    assert post["params"] == {
        "SmsSid": sid,
        "SmsStatus": "delivered",
        "MessageStatus": "delivered",
        "To": PHONE,
        "MessageSid": sid,
        "AccountSid": fake.account_sid,
        "From": SENDER,
        "ApiVersion": "2010-04-01",
    }
    assert signature_is_valid(fake, url, post)
    fetched = client.messages(sid).fetch()
    assert (fetched.status, fetched.date_sent is not None) == ("delivered", True)


def test_a_failed_delivery_callback_carries_the_error_code(fake, client, receiver):
    url = receiver.url("/status")
    sid = send(client, status_callback=url).sid

    fake.deliver(sid, status="undelivered", error_code=30003)

    [post] = receiver.posts
    assert (post["params"]["MessageStatus"], post["params"]["ErrorCode"]) == ("undelivered", "30003")
    assert signature_is_valid(fake, url, post)
    assert client.messages(sid).fetch().error_code == 30003


def test_deliver_without_a_status_callback_only_changes_the_status(fake, client):
    sid = send(client).sid

    assert fake.deliver(sid, status="sent") is None
    assert fake.message(sid)["status"] == "sent"


def test_a_messaging_service_message_gets_a_sender_once_sent(fake, client, receiver):
    url = receiver.url("/status")
    sid = client.messages.create(to=PHONE, body="Hi", messaging_service_sid="MG" + "a" * 32, status_callback=url).sid

    fake.deliver(sid, status="sent")

    params = receiver.posts[0]["params"]
    assert (params["From"], params["MessagingServiceSid"]) == (fake.from_number, "MG" + "a" * 32)


def test_auto_deliver_sends_sent_then_delivered_callbacks(receiver):
    with FakeTwilio(auto_deliver=True, auto_deliver_delay=0.01) as fake:
        sid = send(fake.client(timeout=5), status_callback=receiver.url("/status")).sid
        posts = receiver.wait_for(2)

        assert [post["params"]["MessageStatus"] for post in posts] == ["sent", "delivered"]
        assert {post["params"]["MessageSid"] for post in posts} == {sid}
        assert fake.message(sid)["status"] == "delivered"


def test_an_unreachable_app_is_recorded_not_raised(fake):
    status_code, text = fake.send_inbound("http://127.0.0.1:9/in", PHONE, SENDER, "hi")

    assert (status_code, text) == (None, "")
    assert fake.webhooks[0]["error"]


# Control endpoints, for tests that drive the fake from another process


def test_control_endpoints_script_list_and_clear(fake, client):
    assert control(fake, "POST", "/_fake/script", [{"kind": "rate_limit"}])[0] == 200
    with pytest.raises(TwilioRestException):
        send(client)
    send(client, body="second try")

    _, listed = control(fake, "GET", "/_fake/messages")
    _, seen = control(fake, "GET", "/_fake/requests")
    assert [message["body"] for message in listed["messages"]] == ["second try"]
    assert [entry["status"] for entry in seen["requests"]] == [429, 201]

    assert control(fake, "POST", "/_fake/clear") == (200, {"cleared": True})
    assert control(fake, "GET", "/_fake/messages") == (200, {"messages": []})


def test_control_endpoints_send_inbound_and_deliver(fake, client, receiver):
    sid = send(client, status_callback=receiver.url("/status")).sid
    reply = {"url": receiver.url("/in"), "from": PHONE, "to": SENDER, "body": "YES"}

    inbound = control(fake, "POST", "/_fake/inbound", reply)
    delivered = control(fake, "POST", "/_fake/deliver", {"sid": sid, "status": "failed", "error_code": 30008})

    assert inbound == (200, {"status_code": 200, "text": "<Response/>"})
    assert delivered[1]["status_code"] == 200
    assert [post["path"] for post in receiver.posts] == ["/in", "/status"]
    assert receiver.posts[1]["params"]["MessageStatus"] == "failed"
    assert control(fake, "GET", "/_fake/webhooks")[1]["webhooks"][1]["kind"] == "status_callback"


def test_control_endpoints_refuse_bad_input(fake):
    assert control(fake, "POST", "/_fake/script", {"kind": "explode"})[0] == 400
    assert control(fake, "POST", "/_fake/deliver", {"sid": "SM" + "0" * 32})[0] == 404
    assert control(fake, "GET", "/_fake/nothing")[0] == 404
    assert requests.post(fake.url + "/_fake/script", data="not json", timeout=5).status_code == 400


# The SDK client and the command line


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?To=1",
            "http://fake:1/2010-04-01/Accounts/AC1/Messages.json?To=1",
        ),
        ("https://messaging.twilio.com/v1/Services", "http://fake:1/v1/Services"),
        ("https://api.example.com/2010-04-01/x", "https://api.example.com/2010-04-01/x"),
        ("http://api.twilio.com/x", "http://api.twilio.com/x"),
        ("https://eviltwilio.com/x", "https://eviltwilio.com/x"),
    ],
)
def test_only_twilio_origins_are_rewritten_to_the_fake(url, expected):
    assert rewrite_url(url, "http://fake:1") == expected


def test_a_base_url_with_a_path_prefix_is_kept():
    assert rewrite_url("https://api.twilio.com/x.json", "http://fake:1/twilio/") == "http://fake:1/twilio/x.json"


def test_the_package_imports_without_django():
    code = "import sys, notifications.twilio_fake; assert 'django' not in sys.modules"

    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True, timeout=30)


def run_until_url(command):
    """Start ``command``, return (process, url) once it prints where it listens."""
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    for line in process.stdout:
        found = re.search(r"listening on (http://\S+)", line)
        if found:
            return process, found.group(1)
    raise AssertionError("the fake never printed its URL")


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "notifications.twilio_fake", "--port", "0", "--auto-deliver"],
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; settings.configure(); django.setup();"
            "from notifications.management.commands.twilio_fake import Command;"
            "Command().run_from_argv(['manage.py', 'twilio_fake', '--port', '0', '--auth-token', 'tok'])",
        ],
    ],
    ids=["python-m", "manage-py-command"],
)
def test_the_command_line_serves_the_fake_until_interrupted(command):
    process, url = run_until_url(command)
    try:
        response = requests.get(url + "/_fake/messages", timeout=5)
        assert (response.status_code, response.json()) == (200, {"messages": []})
    finally:
        process.send_signal(2)
        process.communicate(timeout=10)
    assert process.returncode == 0


def test_recorded_data_is_json_ready_over_http(fake, client):
    send(client)

    _, listed = control(fake, "GET", "/_fake/messages")

    assert datetime.fromisoformat(listed["messages"][0]["date_created"]).tzinfo is not None
    assert json.dumps(listed)
