"""The domain's side of an SMS reply: YES / NO to an invitation, and whose number it is.

notifications/inbound.py handles STOP, START and HELP and asks these through settings
(NOTIFICATIONS_REPLY_HANDLER, NOTIFICATIONS_ALLIANCE_OF_PHONE; see notifications/hooks.py).
"""
from django.conf import settings
from django.utils import timezone

from mentors.models import Mentor
from notifications import inbound
from notifications.inbound import Outcome
from schools.models import Teacher

from . import services
from .messages import when
from .models import Match

MAX_CHOICES_LISTED = 3
# How a confirmed mentor backs out by text: never a carrier opt-out keyword (STOP, CANCEL, END, QUIT, ...).
DROP = "DROP"


def _mentors(phone):
    return list(Mentor.objects.filter(phone=phone).select_related("company__alliance", "user"))


def alliance_of_phone(phone):
    """The alliance of the volunteer, else the teacher, with this number; None for an unknown number."""
    for mentor in _mentors(phone):
        return mentor.company.alliance
    for teacher in Teacher.objects.filter(phone=phone).select_related("school__alliance"):
        return teacher.school.alliance
    return None


def handle_reply(*, phone, keyword, choice, body):
    """A volunteer's answer: YES or NO to an invitation, a bare number picking from the list we just sent,
    NO from a confirmed mentor (asked to confirm with DROP) and DROP (cancels, and a replacement is sought).

    Returns the Outcome with the answer to text back, or None when the text is not an answer.
    """
    mentors = _mentors(phone)
    if not mentors:
        return None
    asked = inbound.previous_context(phone)
    if keyword == inbound.NUMBER:
        return _pick(mentors, asked, choice)
    if keyword == DROP:
        return _drop(mentors, asked, choice)
    if keyword in ("YES", "NO"):
        return _answer(mentors, accept=keyword == "YES", choice=choice)
    return None


def _pending(mentors):
    return list(
        Match.objects.filter(mentor__in=mentors, status__in=[Match.Status.APPROVED, Match.Status.INVITED])
        .select_related("session__request__school", "mentor").order_by("session__starts_at", "pk")
    )


def _booked(mentors):
    return list(
        Match.objects.filter(mentor__in=mentors, status=Match.Status.CONFIRMED, session__starts_at__gt=timezone.now())
        .select_related("session__request__school", "mentor").order_by("session__starts_at", "pk")
    )


def _listed(matches, word):
    return "; ".join(
        f"{word} {n} for {_short(m.session.request.topic)} {when(m.session, m.mentor.timezone)}"
        for n, m in enumerate(matches[:MAX_CHOICES_LISTED], start=1)
    )


def _short(topic, limit=30):
    return topic if len(topic) <= limit else topic[: limit - 3].rstrip() + "..."


def _choices(pending, word):
    more = f" (or see {settings.PUBLIC_BASE_URL}/me/sessions/)" if len(pending) > MAX_CHOICES_LISTED else ""
    return Outcome("ambiguous", f"Mentorbridge: you have {len(pending)} invitations. Reply "
                                f"{_listed(pending, word)}{more}.",
                   context={"word": word, "listed": [m.pk for m in pending[:MAX_CHOICES_LISTED]]})


def _answer(mentors, *, accept, choice):
    pending = _pending(mentors)
    if not pending and not accept and _booked(mentors):
        return _ask_to_drop(_booked(mentors))
    if not pending:
        return Outcome("no_pending", "Mentorbridge: you have no invitation waiting for an answer. Thank you!")
    word = "YES" if accept else "NO"
    if len(pending) > 1 and choice is None:
        return _choices(pending, word)
    if choice is not None and not 1 <= choice <= len(pending):
        return Outcome("ambiguous", f"Mentorbridge: please reply {word} and a number from 1 to {len(pending)}.")
    return _decide(pending[(choice or 1) - 1], accept=accept)


def _pick(mentors, asked, choice):
    """A bare number right after a numbered list answers that list (with its word); otherwise it means nothing."""
    listed = asked.get("listed") or []
    if not listed or not 1 <= choice <= len(listed):
        return None
    match = Match.objects.filter(pk=listed[choice - 1], mentor__in=mentors).select_related(
        "session__request__school", "mentor").first()
    if match is None:
        return None
    if asked.get("word") == DROP:
        return _cancel_by_text(match)
    return _decide(match, accept=asked.get("word") == "YES")


def _decide(match, *, accept):
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


def _ask_to_drop(booked):
    """A confirmed mentor said NO: ask them to confirm with DROP, a word no carrier takes as an opt-out.
    The question itself names no opt-out keyword ("cancel" in it would invite a CANCEL reply, which the
    carrier takes as STOP)."""
    if len(booked) == 1:
        [match] = booked
        text = (f"Mentorbridge: can't make {_short(match.session.request.topic)} "
                f"{when(match.session, match.mentor.timezone)} after all? Reply DROP to free your place and "
                "we'll find someone else.")
    else:
        text = f"Mentorbridge: can't make a session after all? Reply {_listed(booked, DROP)} to free your place."
    return Outcome("asked_to_drop", text,
                   context={"word": DROP, "listed": [m.pk for m in booked[:MAX_CHOICES_LISTED]]})


def _drop(mentors, asked, choice):
    """DROP cancels only what we just asked about; without that question it asks first."""
    listed = (asked.get("listed") or []) if asked.get("word") == DROP else []
    if not listed:
        booked = _booked(mentors)
        return _ask_to_drop(booked) if booked else None
    if len(listed) > 1 and choice is None:
        return Outcome("ambiguous", f"Mentorbridge: please reply DROP and a number from 1 to {len(listed)}.",
                       context=asked)
    return _pick(mentors, asked, choice or 1)


def _cancel_by_text(match):
    request = match.session.request
    try:
        services.cancel_match(match_id=match.pk, via="sms", reason="the mentor cancelled by text")
    except services.MatchError:
        return Outcome("too_late", "Mentorbridge: that session is no longer booked for you. Thank you!")
    return Outcome("dropped", (f"Mentorbridge: done, you're no longer booked for {_short(request.topic)}. "
                               "We'll find someone else. Thank you for telling us!"))
