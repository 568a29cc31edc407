"""What a text someone sends us means, and the answer they get.

Replies are understood in any case, with spaces or punctuation ("yes!", " Stop ", "opt-out").
Texts the system cannot act on are kept for the coordinators of the sender's alliance (the inbox).
"""
import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import hooks
from .models import InboundMessage, SmsOptOut

log = logging.getLogger(__name__)

# Twilio's default opt-out keywords (and the FCC's per-se revocations), as single words.
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
# In a longer text these still mean "stop"; "end" or "cancel" in a sentence usually do not.
STOP_IN_SENTENCE = {"STOP", "STOPALL", "UNSUBSCRIBE", "OPTOUT", "REVOKE"}
START_WORDS = {"START", "UNSTOP"}
HELP_WORDS = {"HELP", "INFO"}
YES_WORDS = {"YES", "Y", "YEP", "YEAH", "SURE"}
NO_WORDS = {"NO", "N", "NOPE"}
# Words after a YES that take it back ("yes but I can't"): such a text confirms nothing.
NEGATIONS = {"NOT", "CANT", "CANNOT", "DONT", "WONT", "CAN T", "DON T", "WON T", "UNLESS", "MAYBE"}
# A bare number answers a numbered list we just sent: the keyword the domain receives with it.
NUMBER = "NUMBER"

STOP_REPLY = "Mentorbridge: you will get no more texts from us. Reply START to resubscribe."
START_REPLY = "Mentorbridge: texts are back on. Reply HELP for help, STOP to opt out."
UNKNOWN_NUMBER_REPLY = "Mentorbridge: we don't have this number on file. Reply HELP for contacts, STOP to opt out."
UNRECOGNISED_REPLY = (
    "Mentorbridge: thanks, a coordinator will read this. Reply YES to accept, NO to decline, HELP for help, "
    "STOP to opt out."
)
# How long a question we asked (a numbered list, "reply DROP to cancel") waits for its answer.
CONTEXT_TTL_HOURS = 12


@dataclass(frozen=True)
class Outcome:
    handled_as: str
    reply: str = ""
    needs_review: bool = False
    # What the reply asked (a numbered list, a question), kept so the sender's next text can answer it.
    context: dict | None = None


def words(body):
    """The letters-and-digits words of a text, upper-cased: "Yes!2" -> ["YES", "2"]."""
    return re.findall(r"[A-Z]+|[0-9]+", (body or "").upper())


def _canonical(word):
    return "YES" if word in YES_WORDS else "NO" if word in NO_WORDS else word


def parse(body):
    """What a reply says: its first word decides, an optional number picks from a list.

    ("YES", None) for " yes! " or "Yes please", ("YES", 2) for "yes 2", ("NUMBER", 2) for a bare "2",
    ("OPTOUT", None) for "opt-out", ("DROP", None) for "drop"; (None, None) for anything ambiguous
    ("yes no", "yes but I can't").
    """
    found = words(body)
    if not found:
        return None, None
    if "".join(found) in STOP_WORDS | START_WORDS:
        return "".join(found), None
    if len(found) == 1 and found[0].isdigit():
        return NUMBER, int(found[0])
    first, rest = _canonical(found[0]), found[1:]
    choice = int(rest[0]) if rest and rest[0].isdigit() else None
    if first in ("YES", "NO"):
        said = {_canonical(word) for word in rest}
        if said & {"YES", "NO"} - {first} or _negated(rest):
            return None, None
        return first, choice
    if len(found) == 1 or (len(found) == 2 and choice is not None):
        return first, choice
    return None, None


def _negated(rest):
    joined = " ".join(rest)
    return bool(NEGATIONS.intersection(rest)) or any(f" {n} " in f" {joined} " for n in NEGATIONS)


def asks_to_stop(body):
    """A longer text that still says stop ("please stop texting me", "opt out"): honoured as STOP."""
    found = words(body)
    return bool(STOP_IN_SENTENCE.intersection(found)) or "OPT OUT" in " ".join(found)


