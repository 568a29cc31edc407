"""The Messages API: create, list and fetch, answered the way Twilio answers them.

Functions here take the ``FakeTwilio`` and one parsed request and return a
``Reply``, or None when the connection should be dropped without an answer.
"""

import base64
import binascii
import re
from dataclasses import dataclass, field

from .resources import API_VERSION, count_segments, error_body, message_page, message_resource, new_sid, utc_now
from .validation import create_error, matches

MESSAGES = re.compile(rf"^/{API_VERSION}/Accounts/(?P<account>[^/]+)/Messages\.json$")
MESSAGE = re.compile(rf"^/{API_VERSION}/Accounts/(?P<account>[^/]+)/Messages/(?P<sid>[^/]+)\.json$")
LIST_FILTERS = ("To", "From", "DateSent", "DateSent<", "DateSent>")
MAX_PAGE_SIZE = 1000


@dataclass
class Reply:
    """An HTTP answer: status, JSON body and extra headers."""

    status: int
    body: object
    headers: dict = field(default_factory=dict)


def error_reply(code, status, detail="", headers=None):
    """Return a Reply carrying Twilio's error JSON."""
    return Reply(status, error_body(code, status, detail), headers or {})


def credentials(authorization):
    """Decode an HTTP basic ``Authorization`` header into ``(user, password)``, or None."""
    scheme, _, encoded = (authorization or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, _, password = base64.b64decode(encoded).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user, password


def handle_api(fake, request):
    """Answer one API request; ``request`` has method, path, query, params, headers."""
    route = MESSAGES.match(request["path"]) or MESSAGE.match(request["path"])
    if route is None:
        return error_reply(20404, 404, request["path"])
    if not _authorised(fake, request, route["account"]):
        return error_reply(20003, 401, headers={"WWW-Authenticate": 'Basic realm="Twilio API"'})
    try:
        return _dispatch(fake, request, route)
    except ValueError as error:
        return error_reply(20001, 400, str(error))


def _authorised(fake, request, account):
    given = credentials(request["headers"].get("Authorization"))
    return given == (fake.account_sid, fake.auth_token) and account == fake.account_sid


def _dispatch(fake, request, route):
    method = request["method"]
    if "sid" in route.groupdict():
        return fetch_message(fake, route["sid"], request["path"]) if method == "GET" else _not_allowed()
    if method == "POST":
        return create_message(fake, request)
    if method == "GET":
        return list_messages(fake, request["query"])
    return _not_allowed()


def _not_allowed():
    return error_reply(20004, 405)


def fetch_message(fake, sid, path):
    """Answer ``GET .../Messages/{sid}.json``."""
    message = fake.ledger.message(sid)
    if message is None:
        return error_reply(20404, 404, path)
    return Reply(200, message_resource(message))


def list_messages(fake, query):
    """Answer ``GET .../Messages.json``, newest first, with Twilio's page shape."""
    filters = {key: query[key] for key in LIST_FILTERS if key in query}
    page_size = min(int(query.get("PageSize", 50)), MAX_PAGE_SIZE)
    page = int(query.get("Page", 0))
    if page_size < 1 or page < 0:
        raise ValueError("PageSize and Page must be positive")
    found = [message for message in reversed(fake.ledger.messages()) if matches(message, filters)]
    return Reply(200, message_page(fake.account_sid, found, filters, page, page_size))


def create_message(fake, request):
    """Answer ``POST .../Messages.json`` as the next scripted behaviour says."""
    behaviour = fake.ledger.next_behaviour()
    fake.ledger.finish_request(request, behaviour=behaviour.as_dict())
    message = None
    if behaviour.create:
        problem = create_error(request["params"])
        if problem:
            return error_reply(problem[0], 400, problem[1])
        message = fake.accept_message(new_message(fake.account_sid, request["params"]))
    fake.pause(behaviour.seconds)
    if not behaviour.answers or fake.stopping:
        return None
    if behaviour.is_error:
        return _scripted_error(behaviour)
    return Reply(201, message_resource(message))


def _scripted_error(behaviour):
    headers = {"Retry-After": str(behaviour.retry_after)} if behaviour.retry_after is not None else {}
    return error_reply(behaviour.code, behaviour.status, headers=headers)


def new_message(account_sid, form):
    """Build the stored dict for a message created from valid form params."""
    service = form.get("MessagingServiceSid") or None
    sender = form.get("From") or None
    body = form.get("Body", "")
    media = form.get("MediaUrl") or []
    now = utc_now()
    return {
        "sid": new_sid("SM"),
        "account_sid": account_sid,
        "to": form["To"],
        "from_": sender,
        "body": body,
        "messaging_service_sid": service,
        "status": "accepted" if service else "queued",
        "status_callback": form.get("StatusCallback") or None,
        "error_code": None,
        "error_message": None,
        "num_segments": 0 if service and not sender else count_segments(body),
        "num_media": len(media) if isinstance(media, list) else 1,
        "direction": "outbound-api",
        "price": None,
        "date_created": now,
        "date_updated": now,
        "date_sent": None,
    }
