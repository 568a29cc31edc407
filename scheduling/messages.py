"""What each match event tells whom: texts, emails and calendar entries, in the reader's timezone.

Texts are fitted into two GSM-7 segments (long topics and school names are shortened, times
and reply keywords never); invitations carry one UID per booking for its whole life and a
SEQUENCE equal to the session's revision.
"""
from dataclasses import replace
from datetime import timedelta
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from core import localtime
from core.words import phone_text
from notifications import calendar, emails
from notifications.models import Notification
from notifications.services import queue_notification, withdraw
from notifications.sms_text import fit

from . import answers
from .models import Match
from .still_true import stands_for

# How far back a personal calendar feed keeps past sessions, and which bookings it shows.
FEED_HISTORY = timedelta(days=90)
FEED_SHOWN = ("confirmed", "completed")
# A cancellation this close to the start is sent at once, quiet hours or not.
URGENT_WITHIN = timedelta(hours=24)

# The school is named once; an online session says so. The link opens the invitation page.
INVITATION_TEXT = (
    "Mentorbridge: {school} asks you to mentor {topic} (grades {grades}) {when}{online}. "
    "Reply YES or NO, or see {link}"
)
UPDATE_TEXT = "Mentorbridge: change for {topic}: now {when}, {place}. Questions? Reply HELP."
CONFIRMED_TEXT = "Mentorbridge: {who} confirmed for {topic} {when}."
CANCELLED_TEXT = "Mentorbridge: {topic} {when} is cancelled. Thank you!"
# Neutral on purpose: a mentor taken out of a session is never told why by text.
WITHDRAWN_TEXT = "Mentorbridge: you are no longer booked for {topic} {when}. Your coordinator will be in touch."
REMINDER_TEXT = "Mentorbridge reminder: {topic} {when}, {place}. Can't make it? Reply NO."
SITE_MOVED_TEXT = "Mentorbridge: {topic} {when} has moved to {address}. Questions? Reply HELP."
SITE_RECONFIRM_TEXT = ("Mentorbridge: {topic} {when} has moved to {address}, further than you said you travel. "
                       "Reply YES to keep your place or NO to free it.")
RECONFIRM_TEXT = ("Mentorbridge: {topic} moved from {old} to {new}, {place}. Reply YES to keep your place "
                  "or NO to free it.")


def _queue(**fields):
    """Write one outbox row; an email ends with the name of the alliance it comes from."""
    match = fields.get("match")
    if fields.get("channel") == "email" and match is not None:
        fields["body"] = f"{fields['body']}\n\n{match.session.alliance.name}, on Mentorbridge"
    return queue_notification(**fields)


def local_time(moment, tz_name):
    """'Tue Dec 1, 1:30 PM EST' in the reader's timezone (times are stored in UTC)."""
    return localtime.moment_text(moment, tz_name)


def when(session, tz_name):
    """'Tue Dec 1, 1:30 PM EST', or for a series 'weekly, 3 sessions from Tue Dec 1, 1:30 PM EST'."""
    intervals = list(session.intervals.all())
    first = local_time(intervals[0].starts_at, tz_name)
    if len(intervals) == 1:
        return first
    return f"weekly, {len(intervals)} sessions from {first}"


def schedule(session, tz_name):
    """For an email: 'Tue Dec 1, 1:30-2:30 PM EST', or 'every Tuesday, 3 sessions, from Tue Dec 1, ...'."""
    intervals = list(session.intervals.all())
    start, end = (moment.astimezone(ZoneInfo(tz_name)) for moment in (intervals[0].starts_at, intervals[0].ends_at))
    first = f"{local_time(start, tz_name)} to {end.hour % 12 or 12}:{end:%M %p}"
    if len(intervals) == 1:
        return first
    return f"every {start:%A}, {len(intervals)} sessions, from {first}"


