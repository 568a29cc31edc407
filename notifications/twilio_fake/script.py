"""Scripted behaviours for the next create calls: rate limits, 5xx, hangs, drops.

A behaviour is written as a dict, a short string or a Twilio error code::

    {"kind": "rate_limit", "retry_after": 1}      # 429, code 20429
    {"kind": "server_error", "create": True}       # 500, code 20500, yet sent
    {"kind": "error", "code": 21610}               # 400 with that Twilio code
    {"kind": "hang", "seconds": 30, "create": True}
    {"kind": "drop"}                               # close without answering
    429, 500, "hang", "drop", "ok", 21614          # shorthands (other numbers are codes)

``create`` says whether the message is recorded as created (and so reaches
the phone) whatever the answer. ``seconds`` delays any answer. A hang that
did not create the message ends by dropping the connection.
"""

from dataclasses import dataclass

KINDS = {
    "ok": {"status": 201},
    "rate_limit": {"status": 429, "code": 20429},
    "server_error": {"status": 500, "code": 20500},
    "error": {"status": 400},
    "hang": {"seconds": 30.0},
    "drop": {"status": None},
}
ALIASES = {"429": "rate_limit", "500": "server_error", "timeout": "hang", "created": "ok"}
FIELDS = {"kind", "status", "code", "create", "seconds", "retry_after"}


@dataclass(frozen=True)
class Behaviour:
    """What the fake does with one create call."""

    kind: str = "ok"
    status: int | None = 201
    code: int | None = None
    create: bool = True
    seconds: float = 0.0
    retry_after: int | None = None

    @property
    def answers(self):
        """Whether an HTTP answer is sent at all (a drop or a failed hang sends none)."""
        return self.kind not in ("drop", "hang") or (self.kind == "hang" and self.create)

    @property
    def is_error(self):
        """Whether the answer is a Twilio error body rather than the message."""
        return self.code is not None

    def as_dict(self):
        """Return the behaviour as plain JSON-ready data."""
        return dict(self.__dict__)


OK = Behaviour()


def parse_behaviour(spec):
    """Turn one user-written behaviour into a ``Behaviour``; raise ValueError if unclear."""
    if isinstance(spec, Behaviour):
        return spec
    if isinstance(spec, int) and not isinstance(spec, bool):
        spec = str(spec)
    if isinstance(spec, str):
        spec = {"kind": "error", "code": int(spec)} if spec.isdigit() and spec not in ALIASES else {"kind": spec}
    if not isinstance(spec, dict):
        raise ValueError(f"cannot script {spec!r}")
    return _from_dict(spec)


def _from_dict(spec):
    unknown = set(spec) - FIELDS
    if unknown:
        raise ValueError(f"unknown behaviour fields {sorted(unknown)}")
    kind = ALIASES.get(str(spec.get("kind", "ok")), spec.get("kind", "ok"))
    if kind not in KINDS:
        raise ValueError(f"unknown behaviour kind {kind!r}")
    fields = {"create": kind == "ok", **KINDS[kind], **spec, "kind": kind}
    if kind == "error" and not isinstance(fields.get("code"), int):
        raise ValueError(f"an error behaviour needs an integer Twilio code, got {fields.get('code')!r}")
    if kind == "ok" and not fields["create"]:
        raise ValueError("an ok behaviour always creates the message")
    fields["seconds"] = float(fields.get("seconds", 0.0))
    return Behaviour(**fields)


def parse_script(specs):
    """Parse a list of behaviours (or a single one) into ``Behaviour`` objects.

    A dict holding ``failures`` is read as that list, so JSON callers can wrap it.
    """
    if isinstance(specs, dict) and "failures" in specs:
        specs = specs["failures"]
    if isinstance(specs, dict | str | int | Behaviour):
        specs = [specs]
    return [parse_behaviour(spec) for spec in specs]
