"""What each match event tells whom: texts, emails and calendar entries, in the reader's timezone."""
from zoneinfo import ZoneInfo

from django.conf import settings

from . import calendar
from .services import queue_notification


def local_time(moment, tz_name):
    """'Tue Dec 1, 1:30 PM EST' in the reader's timezone (times are stored in UTC)."""
    local = moment.astimezone(ZoneInfo(tz_name))
    return f"{local:%a %b} {local.day}, {local.hour % 12 or 12}:{local:%M %p %Z}"


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


def invitation_for(match):
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
            calendar.Attendee(match.mentor.user.email, match.mentor.display_name),
            calendar.Attendee(teacher.user.email, str(teacher), role="CHAIR"),
        ),
        url=request.meeting_link,
    )


def queue_invitation(match):
    """Invite the mentor: a text (when they consented to texts) and an email with a METHOD:REQUEST."""
    mentor = match.mentor
    session = match.session
    request = session.request
    version = f"match-{match.pk}:rev-{session.revision}"
    if mentor.can_be_texted:
        queue_notification(
            key=f"invitation:sms:{mentor.phone}:{version}", channel="sms", kind="invitation", to=mentor.phone,
            match=match,
            body=(
                f"Mentorbridge: {request.school.name} asks you to mentor {request.topic} "
                f"(grades {request.grade_band}) {when(session, mentor.timezone)}, {place(session)}. "
                "Reply YES to accept or NO to decline."
            ),
        )
    queue_notification(
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


def queue_confirmation_to_teacher(match):
    """Tell the teacher who is coming. Contact details go out only now that the match is confirmed."""
    mentor = match.mentor
    session = match.session
    request = session.request
    teacher = request.teacher
    school_tz = request.school.timezone
    who = f"{mentor.display_name} ({mentor.company.name})"
    contact = ", ".join(filter(None, [mentor.user.email, mentor.phone]))
    queue_notification(
        key=f"confirmed:email:{teacher.user.email}:match-{match.pk}", channel="email", kind="confirmed_to_teacher",
        to=teacher.user.email, match=match,
        subject=f"Confirmed: {who} for {request.topic}",
        body=(
            f"Hello {teacher},\n\n{who} confirmed for {request.topic} {when(session, school_tz)}.\n"
            f"Contact: {contact}\n\nYou remain the responsible adult in the room for every session."
        ),
    )
    if teacher.phone:
        queue_notification(
            key=f"confirmed:sms:{teacher.phone}:match-{match.pk}", channel="sms", kind="confirmed_to_teacher",
            to=teacher.phone, match=match,
            body=f"Mentorbridge: {who} confirmed for {request.topic} {when(session, school_tz)}.",
        )


def queue_cancellation(match, *, sequence):
    """Tell a mentor who was invited or booked that it is off, and withdraw the calendar entry."""
    mentor = match.mentor
    request = match.session.request
    invitation = invitation_for(match)
    invitation = calendar.Invitation(**{**invitation.__dict__, "sequence": sequence})
    body = f"Mentorbridge: {request.topic} {when(match.session, mentor.timezone)} is cancelled. Thank you!"
    if mentor.can_be_texted:
        queue_notification(
            key=f"cancelled:sms:{mentor.phone}:match-{match.pk}", channel="sms", kind="cancelled",
            to=mentor.phone, body=body, match=match,
        )
    queue_notification(
        key=f"cancelled:email:{mentor.user.email}:match-{match.pk}", channel="email", kind="cancelled",
        to=mentor.user.email, match=match, subject=f"Cancelled: {request.topic}", body=body,
        ics=calendar.build_cancel(invitation), ics_method="CANCEL",
    )