def place_line(session):
    """Where, in full: the school's name and address, or the meeting link."""
    request = session.request
    if request.format == "virtual":
        return request.meeting_link or "online"
    return f"{request.school.name}, {request.school.address}"


def map_link(session):
    """A map search for the school's address (Google Maps URLs), or "" for an online session."""
    request = session.request
    if request.format == "virtual":
        return ""
    return "https://www.google.com/maps/search/?api=1&query=" + quote_plus(f"{request.school.name}, "
                                                                          f"{request.school.address}")


def place(session):
    request = session.request
    if request.format == "virtual":
        return "online"
    return request.school.name


def invitation_for(match, *, partstat="NEEDS-ACTION"):
    """The calendar entry of a booking; its UID is the match's and never changes."""
    session = match.session
    request = session.request
    school = request.school
    alliance = school.alliance
    teacher = request.requester
    location = request.meeting_link if request.format == "virtual" else f"{school.name}, {school.address}"
    return calendar.Invitation(
        uid=f"{match.uid}@mentorbridge",
        sequence=session.revision,
        summary=f"Mentorbridge: {request.topic} ({school.name})",
        description=(
            f"{request.topic} for grades {request.grade_band}, {request.student_count} students. "
            f"{request.description}".strip()
        ),
        location=location,
        intervals=tuple((i.starts_at, i.ends_at) for i in session.intervals.all()),
        organizer_email=alliance.calendar_email or alliance.contact_email,
        organizer_name=alliance.name,
        attendees=(
            calendar.Attendee(match.mentor.user.email, match.mentor.display_name, partstat=partstat),
            calendar.Attendee(teacher.user.email, request.requester_name, role="CHAIR", partstat="ACCEPTED"),
        ),
        url=request.meeting_link,
        tz=school.timezone,
    )


def _email(*, body, match=None, why=None, **fields):
    """Queue an email with its HTML alternative, through the one themed base (emails/message)."""
    alliance = match.session.alliance if match is not None else None
    name = alliance.name if alliance is not None else "Mentorbridge"
    why = why or (f"You got this email because of your session with {name} on Mentorbridge.")
    _, html = emails.render("message", {"text": body, "why": why}, alliance=alliance)
    return queue_notification(channel="email", body=body, html=html, match=match, **fields)


def _sms(match, *, key, kind, template, keep, stands, urgent=False, **fields):
    """Queue a text to the match's mentor, if they agreed to texts and their number works."""
    mentor = match.mentor
    if not mentor.can_be_texted:
        return None
    return _queue(
        key=f"{kind}:sms:{mentor.phone}:{key}", channel="sms", kind=kind, to=mentor.phone, match=match,
        body=fit(template, keep=keep, **fields), recipient_tz=mentor.timezone, urgent=urgent, stands_for=stands,
    )


# What each kind of message is written for (see scheduling.still_true).
OPEN_INVITATION = ("approved", "invited")
BOOKED = ("approved", "invited", "confirmed")
# Held messages to the mentor that a change of the match makes untrue.
HELD_FOR_MENTOR = ("invitation", "update", "reconfirm", "reminder_24h", "reminder_2h")


def supersede_held(match, *, reason, kinds=HELD_FOR_MENTOR):
    """A change of the match supersedes its held messages: they are withdrawn, with `reason`, never sent."""
    return withdraw(Notification.objects.filter(match=match, kind__in=kinds), reason=reason)


def _mentor_fields(match):
    session = match.session
    request = session.request
    return {
        "keep": {"when": when(session, match.mentor.timezone), "grades": request.grade_band},
        "topic": request.topic, "place": place(session),
    }


