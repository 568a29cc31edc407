"""What a text someone sends us means, and the answer they get.

Replies are understood in any case, with spaces or punctuation ("yes!", " Stop ", "opt-out").
Texts the system cannot act on are kept for the coordinators of the sender's alliance (the inbox).
"""
import logging
import re
from dataclasses import dataclass

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
YES_WORDS = {"YES", "Y", "1"}
NO_WORDS = {"NO", "N", "2"}

STOP_REPLY = "Mentorbridge: you will get no more texts from us. Reply START to resubscribe."
START_REPLY = "Mentorbridge: texts are back on. Reply HELP for help, STOP to opt out."
UNKNOWN_NUMBER_REPLY = "Mentorbridge: we don't have this number on file. Reply HELP for contacts, STOP to opt out."
UNRECOGNISED_REPLY = (
    "Mentorbridge: thanks, a coordinator will read this. Reply YES to accept, NO to decline, HELP for help, "
    "STOP to opt out."
)


@dataclass(frozen=True)
class Outcome:
    handled_as: str
    reply: str = ""
    needs_review: bool = False


def words(body):
    """The letters-and-digits words of a text, upper-cased: "Yes!2" -> ["YES", "2"]."""
    return re.findall(r"[A-Z]+|[0-9]+", (body or "").upper())


def _canonical(word):
    return "YES" if word in YES_WORDS else "NO" if word in NO_WORDS else word


def parse(body):
    """("YES", None) for " yes! " or "1", ("YES", 2) for "yes 2", ("OPTOUT", None) for "opt-out", else (None, None)."""
    found = words(body)
    if len(found) == 1:
        return _canonical(found[0]), None
    if "".join(found) in STOP_WORDS | START_WORDS:
        return "".join(found), None
    if len(found) == 2 and found[0] in YES_WORDS | NO_WORDS and found[1].isdigit():
        return _canonical(found[0]), int(found[1])
    return None, None


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
                handled_as=outcome.handled_as, reply=outcome.reply, needs_review=outcome.needs_review
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
