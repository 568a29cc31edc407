"""What each match event tells whom: texts, emails and calendar entries, in the reader's timezone.

Texts are fitted into two GSM-7 segments (long topics and school names are shortened, times
and reply keywords never); invitations carry one UID per booking for its whole life and a
SEQUENCE equal to the session's revision.
"""
from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from core import localtime
from notifications import calendar
from notifications.models import Notification
from notifications.services import queue_notification
from notifications.sms_text import fit

from .models import Match

# How far back a personal calendar feed keeps past sessions, and which bookings it shows.
FEED_HISTORY = timedelta(days=90)
FEED_SHOWN = ("confirmed", "completed")
# A cancellation this close to the start is sent at once, quiet hours or not.
URGENT_WITHIN = timedelta(hours=24)

INVITATION_TEXT = (
    "Mentorbridge: {school} asks you to mentor {topic} (grades {grades}) {when}, {place}. "
    "Reply YES to accept or NO to decline."
)
UPDATE_TEXT = "Mentorbridge: change for {topic}: now {when}, {place}. Questions? Reply HELP."
CONFIRMED_TEXT = "Mentorbridge: {who} confirmed for {topic} {when}."
CANCELLED_TEXT = "Mentorbridge: {topic} {when} is cancelled. Thank you!"
# Neutral on purpose: a mentor taken out of a session is never told why by text.
WITHDRAWN_TEXT = "Mentorbridge: you are no longer booked for {topic} {when}. Your coordinator will be in touch."
REMINDER_TEXT = "Mentorbridge reminder: {topic} {when}, {place}. Can't make it? Reply HELP."


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
    intervals = list(session.intervals.all())
    first = local_time(intervals[0].starts_at, tz_name)
    if len(intervals) == 1:
        return first
    return f"{len(intervals)} sessions from {first}"


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
    teacher = request.teacher
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
            calendar.Attendee(teacher.user.email, str(teacher), role="CHAIR", partstat="ACCEPTED"),
        ),
        url=request.meeting_link,
    )


def _sms(match, *, key, kind, template, keep, urgent=False, **fields):
    """Queue a text to the match's mentor, if they agreed to texts and their number works."""
    mentor = match.mentor
    if not mentor.can_be_texted:
        return None
    return _queue(
        key=f"{kind}:sms:{mentor.phone}:{key}", channel="sms", kind=kind, to=mentor.phone, match=match,
        body=fit(template, keep=keep, **fields), recipient_tz=mentor.timezone, urgent=urgent,
    )


def _mentor_fields(match):
    session = match.session
    request = session.request
    return {
        "keep": {"when": when(session, match.mentor.timezone), "grades": request.grade_band},
        "topic": request.topic, "place": place(session),
    }