def queue_invitation(match):
    """Invite the mentor: a text (when they consented to texts) and an email with a METHOD:REQUEST, the
    school's address and a map link (or the meeting link), the schedule, the teacher and the class, and
    Accept and Decline links (scheduling.answers)."""
    mentor = match.mentor
    session = match.session
    request = session.request
    version = f"match-{match.pk}:rev-{session.revision}"
    stands = stands_for(match, *OPEN_INVITATION)
    online = ", online" if request.format == "virtual" else ""
    _sms(match, key=version, kind="invitation", template=INVITATION_TEXT, school=request.asked_by_name,
         stands=stands, topic=request.topic,
         keep={"when": when(session, mentor.timezone), "grades": request.grade_band, "online": online,
               "link": answers.link_for(match)})
    alliance = session.alliance.name
    context = {
        "alliance_name": alliance, "name": mentor.display_name, "school": request.asked_by_name,
        "partner_program": request.get_setting_display().lower() if request.partner_staff_id else "",
        "topic": request.topic, "grades": request.grade_band, "students": request.student_count,
        "description": request.description, "teacher": request.requester_name, "schedule": schedule(session,
                                                                                                  mentor.timezone),
        "place": place_line(session), "map_link": map_link(session), "virtual": request.format == "virtual",
        "accept_link": answers.link_for(match, "accept"), "decline_link": answers.link_for(match, "decline"),
        "why": f"You got this email because you volunteer with {alliance} and a coordinator matched you to "
               "this class.",
    }
    text, html = emails.render("invitation", context, alliance=session.alliance)
    queue_notification(
        key=f"invitation:email:{mentor.user.email}:{version}", channel="email", kind="invitation",
        to=mentor.user.email, match=match, subject=f"Invitation: {request.topic} at {request.school.name}",
        body=text, html=html, ics=calendar.build_request(invitation_for(match)), ics_method="REQUEST",
        stands_for=stands,
    )


def queue_update(match):
    """The session moved or changed place (its revision was raised): send REQUEST updates.

    Same UID, SEQUENCE = the new revision, so calendars move the existing event. The mentor gets
    an email with the REQUEST and a text; the teacher an email once the match is confirmed (their
    calendar follows their feed). Invitations of an
    older revision still waiting in the outbox are withdrawn, so nobody is told the old time.
    """
    mentor = match.mentor
    session = match.session
    request = session.request
    version = f"match-{match.pk}:rev-{session.revision}"
    _withdraw_superseded(match, version)
    confirmed = match.status == "confirmed"
    ics = calendar.build_request(invitation_for(match, partstat="ACCEPTED" if confirmed else "NEEDS-ACTION"))
    subject = f"Updated: {request.topic} at {request.school.name}"
    body = f"{request.topic} is now {when(session, mentor.timezone)}, {place(session)}."
    stands = stands_for(match, *BOOKED)
    _sms(match, key=version, kind="update", template=UPDATE_TEXT, stands=stands, **_mentor_fields(match))
    _email(
        key=f"update:email:{mentor.user.email}:{version}", kind="update", to=mentor.user.email,
        match=match, subject=subject, body=f"Hello {mentor.display_name},\n\n{body}", ics=ics, ics_method="REQUEST",
        stands_for=stands,
    )
    if confirmed:
        teacher = request.requester
        _email(
            key=f"update:email:{teacher.user.email}:{version}", kind="update_to_teacher",
            to=teacher.user.email, match=match, subject=subject, body=f"Hello {request.requester_name},\n\n{body}",
            stands_for="confirmed@",
        )


