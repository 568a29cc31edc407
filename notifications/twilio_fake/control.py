"""``/_fake/...`` endpoints: drive the fake from another process over HTTP.

All bodies are JSON. They need no credentials: the fake listens on a local
port for tests and development only.
"""

from .api import Reply


def handle_control(fake, method, path, payload):
    """Answer one control request; ``payload`` is the decoded JSON body (or None)."""
    action = ROUTES.get((method, path))
    if action is None:
        return Reply(404, {"error": f"no control endpoint {method} {path}", "endpoints": endpoint_list()})
    try:
        return action(fake, payload or {})
    except (KeyError, TypeError, ValueError) as error:
        return Reply(400, {"error": f"{type(error).__name__}: {error}"})


def endpoint_list():
    """Return the control endpoints as ``"METHOD /path"`` strings."""
    return [f"{method} {path}" for method, path in ROUTES]


def _messages(fake, payload):
    return Reply(200, {"messages": fake.messages})


def _requests(fake, payload):
    return Reply(200, {"requests": fake.requests})


def _webhooks(fake, payload):
    return Reply(200, {"webhooks": fake.webhooks})


def _clear(fake, payload):
    fake.clear()
    return Reply(200, {"cleared": True})


def _script(fake, payload):
    fake.script(payload)
    return Reply(200, {"pending": [behaviour.as_dict() for behaviour in fake.ledger.pending()]})


def _inbound(fake, payload):
    status_code, text = fake.send_inbound(
        payload["url"],
        payload["from"],
        payload["to"],
        payload["body"],
        message_sid=payload.get("message_sid"),
        extra=payload.get("extra"),
        signature=payload.get("signature", "valid"),
        sign_url=payload.get("sign_url"),
    )
    return Reply(200, {"status_code": status_code, "text": text})


def _deliver(fake, payload):
    if fake.ledger.message(payload["sid"]) is None:
        return Reply(404, {"error": f"no message {payload['sid']}"})
    outcome = fake.deliver(
        payload["sid"],
        payload.get("status", "delivered"),
        payload.get("error_code"),
        signature=payload.get("signature", "valid"),
    )
    status_code, text = outcome or (None, "")
    return Reply(200, {"status_code": status_code, "text": text, "posted": outcome is not None})


ROUTES = {
    ("GET", "/_fake/messages"): _messages,
    ("GET", "/_fake/requests"): _requests,
    ("GET", "/_fake/webhooks"): _webhooks,
    ("POST", "/_fake/clear"): _clear,
    ("POST", "/_fake/script"): _script,
    ("POST", "/_fake/inbound"): _inbound,
    ("POST", "/_fake/deliver"): _deliver,
}