def handle_inbound(*, message_sid, from_number, to_number, body):
    """Act on one inbound text exactly once (keyed by MessageSid); returns the reply to send, or ""."""
    existing = InboundMessage.objects.filter(message_sid=message_sid).first()
    if existing:
        return existing.reply
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                message_sid=message_sid, from_number=from_number, to_number=to_number, body=body,
                alliance=_alliance_of(from_number),
            )
            outcome = _act(from_number, body)
            InboundMessage.objects.filter(pk=message.pk).update(
                handled_as=outcome.handled_as, reply=outcome.reply, needs_review=outcome.needs_review,
                context=outcome.context or {},
            )
    except IntegrityError:  # the same MessageSid, handled by a concurrent request
        return InboundMessage.objects.get(message_sid=message_sid).reply
    log.info("inbound text %s from %s handled as %s", message_sid, from_number, outcome.handled_as)
    return outcome.reply


def _act(phone, body):
    keyword, choice = parse(body)
    if keyword in STOP_WORDS or (keyword is None and asks_to_stop(body)):
        SmsOptOut.objects.get_or_create(phone=phone)
        return Outcome("stop", _keyword_reply(STOP_REPLY), needs_review=keyword is None)
    if keyword in START_WORDS:
        SmsOptOut.objects.filter(phone=phone).delete()
        return Outcome("start", _keyword_reply(START_REPLY))
    alliance = _alliance_of(phone)
    if keyword in HELP_WORDS:
        return Outcome("help", _help_text(alliance))
    if SmsOptOut.objects.filter(phone=phone).exists():
        return Outcome("opted_out", "", needs_review=True)  # no text to a number that said STOP
    if alliance is None:
        log.info("text from unknown number %s", phone)
        return Outcome("unknown_number", UNKNOWN_NUMBER_REPLY, needs_review=True)
    outcome = hooks.call("NOTIFICATIONS_REPLY_HANDLER", phone=phone, keyword=keyword, choice=choice, body=body)
    return outcome or Outcome("unrecognised", UNRECOGNISED_REPLY, needs_review=True)


def _keyword_reply(text):
    """Twilio answers STOP and START itself on numbers with its default opt-out handling: never answer twice."""
    return "" if settings.TWILIO_HANDLES_OPT_OUT_REPLIES else text


def _alliance_of(phone):
    return hooks.call("NOTIFICATIONS_ALLIANCE_OF_PHONE", phone)


def _help_text(alliance):
    if alliance is None:
        return "Mentorbridge connects STEM volunteers with classrooms. Reply STOP to opt out."
    contact = ", ".join(filter(None, [alliance.contact_phone, alliance.contact_email]))
    return f"Mentorbridge ({alliance.name}): questions? {contact}. Reply STOP to opt out."


def previous_context(phone, now=None):
    """What our last answer to `phone` asked, if it is recent enough to be answered now; else {}."""
    now = now or timezone.now()
    last = (InboundMessage.objects.filter(from_number=phone).exclude(handled_as="")
            .order_by("-received_at", "-pk").only("context", "received_at").first())
    if last is None or last.received_at < now - timedelta(hours=CONTEXT_TTL_HOURS):
        return {}
    return last.context or {}


def mark_reviewed(*, message_id, alliance, actor):
    """A coordinator has dealt with a text of their alliance (Http404 for another alliance's or an unknown id)."""
    message = get_object_or_404(InboundMessage, pk=message_id, alliance=alliance)
    InboundMessage.objects.filter(pk=message.pk, reviewed_at__isnull=True).update(
        reviewed_at=timezone.now(), reviewed_by=actor
    )
    message.refresh_from_db()
    return message


def post_alert(*, alliance, key, body):
    """Put a system alert in the alliance's coordinators' inbox, beside the texts waiting for a person.

    Once per `key` (at most 64 characters); it is resolved like a text.
    """
    message, _ = InboundMessage.objects.get_or_create(
        message_sid=key,
        defaults={"from_number": "", "to_number": "", "body": body, "handled_as": "alert", "alliance": alliance,
                  "needs_review": True},
    )
    return message