def queue_reconfirm(match, *, old_when):
    """The session moved by more than the margin: ask a confirmed mentor again, old and new time side by side.

    An updated REQUEST (same UID, raised SEQUENCE) with the mentor's PARTSTAT back to NEEDS-ACTION.
    """
    mentor = match.mentor
    session = match.session
    request = session.request
    version = f"match-{match.pk}:rev-{session.revision}"
    _withdraw_superseded(match, version)
    new_when = when(session, mentor.timezone)
    stands = stands_for(match, "invited")
    _sms(match, key=version, kind="reconfirm", template=RECONFIRM_TEXT, stands=stands,
         keep={"old": old_when, "new": new_when}, topic=request.topic, place=place(session))
    _email(
        key=f"reconfirm:email:{mentor.user.email}:{version}", kind="reconfirm",
        to=mentor.user.email, match=match, stands_for=stands,
        subject=f"Moved: {request.topic} at {request.school.name}, can you still come?",
        body=(f"Hello {mentor.display_name},\n\n{request.topic} moved from {old_when} to {new_when}, "
              f"{place(session)}.\n\nReply YES to our text to keep your place, or NO to free it; or answer on "
              f"{settings.PUBLIC_BASE_URL}/me/sessions/."),
        ics=calendar.build_request(invitation_for(match)), ics_method="REQUEST",
    )
    teacher = request.requester
    _email(
        key=f"update:email:{teacher.user.email}:{version}", kind="update_to_teacher",
        to=teacher.user.email, match=match, subject=f"Updated: {request.topic} at {request.school.name}",
        body=(f"Hello {request.requester_name},\n\n{request.topic} is now {when(session, request.school.timezone)}. "
              "We asked "
              f"{mentor.display_name} to confirm the new time and will tell you when they answer."),
    )


def queue_site_moved(match, *, old_address, ask):
    """The partner's site where the session meets moved: tell the mentor the new address, with the updated
    calendar entry (same UID, raised SEQUENCE). With `ask` the new place is beyond the mentor's travel range
    and the (confirmed) mentor is asked again: YES keeps the place, NO or silence frees it."""
    mentor = match.mentor
    session = match.session
    request = session.request
    version = f"match-{match.pk}:rev-{session.revision}"
    _withdraw_superseded(match, version)
    site = request.school
    new_when = when(session, mentor.timezone)
    kind, stands = ("reconfirm", stands_for(match, "invited")) if ask else ("update", stands_for(match, *BOOKED))
    _sms(match, key=version, kind=kind, template=SITE_RECONFIRM_TEXT if ask else SITE_MOVED_TEXT, stands=stands,
         keep={"when": new_when}, topic=request.topic, address=site.full_address)
    asking = ("\n\nThat is further than you said you travel, so we ask again: reply YES to our text to keep your "
              f"place, or NO to free it; or answer on {settings.PUBLIC_BASE_URL}/me/sessions/.") if ask else ""
    partstat = "NEEDS-ACTION" if ask or match.status != "confirmed" else "ACCEPTED"
    subject = f"New place: {request.topic} at {site.name}" + (", can you still come?" if ask else "")
    _email(
        key=f"{kind}:email:{mentor.user.email}:{version}", kind=kind, to=mentor.user.email, match=match,
        stands_for=stands, subject=subject,
        body=(f"Hello {mentor.display_name},\n\n{site.name} has moved. {request.topic} ({new_when}) now meets at "
              f"{site.full_address} (it was at {old_address}).{asking}"),
        ics=calendar.build_request(invitation_for(match, partstat=partstat)), ics_method="REQUEST",
    )


def _withdraw_superseded(match, version):
    withdraw(Notification.objects.filter(match=match, kind__in=HELD_FOR_MENTOR).exclude(key__endswith=version),
             reason=f"superseded by {version}")


def queue_confirmation_to_teacher(match):
    """Tell the teacher who is coming. Contact details go out only now that the match is confirmed."""
    mentor = match.mentor
    session = match.session
    request = session.request
    teacher = request.requester
    school_tz = request.school.timezone
    who = f"{mentor.display_name} ({mentor.company.name})"
    contact = ", ".join(filter(None, [mentor.user.email, phone_text(mentor.phone)]))
    _email(
        key=f"confirmed:email:{teacher.user.email}:match-{match.pk}", kind="confirmed_to_teacher",
        to=teacher.user.email, match=match, stands_for="confirmed@",
        subject=f"Confirmed: {who} for {request.topic}",
        body=(
            f"Hello {request.requester_name},\n\n{who} confirmed for {request.topic} {when(session, school_tz)}.\n"
            f"Contact: {contact}\n\nYou remain the responsible adult in the room for every session."
        ),
    )
    if teacher.phone:
        _queue(
            key=f"confirmed:sms:{teacher.phone}:match-{match.pk}", channel="sms", kind="confirmed_to_teacher",
            to=teacher.phone, match=match, recipient_tz=school_tz, stands_for="confirmed@",
            body=fit(CONFIRMED_TEXT, keep={"when": when(session, school_tz)}, who=who, topic=request.topic),
        )