def queue_invitation(match):
    """Invite the mentor: a text (when they consented to texts) and an email with a METHOD:REQUEST."""
    mentor = match.mentor
    session = match.session
    request = session.request
    version = f"match-{match.pk}:rev-{session.revision}"
    _sms(match, key=version, kind="invitation", template=INVITATION_TEXT, school=request.school.name,
         **_mentor_fields(match))
    _queue(
        key=f"invitation:email:{mentor.user.email}:{version}", channel="email", kind="invitation",
        to=mentor.user.email, match=match,
        subject=f"Invitation: {request.topic} at {request.school.name}",
        body=(
            f"Hello {mentor.display_name},\n\n{request.school.name} asks you to mentor {request.topic} "
            f"(grades {request.grade_band}, {request.student_count} students) {when(session, mentor.timezone)}, "
            f"{place(session)}.\n\nReply YES to our text, or answer on {settings.PUBLIC_BASE_URL}/me/sessions/."
        ),
        ics=calendar.build_request(invitation_for(match)), ics_method="REQUEST",
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
    _sms(match, key=version, kind="update", template=UPDATE_TEXT, **_mentor_fields(match))
    _queue(
        key=f"update:email:{mentor.user.email}:{version}", channel="email", kind="update", to=mentor.user.email,
        match=match, subject=subject, body=f"Hello {mentor.display_name},\n\n{body}", ics=ics, ics_method="REQUEST",
    )
    if confirmed:
        teacher = request.teacher
        _queue(
            key=f"update:email:{teacher.user.email}:{version}", channel="email", kind="update_to_teacher",
            to=teacher.user.email, match=match, subject=subject, body=f"Hello {teacher},\n\n{body}",
        )


def _withdraw_superseded(match, version):
    Notification.objects.filter(
        match=match, kind__in=["invitation", "update"], status=Notification.Status.PENDING
    ).exclude(key__endswith=version).update(
        status=Notification.Status.SUPPRESSED, error=f"superseded by {version}"
    )


def queue_confirmation_to_teacher(match):
    """Tell the teacher who is coming. Contact details go out only now that the match is confirmed."""
    mentor = match.mentor
    session = match.session
    request = session.request
    teacher = request.teacher
    school_tz = request.school.timezone
    who = f"{mentor.display_name} ({mentor.company.name})"
    contact = ", ".join(filter(None, [mentor.user.email, mentor.phone]))
    _queue(
        key=f"confirmed:email:{teacher.user.email}:match-{match.pk}", channel="email", kind="confirmed_to_teacher",
        to=teacher.user.email, match=match,
        subject=f"Confirmed: {who} for {request.topic}",
        body=(
            f"Hello {teacher},\n\n{who} confirmed for {request.topic} {when(session, school_tz)}.\n"
            f"Contact: {contact}\n\nYou remain the responsible adult in the room for every session."
        ),
    )
    if teacher.phone:
        _queue(
            key=f"confirmed:sms:{teacher.phone}:match-{match.pk}", channel="sms", kind="confirmed_to_teacher",
            to=teacher.phone, match=match, recipient_tz=school_tz,
            body=fit(CONFIRMED_TEXT, keep={"when": when(session, school_tz)}, who=who, topic=request.topic),
        )


def queue_cancellation(match, *, sequence):
    """Tell a mentor who was invited or booked that it is off, and withdraw the calendar entry.

    METHOD:CANCEL with the booking's UID, STATUS:CANCELLED and a raised SEQUENCE. The teacher, told
    of the confirmation, is told of the cancellation too (their calendar follows their feed).
    """
    mentor = match.mentor
    session = match.session
    request = session.request
    ics = calendar.build_cancel(replace(invitation_for(match), sequence=sequence))
    urgent = session.starts_at - timezone.now() < URGENT_WITHIN
    _sms(match, key=f"match-{match.pk}", kind="cancelled", template=CANCELLED_TEXT, urgent=urgent,
         keep={"when": when(session, mentor.timezone)}, topic=request.topic)
    body = f"{request.topic} {when(session, mentor.timezone)} is cancelled. Thank you!"
    _queue(
        key=f"cancelled:email:{mentor.user.email}:match-{match.pk}", channel="email", kind="cancelled",
        to=mentor.user.email, match=match, subject=f"Cancelled: {request.topic}", body=body,
        ics=ics, ics_method="CANCEL",
    )
    teacher = request.teacher
    if Notification.objects.filter(match=match, kind="confirmed_to_teacher", channel="email").exists():
        _queue(
            key=f"cancelled:email:{teacher.user.email}:match-{match.pk}", channel="email",
            kind="cancelled_to_teacher", to=teacher.user.email, match=match,
            subject=f"Cancelled: {mentor.display_name} for {request.topic}",
            body=(f"{mentor.display_name} is no longer booked for {request.topic} "
                  f"{when(session, request.school.timezone)}."),
        )


def reminder_key(match, interval, lead):
    """One reminder per match, interval start and lead ("24h", "2h"): a moved interval is reminded anew."""
    mentor = match.mentor
    to = mentor.phone if mentor.can_be_texted else mentor.user.email
    channel = "sms" if mentor.can_be_texted else "email"
    return f"reminder-{lead}:{channel}:{to}:match-{match.pk}:{interval.starts_at:%Y%m%dT%H%MZ}"


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
            recipient_tz=mentor.timezone,
            body=fit(REMINDER_TEXT, keep={"when": starts}, topic=request.topic, place=place(session)),
        )
    return _queue(
        key=key, channel="email", kind=f"reminder_{lead}", to=mentor.user.email, match=match,
        subject=f"Reminder: {request.topic} {starts}",
        body=f"Hello {mentor.display_name},\n\nA reminder: {request.topic} {starts}, {place(session)}.",
    )


