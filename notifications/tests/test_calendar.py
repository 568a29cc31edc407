"""Calendar invitations by RFC 5545 / 5546 / 6047, parsed back with icalendar, and personal feeds."""
import email
from datetime import UTC, timedelta

import pytest
from django.core import mail
from icalendar import Calendar

from notifications import services
from notifications.models import CalendarFeedToken, Notification
from scheduling import requests as request_flow
from scheduling import services as scheduling

pytestmark = pytest.mark.django_db
N = Notification.Status


def parse(ics):
    """Parse like a calendar client would; fail on any component icalendar found broken."""
    calendar = Calendar.from_ical(ics)
    for component in calendar.walk():
        assert not component.errors, component.errors
    return calendar


def invitation_ics(match, kind="invitation"):
    return Notification.objects.filter(match=match, channel="email", kind=kind).latest("pk").ics


def reschedule(match, hours=2):
    """The teacher moves the class `hours` later through the real service (scheduling.requests.reschedule_request)."""
    session = match.session
    later = timedelta(hours=hours)
    intervals = [(i.starts_at + later, i.ends_at + later) for i in session.intervals.all()]
    request_flow.reschedule_request(
        request_id=session.request_id, actor=session.request.teacher.user, intervals=intervals
    )
    match.refresh_from_db()
    match.session.refresh_from_db()


def test_an_invitation_is_a_valid_request_with_organizer_attendees_and_utc_times(approved):
    match = approved()
    calendar = parse(invitation_ics(match))
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    [event] = calendar.walk("VEVENT")
    interval = match.session.intervals.get()
    assert str(event["UID"]) == f"{match.uid}@mentorbridge"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == interval.starts_at.astimezone(UTC)
    for name in ("DTSTART", "DTEND", "DTSTAMP"):
        assert event[name].to_ical().endswith(b"Z"), name  # UTC, so no VTIMEZONE is needed
    assert not calendar.walk("VTIMEZONE")
    assert event["STATUS"] == "CONFIRMED"
    alliance = match.session.request.school.alliance
    assert str(event["ORGANIZER"]) == f"mailto:{alliance.calendar_email}"
    assert event["ORGANIZER"].params["CN"] == alliance.name
    attendees = {str(a): a.params for a in event["ATTENDEE"]}
    mentor, teacher = match.mentor.user.email, match.session.request.teacher.user.email
    assert set(attendees) == {f"mailto:{mentor}", f"mailto:{teacher}"}
    assert attendees[f"mailto:{mentor}"]["PARTSTAT"] == "NEEDS-ACTION"
    assert attendees[f"mailto:{mentor}"]["RSVP"] == "TRUE"
    school = match.session.request.school
    assert str(event["LOCATION"]) == f"{school.name}, {school.address}"


def test_a_virtual_session_puts_the_meeting_link_in_the_invitation(approved, propose, coordinator):
    match = propose(request_fields={"format": "virtual", "meeting_link": "https://meet.example/abc-defg"})
    scheduling.approve_match(match_id=match.pk, actor=coordinator.user)
    [event] = parse(invitation_ics(match)).walk("VEVENT")
    assert str(event["LOCATION"]) == "https://meet.example/abc-defg"
    assert str(event["URL"]) == "https://meet.example/abc-defg"


def test_the_file_uses_crlf_and_folds_long_lines_at_75_octets(approved):
    match = approved()
    ics = invitation_ics(match)
    lines = ics.encode().split(b"\r\n")
    assert b"\n" not in b"".join(lines)
    assert all(len(line) <= 75 for line in lines)


def test_a_reschedule_sends_a_request_with_the_same_uid_and_a_raised_sequence(approved):
    match = approved()
    before = parse(invitation_ics(match)).walk("VEVENT")[0]
    reschedule(match)
    update = parse(invitation_ics(match, "update"))
    [after] = update.walk("VEVENT")
    assert update["METHOD"] == "REQUEST"
    assert str(after["UID"]) == str(before["UID"])
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.decoded("DTSTART") == before.decoded("DTSTART") + timedelta(hours=2)
    reschedule(match)
    assert parse(invitation_ics(match, "update")).walk("VEVENT")[0]["SEQUENCE"] == 2


def test_an_update_withdraws_the_unsent_invitation_for_the_old_time(approved):
    match = approved()
    reschedule(match)
    old = Notification.objects.filter(match=match, kind="invitation")
    assert set(old.values_list("status", flat=True)) == {N.WITHDRAWN}
    new = Notification.objects.filter(match=match, kind="update")
    assert set(new.values_list("channel", flat=True)) == {"sms", "email"}
    assert set(new.values_list("status", flat=True)) == {N.PENDING}


def test_an_update_to_a_confirmed_mentor_also_tells_the_teacher(approved, settings):
    settings.RECONFIRM_MARGIN_MINUTES = 60 * 24 * 365  # within the margin: no reconfirmation asked
    match = approved()
    scheduling.confirm_match(match_id=match.pk)
    match.refresh_from_db()
    reschedule(match)
    assert Notification.objects.filter(match=match, kind="update_to_teacher",
                                       to=match.session.request.teacher.user.email).exists()
    [event] = parse(invitation_ics(match, "update")).walk("VEVENT")
    partstats = {str(a): a.params["PARTSTAT"] for a in event["ATTENDEE"]}
    assert partstats[f"mailto:{match.mentor.user.email}"] == "ACCEPTED"