def queue_cancellation(match, *, sequence, was_confirmed=False, tell_teacher=True):
    """Tell a mentor who was invited or booked that it is off, and withdraw the calendar entry.

    METHOD:CANCEL with the booking's UID, STATUS:CANCELLED, a raised SEQUENCE, and the mentor's PARTSTAT as
    it stood (ACCEPTED once confirmed). Each is sent only where the mentor heard of the match (checked at send
    time), so a held invitation withdrawn tonight takes its cancellation with it. The teacher, told of the
    confirmation, is told of the cancellation too, unless they called it off themselves (`tell_teacher`).
    """
    mentor = match.mentor
    session = match.session
    request = session.request
    partstat = "ACCEPTED" if was_confirmed else "NEEDS-ACTION"
    ics = calendar.build_cancel(replace(invitation_for(match, partstat=partstat), sequence=sequence))
    urgent = session.starts_at - timezone.now() < URGENT_WITHIN
    _sms(match, key=f"match-{match.pk}", kind="cancelled", template=CANCELLED_TEXT, urgent=urgent,
         keep={"when": when(session, mentor.timezone)}, topic=request.topic, stands="cancelled@")
    body = f"{request.topic} {when(session, mentor.timezone)} is cancelled. Thank you!"
    _email(
        key=f"cancelled:email:{mentor.user.email}:match-{match.pk}", kind="cancelled",
        to=mentor.user.email, match=match, subject=f"Cancelled: {request.topic}", body=body,
        ics=ics, ics_method="CANCEL", stands_for="cancelled@",
    )
    teacher = request.requester
    if tell_teacher and Notification.objects.filter(match=match, kind="confirmed_to_teacher", channel="email").exists():
        _email(
            key=f"cancelled:email:{teacher.user.email}:match-{match.pk}",
            kind="cancelled_to_teacher", to=teacher.user.email, match=match, stands_for="cancelled@",
            subject=f"Cancelled: {mentor.display_name} for {request.topic}",
            body=(f"{mentor.display_name} is no longer booked for {request.topic} "
                  f"{when(session, request.school.timezone)}."),
        )


def reminder_key(match, interval, lead):
    """One reminder per match, interval start and lead ("24h", "2h"): a moved interval is reminded anew."""
    mentor = match.mentor
    to = mentor.phone if mentor.can_be_texted else mentor.user.email
    channel = "sms" if mentor.can_be_texted else "email"
    return (f"reminder-{lead}:{channel}:{to}:match-{match.pk}:{interval.starts_at:%Y%m%dT%H%MZ}"
            f":rev-{match.session.revision}")


def queue_reminder(match, interval, lead):
    """Remind the mentor of one interval: a text when they take texts, else an email."""
    mentor = match.mentor
    session = match.session
    request = session.request
    starts = local_time(interval.starts_at, mentor.timezone)
    key = reminder_key(match, interval, lead)
    if mentor.can_be_texted:
        return _queue(
            key=key, channel="sms", kind=f"reminder_{lead}", to=mentor.phone, match=match,
            recipient_tz=mentor.timezone, stands_for=stands_for(match, "confirmed"),
            body=fit(REMINDER_TEXT, keep={"when": starts}, topic=request.topic, place=place(session)),
        )
    return _email(
        key=key, kind=f"reminder_{lead}", to=mentor.user.email, match=match,
        stands_for=stands_for(match, "confirmed"), subject=f"Reminder: {request.topic} {starts}",
        body=f"Hello {mentor.display_name},\n\nA reminder: {request.topic} {starts}, {place(session)}.",
    )


