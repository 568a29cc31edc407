"""What a text someone sends us means, and the answer they get.

Replies are understood in any case, with spaces or punctuation ("yes!", " Stop ", "opt-out").
Texts the system cannot act on are kept for the coordinators of the sender's alliance (the inbox).
"""
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

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
MAX_CHOICES_LISTED = 3

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
    mentors = _mentors(phone)
    if keyword in HELP_WORDS:
        return Outcome("help", _help_text(phone, mentors))
    if SmsOptOut.objects.filter(phone=phone).exists():
        return Outcome("opted_out", "", needs_review=True)  # no text to a number that said STOP
    if not mentors and _alliance_of(phone) is None:
        log.info("text from unknown number %s", phone)
        return Outcome("unknown_number", UNKNOWN_NUMBER_REPLY, needs_review=True)
    if mentors and (keyword in YES_WORDS or keyword in NO_WORDS):
        return _answer(mentors, accept=keyword in YES_WORDS, choice=choice)
    return Outcome("unrecognised", UNRECOGNISED_REPLY, needs_review=True)


def _keyword_reply(text):
    """Twilio answers STOP and START itself on numbers with its default opt-out handling: never answer twice."""
    return "" if settings.TWILIO_HANDLES_OPT_OUT_REPLIES else text


def _mentors(phone):
    from mentors.models import Mentor

    return list(Mentor.objects.filter(phone=phone).select_related("company__alliance", "user"))


def _teachers(phone):
    from schools.models import Teacher

    return list(Teacher.objects.filter(phone=phone).select_related("school__alliance"))


def _alliance_of(phone):
    for mentor in _mentors(phone):
        return mentor.company.alliance
    for teacher in _teachers(phone):
        return teacher.school.alliance
    return None


def _help_text(phone, mentors):
    alliance = _alliance_of(phone)
    if alliance is None:
        return "Mentorbridge connects STEM volunteers with classrooms. Reply STOP to opt out."
    contact = ", ".join(filter(None, [alliance.contact_phone, alliance.contact_email]))
    return f"Mentorbridge ({alliance.name}): questions? {contact}. Reply STOP to opt out."


def _pending(mentors):
    from scheduling.models import Match

    return list(
        Match.objects.filter(mentor__in=mentors, status__in=[Match.Status.APPROVED, Match.Status.INVITED])
        .select_related("session__request__school", "mentor").order_by("session__starts_at", "pk")
    )


def _choices(pending, word):
    from notifications.compose import when

    listed = "; ".join(
        f"{word} {n} for {m.session.request.topic[:30]} {when(m.session, m.mentor.timezone)}"
        for n, m in enumerate(pending[:MAX_CHOICES_LISTED], start=1)
    )
    more = f" (or see {settings.PUBLIC_BASE_URL}/me/sessions/)" if len(pending) > MAX_CHOICES_LISTED else ""
    return f"Mentorbridge: you have {len(pending)} invitations. Reply {listed}{more}."


def _answer(mentors, *, accept, choice):
    from notifications.compose import when
    from scheduling import services

    pending = _pending(mentors)
    if not pending:
        return Outcome("no_pending", "Mentorbridge: you have no invitation waiting for an answer. Thank you!")
    word = "YES" if accept else "NO"
    if len(pending) > 1 and choice is None:
        return Outcome("ambiguous", _choices(pending, word))
    if choice is not None and not 1 <= choice <= len(pending):
        return Outcome("ambiguous", f"Mentorbridge: please reply {word} and a number from 1 to {len(pending)}.")
    match = pending[(choice or 1) - 1]
    request = match.session.request
    try:
        if accept:
            services.confirm_match(match_id=match.pk, via="sms")
            return Outcome("confirmed", (
                f"Mentorbridge: thank you! You're confirmed for {request.topic} "
                f"{when(match.session, match.mentor.timezone)} at {request.school.name}."
            ))
        services.decline_match(match_id=match.pk, via="sms", reason="declined by text")
        return Outcome("declined", "Mentorbridge: no problem, we'll ask someone else. Thank you!")
    except services.MatchError:
        return Outcome("too_late", "Mentorbridge: that invitation is no longer open. Thank you!")


def mark_reviewed(*, message_id, alliance, actor):
    """A coordinator has dealt with a text of their alliance (404 for another alliance's)."""
    from django.utils import timezone

    message = InboundMessage.objects.get(pk=message_id, alliance=alliance)
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