def test_a_rescheduled_request_sends_every_booked_mentor_the_new_revision(approved):
    match = approved()
    moved = [(i.starts_at + timedelta(hours=1), i.ends_at + timedelta(hours=1)) for i in match.session.intervals.all()]
    request_flow.reschedule_request(request_id=match.session.request_id, actor=None, intervals=moved)
    assert Notification.objects.filter(match=match, kind="update", key__endswith="rev-1").count() == 2


def test_a_cancellation_is_a_cancel_with_status_cancelled_the_same_uid_and_a_raised_sequence(approved,
                                                                                             coordinator):
    match = approved()
    scheduling.cancel_match(match_id=match.pk, actor=coordinator.user, reason="snow day", backfill=False)
    calendar = parse(invitation_ics(match, "cancelled"))
    assert calendar["METHOD"] == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"
    assert str(event["UID"]) == f"{match.uid}@mentorbridge"
    assert event["SEQUENCE"] == match.session.revision + 1
    email_row = Notification.objects.get(match=match, kind="cancelled", channel="email")
    assert email_row.ics_method == "CANCEL"


def test_the_invitation_email_is_imip_text_and_calendar_alternatives_plus_the_ics_attached(approved):
    match = approved()
    row = Notification.objects.get(match=match, channel="email")
    services.deliver_notification(row.pk)
    [sent] = mail.outbox
    message = email.message_from_bytes(sent.message().as_bytes())
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, html, calendar_part = alternative.get_payload()  # the richest (the calendar) last
    assert plain.get_content_type() == "text/plain"
    assert html.get_content_type() == "text/html"
    assert calendar_part.get_content_type() == "text/calendar"
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_content_charset() == "utf-8"
    calendar = parse(calendar_part.get_payload(decode=True))
    assert calendar["METHOD"] == calendar_part.get_param("method")
    assert attachment.get_filename() == "invite.ics"
    assert parse(attachment.get_payload(decode=True))["METHOD"] == "REQUEST"


# Personal feeds


def subscribe(api, user):
    response = api(user).post("/api/me/calendar-feed/")
    assert response.status_code == 201, response.content
    return response.json()["url"]


def fetch(client, url):
    from django.conf import settings

    return client.get(url.removeprefix(settings.PUBLIC_BASE_URL))


def test_a_mentors_feed_lists_confirmed_sessions_with_the_invitations_uids_and_no_method(api, client, approved):
    match = approved()
    scheduling.confirm_match(match_id=match.pk)
    other = approved()  # someone else's booking
    scheduling.confirm_match(match_id=other.pk)
    url = subscribe(api, match.mentor.user)
    response = fetch(client, url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = parse(response.content)
    assert "METHOD" not in calendar
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert uids == [str(parse(invitation_ics(match)).walk("VEVENT")[0]["UID"])]


def test_a_teachers_feed_lists_the_mentors_confirmed_for_their_classes(api, client, approved, teacher):
    match = approved()
    scheduling.confirm_match(match_id=match.pk)
    calendar = parse(fetch(client, subscribe(api, teacher.user)).content)
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [f"{match.uid}@mentorbridge"]


def test_a_cancelled_booking_leaves_the_feed(api, client, approved, coordinator):
    match = approved()
    scheduling.confirm_match(match_id=match.pk)
    url = subscribe(api, match.mentor.user)
    scheduling.cancel_match(match_id=match.pk, actor=coordinator.user, reason="snow", backfill=False)
    assert parse(fetch(client, url).content).walk("VEVENT") == []


def test_rotating_the_feed_kills_the_old_url_and_revoking_kills_all(api, client, approved):
    match = approved()
    user = match.mentor.user
    old = subscribe(api, user)
    new = subscribe(api, user)
    assert old != new
    assert fetch(client, old).status_code == 404
    assert fetch(client, new).status_code == 200
    assert api(user).get("/api/me/calendar-feed/").json()["active"] is True
    assert api(user).delete("/api/me/calendar-feed/").status_code == 204
    assert fetch(client, new).status_code == 404
    assert api(user).get("/api/me/calendar-feed/").json()["active"] is False


def test_the_token_is_stored_only_as_a_hash(api, approved):
    match = approved()
    url = subscribe(api, match.mentor.user)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert not CalendarFeedToken.objects.filter(token_hash=token).exists()
    assert CalendarFeedToken.objects.get().token_hash == CalendarFeedToken.hash(token)


def test_a_guessed_token_is_a_404_and_coordinators_have_no_feed(api, client, coordinator):
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    assert api(coordinator.user).post("/api/me/calendar-feed/").status_code == 403
    assert api().post("/api/me/calendar-feed/").status_code in (401, 403)