def _feed_matches(user):
    matches = Match.objects.filter(
        status__in=FEED_SHOWN, session__ends_at__gte=timezone.now() - FEED_HISTORY
    ).exclude(session__status="cancelled")
    mentor, teacher = getattr(user, "mentor", None), getattr(user, "teacher", None)
    staff = getattr(user, "member_staff", None)
    if mentor is not None:
        return matches.filter(mentor=mentor)
    if teacher is not None:
        return matches.filter(session__request__teacher=teacher)
    if staff is not None:
        return matches.filter(session__request__partner_staff=staff)
    return matches.none()


def calendar_feed(user):
    """The entries of `user`'s personal calendar feed: their booked sessions of the last 90 days on, oldest
    first, with the same UIDs as the emailed invitations (NOTIFICATIONS_CALENDAR_FEED)."""
    matches = (
        _feed_matches(user)
        .select_related("mentor__user", "session__request__school__alliance", "session__request__teacher__user",
                        "session__request__partner_staff__user")
        .prefetch_related("session__intervals")
        .order_by("session__starts_at", "pk")
    )
    return [invitation_for(match, partstat="ACCEPTED") for match in matches]


def queue_withdrawal(match, *, sequence, tell_mentor):
    """A mentor is taken out of a booked session: the teacher hears a replacement is sought, never why.

    The mentor (when they had been invited) gets a neutral text and an email withdrawing the calendar entry.
    """
    session = match.session
    request = session.request
    teacher = request.requester
    school_when = when(session, request.school.timezone)
    _email(
        key=f"withdrawn:email:{teacher.user.email}:match-{match.pk}", kind="withdrawn_to_teacher",
        to=teacher.user.email, match=match, stands_for="cancelled@",
        subject=f"Your mentor for {request.topic} can no longer come",
        body=(f"Hello {request.requester_name},\n\nThe mentor booked for {request.topic} {school_when} can no "
              "longer come. We are looking for a replacement and will tell you as soon as one confirms."),
    )
    if not tell_mentor:
        return
    mentor = match.mentor
    urgent = session.starts_at - timezone.now() < URGENT_WITHIN
    _sms(match, key=f"match-{match.pk}", kind="withdrawn", template=WITHDRAWN_TEXT, urgent=urgent,
         keep={"when": when(session, mentor.timezone)}, topic=request.topic, stands="cancelled@")
    _email(
        key=f"withdrawn:email:{mentor.user.email}:match-{match.pk}", kind="withdrawn",
        to=mentor.user.email, match=match, subject=f"No longer booked: {request.topic}", stands_for="cancelled@",
        body=(f"Hello {mentor.display_name},\n\nYou are no longer booked for {request.topic} "
              f"{when(session, mentor.timezone)}. Your coordinator will be in touch. Thank you!"),
        ics=calendar.build_cancel(replace(invitation_for(match), sequence=sequence)), ics_method="CANCEL",
    )


def queue_withdrawal_alert(*, mentor, matches, why, coordinator_emails, key):
    """Email the alliance's coordinators which sessions a volunteer was taken out of, and why."""
    subject = f"{mentor.display_name} withdrawn from {len(matches)} session(s)"
    lines = "\n".join(
        f"- {m.session.request.topic} at {m.session.request.school.name}, "
        f"{when(m.session, m.session.request.school.timezone)} (was {m.status_before})" for m in matches
    )
    body = (f"{mentor.display_name} ({mentor.company.name}) was withdrawn because {why}.\n\n{lines}\n\n"
            "Each teacher was told a replacement is being sought; matching looks for one now.")
    for email in coordinator_emails:
        _email(key=f"withdrawal-alert:email:{email}:{key}", kind="withdrawal_alert",
                           to=email, subject=subject, body=body)
    return subject, body
