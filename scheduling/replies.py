"""The domain's side of an SMS reply: YES / NO to an invitation, and whose number it is.

notifications/inbound.py handles STOP, START and HELP and asks these through settings
(NOTIFICATIONS_REPLY_HANDLER, NOTIFICATIONS_ALLIANCE_OF_PHONE; see notifications/hooks.py).
"""
from django.conf import settings

from mentors.models import Mentor
from notifications.inbound import Outcome
from schools.models import Teacher

from . import services
from .messages import when
from .models import Match

MAX_CHOICES_LISTED = 3


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
    """YES or NO (optionally with the number of an invitation) from a volunteer: confirm or decline it.

    Returns the Outcome with the answer to text back, or None when the text is not an answer.
    """
    mentors = _mentors(phone)
    if mentors and keyword in ("YES", "NO"):
        return _answer(mentors, accept=keyword == "YES", choice=choice)
    return None


def _pending(mentors):
    return list(
        Match.objects.filter(mentor__in=mentors, status__in=[Match.Status.APPROVED, Match.Status.INVITED])
        .select_related("session__request__school", "mentor").order_by("session__starts_at", "pk")
    )


def _choices(pending, word):
    listed = "; ".join(
        f"{word} {n} for {m.session.request.topic[:30]} {when(m.session, m.mentor.timezone)}"
        for n, m in enumerate(pending[:MAX_CHOICES_LISTED], start=1)
    )
    more = f" (or see {settings.PUBLIC_BASE_URL}/me/sessions/)" if len(pending) > MAX_CHOICES_LISTED else ""
    return f"Mentorbridge: you have {len(pending)} invitations. Reply {listed}{more}."


def _answer(mentors, *, accept, choice):
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