def _feed_matches(user):
    matches = Match.objects.filter(
        status__in=FEED_SHOWN, session__ends_at__gte=timezone.now() - FEED_HISTORY
    ).exclude(session__status="cancelled")
    mentor, teacher = getattr(user, "mentor", None), getattr(user, "teacher", None)
    if mentor is not None:
        return matches.filter(mentor=mentor)
    if teacher is not None:
        return matches.filter(session__request__teacher=teacher)
    return matches.none()


def calendar_feed(user):
    """The entries of `user`'s personal calendar feed: their booked sessions of the last 90 days on, oldest
    first, with the same UIDs as the emailed invitations (NOTIFICATIONS_CALENDAR_FEED)."""
    matches = (
        _feed_matches(user)
        .select_related("mentor__user", "session__request__school__alliance", "session__request__teacher__user")
        .prefetch_related("session__intervals")
        .order_by("session__starts_at", "pk")
    )
    return [invitation_for(match, partstat="ACCEPTED") for match in matches]


def mentor_has_heard_of(match):
    """True once any message about this match went out to its mentor (not merely queued or held)."""
    mentor = match.mentor
    return Notification.objects.filter(
        match=match, to__in=[t for t in (mentor.phone, mentor.user.email) if t]
    ).exclude(status__in=[Notification.Status.PENDING, Notification.Status.SUPPRESSED]).exists()


def withdraw_pending_to_mentor(match, *, why):
    """Held and queued messages to the match's mentor (invitations, updates, reminders) will never be sent."""
    mentor = match.mentor
    return Notification.objects.filter(
        match=match, status=Notification.Status.PENDING, to__in=[t for t in (mentor.phone, mentor.user.email) if t]
    ).update(status=Notification.Status.SUPPRESSED, error=why)


def queue_withdrawal(match, *, sequence, tell_mentor):
    """A mentor is taken out of a booked session: the teacher hears a replacement is sought, never why.

    The mentor (when they had been invited) gets a neutral text and an email withdrawing the calendar entry.
    """
    session = match.session
    request = session.request
    teacher = request.teacher
    school_when = when(session, request.school.timezone)
    _queue(
        key=f"withdrawn:email:{teacher.user.email}:match-{match.pk}", channel="email", kind="withdrawn_to_teacher",
        to=teacher.user.email, match=match, subject=f"Your mentor for {request.topic} can no longer come",
        body=(f"Hello {teacher},\n\nThe mentor booked for {request.topic} {school_when} can no longer come. "
              "We are looking for a replacement and will tell you as soon as one confirms."),
    )
    if not tell_mentor:
        return
    mentor = match.mentor
    urgent = session.starts_at - timezone.now() < URGENT_WITHIN
    _sms(match, key=f"match-{match.pk}", kind="withdrawn", template=WITHDRAWN_TEXT, urgent=urgent,
         keep={"when": when(session, mentor.timezone)}, topic=request.topic)
    _queue(
        key=f"withdrawn:email:{mentor.user.email}:match-{match.pk}", channel="email", kind="withdrawn",
        to=mentor.user.email, match=match, subject=f"No longer booked: {request.topic}",
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
        _queue(key=f"withdrawal-alert:email:{email}:{key}", channel="email", kind="withdrawal_alert",
                           to=email, subject=subject, body=body)
    return subject, body
