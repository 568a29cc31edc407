"""The words of the "how did it go?" asks, their one reminder, and the coordinators' "it did not happen" alert."""
from django.urls import reverse

from alliances.models import Coordinator
from core.accounts import site_url
from notifications.emails import render
from notifications.services import queue_notification
from notifications.sms_text import fit
from scheduling.messages import local_time

from .models import Side

ASK_TEXT = "Mentorbridge: how did {topic} on {when} go? One tap: {link}"
REMINDER_TEXT = "Mentorbridge reminder: please tell us how {topic} on {when} went: {link}"


def link_for(feedback_request, token):
    return site_url(reverse("impact:feedback", kwargs={"token": token}))


def _person(feedback_request):
    """(name, email, phone or "", timezone) of the side asked."""
    match = feedback_request.match
    if feedback_request.side == Side.TEACHER:
        request = match.session.request  # the requesting side: a teacher or partner staff
        asker = request.requester
        return request.requester_name, asker.user.email, asker.phone, request.school.timezone
    mentor = match.mentor
    return mentor.display_name, mentor.user.email, mentor.phone if mentor.can_be_texted else "", mentor.timezone


def queue_ask(feedback_request, token, *, reminder=False):
    """Text (when the person takes texts) and email the signed one-tap link for one occurrence."""
    match = feedback_request.match
    request = match.session.request
    name, email, phone, tz = _person(feedback_request)
    when = local_time(feedback_request.interval.starts_at, tz)
    link = link_for(feedback_request, token)
    kind = "feedback_reminder" if reminder else "feedback_ask"
    key = f"{kind}:{{channel}}:{{to}}:request-{feedback_request.pk}"
    if phone:
        queue_notification(key=key.format(channel="sms", to=phone), channel="sms", kind=kind, to=phone,
                           match=match, recipient_tz=tz,
                           body=fit(REMINDER_TEXT if reminder else ASK_TEXT, keep={"when": when, "link": link},
                                    topic=request.topic))
    figure = "how many students took part" if feedback_request.side == Side.TEACHER else "how many hours you gave"
    body = (f"Hello {name},\n\nHow did {request.topic} at {request.school.name} on {when} go? One tap tells us "
            f"whether it happened, {figure}, and a rating from 1 to 5:\n\n{link}\n\nThe link works once. Thank you!")
    queue_notification(
        key=key.format(channel="email", to=email), channel="email", kind=kind, to=email, match=match,
        subject=f"{'Reminder: ' if reminder else ''}How did {request.topic} go?", body=body,
        html=_html(body, match.session.alliance, "because of your session"),
    )


def _html(body, alliance, because):
    """The HTML alternative of a plain-text email, in the alliance's look."""
    why = f"You got this email {because} with {alliance.name} on Mentorbridge."
    return render("message", {"text": body, "why": why}, alliance=alliance)[1]


def queue_not_held_alert(feedback):
    """Tell the alliance's coordinators that one side says an occurrence did not happen, with the match."""
    match = feedback.match
    request = match.session.request
    alliance_id = match.session.alliance_id
    when = local_time(feedback.interval.starts_at, request.school.timezone)
    who = "The teacher" if feedback.side == Side.TEACHER else f"The volunteer ({match.mentor.display_name})"
    subject = f"Did not happen: {request.topic} on {when}"
    body = (f"{who} says {request.topic} at {request.school.name} on {when} did not happen.\n"
            f"Volunteer: {match.mentor.display_name} ({match.mentor.company.name}); "
            f"requested by: {request.requester_name}.\n"
            f"Comment: {feedback.comment or '(none)'}\n\nMatch: {site_url(f'/matches/{match.pk}/complete/')}")
    emails = Coordinator.objects.filter(alliance_id=alliance_id).values_list("user__email", flat=True)
    for email in filter(None, emails):
        queue_notification(key=f"not_held:email:{email}:feedback-{feedback.pk}", channel="email",
                           kind="not_held_alert", to=email, match=match, subject=subject, body=body,
                           html=_html(body, match.session.alliance, "because you coordinate sessions"))
    return subject
