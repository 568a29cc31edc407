"""What a text someone sends us means, and the answer they get."""
import re

from django.db import IntegrityError, transaction

from .models import InboundMessage, SmsOptOut

STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
START_WORDS = {"START", "UNSTOP"}
HELP_WORDS = {"HELP", "INFO"}
YES_WORDS = {"YES", "Y", "1"}
NO_WORDS = {"NO", "N", "2"}

UNKNOWN_NUMBER_REPLY = (
    "Mentorbridge: we don't have this number on file. Reply HELP for contacts, STOP to opt out."
)
UNRECOGNISED_REPLY = "Mentorbridge: reply YES to accept, NO to decline, HELP for help, STOP to opt out."


def parse(body):
    """("YES", None) for " yes! ", ("YES", 2) for "yes 2", (None, None) for anything else."""
    words = re.findall(r"[A-Z0-9]+", (body or "").upper())
    if len(words) == 1:
        return words[0], None
    if len(words) == 2 and words[0] in YES_WORDS | NO_WORDS and words[1].isdigit():
        return words[0], int(words[1])
    return None, None


def handle_inbound(*, message_sid, from_number, to_number, body):
    """Act on one inbound text exactly once (keyed by MessageSid); returns the reply to send, or ""."""
    existing = InboundMessage.objects.filter(message_sid=message_sid).first()
    if existing:
        return existing.reply
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                message_sid=message_sid, from_number=from_number, to_number=to_number, body=body
            )
            handled_as, reply = _act(from_number, body)
            InboundMessage.objects.filter(pk=message.pk).update(handled_as=handled_as, reply=reply)
            return reply
    except IntegrityError:  # the same MessageSid, handled by a concurrent request
        return InboundMessage.objects.get(message_sid=message_sid).reply


def _act(phone, body):
    keyword, choice = parse(body)
    if keyword in STOP_WORDS:
        SmsOptOut.objects.get_or_create(phone=phone)
        return "stop", "Mentorbridge: you will get no more texts from us. Reply START to resubscribe."
    if keyword in START_WORDS:
        SmsOptOut.objects.filter(phone=phone).delete()
        return "start", "Mentorbridge: texts are back on. Reply HELP for help, STOP to opt out."
    mentors = _mentors(phone)
    if keyword in HELP_WORDS:
        return "help", _help_text(mentors)
    if not mentors:
        return "unknown_number", UNKNOWN_NUMBER_REPLY
    if keyword in YES_WORDS or keyword in NO_WORDS:
        return _answer(mentors, accept=keyword in YES_WORDS, choice=choice)
    return "unrecognised", UNRECOGNISED_REPLY


def _mentors(phone):
    from mentors.models import Mentor

    return list(Mentor.objects.filter(phone=phone).select_related("company__alliance", "user"))


def _help_text(mentors):
    if not mentors:
        return "Mentorbridge connects STEM volunteers with classrooms. Reply STOP to opt out."
    alliance = mentors[0].company.alliance
    contact = ", ".join(filter(None, [alliance.contact_phone, alliance.contact_email]))
    return f"Mentorbridge ({alliance.name}): questions? {contact}. Reply STOP to opt out."


def _pending(mentors):
    from scheduling.models import Match

    return list(
        Match.objects.filter(mentor__in=mentors, status__in=[Match.Status.APPROVED, Match.Status.INVITED])
        .select_related("session__request__school", "mentor").order_by("session__starts_at", "pk")
    )


def _answer(mentors, *, accept, choice):
    from notifications.compose import when
    from scheduling import services

    pending = _pending(mentors)
    if not pending:
        return "no_pending", "Mentorbridge: you have no invitation waiting for an answer. Thank you!"
    if len(pending) > 1 and choice is None:
        word = "YES" if accept else "NO"
        options = "; ".join(
            f"{word} {n} for {m.session.request.topic} {when(m.session, m.mentor.timezone)}"
            for n, m in enumerate(pending, start=1)
        )
        return "ambiguous", f"Mentorbridge: you have {len(pending)} invitations. Reply {options}."
    if choice is not None and not 1 <= choice <= len(pending):
        return "ambiguous", f"Mentorbridge: please reply with a number from 1 to {len(pending)}."
    match = pending[(choice or 1) - 1]
    request = match.session.request
    try:
        if accept:
            services.confirm_match(match_id=match.pk, via="sms")
            return "confirmed", (
                f"Mentorbridge: thank you! You're confirmed for {request.topic} "
                f"{when(match.session, match.mentor.timezone)} at {request.school.name}."
            )
        services.decline_match(match_id=match.pk, via="sms", reason="declined by text")
        return "declined", "Mentorbridge: no problem, we'll ask someone else. Thank you!"
    except services.MatchError:
        return "too_late", "Mentorbridge: that invitation is no longer open. Thank you!"
