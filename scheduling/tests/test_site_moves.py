"""A partner's site that moves takes its sessions to come with it: calendars move (same UID, raised SEQUENCE,
the new address), every booked mentor hears the new place, and nobody is held to a place beyond their own
travel range: a confirmed mentor is asked again, one not yet confirmed is released and matching looks again."""
import pytest
from icalendar import Calendar

from mentors.tests.factories import MentorFactory
from notifications.models import Notification
from scheduling.models import Match, MatchTransition
from scheduling.site_moves import BEYOND_RANGE
from scheduling.tests.factories import book_match, held, make_request
from schools.tests.factories import CoordinatorFactory, PartnerStaffFactory

pytestmark = pytest.mark.django_db

SARATOGA = {"address": "15 Church St", "city": "Saratoga Springs", "zip_code": "12866"}  # 30 km from Schenectady


@pytest.fixture
def staff(client):
    staff = PartnerStaffFactory()
    client.force_login(staff.user)
    return staff


def booked(staff, status, travel_km, hour):
    mentor = MentorFactory(company__alliance=staff.member.alliance, travel_km=travel_km)
    return book_match(staff, CoordinatorFactory(alliance=staff.member.alliance), mentor, status=status, hour=hour)


def move(client, site, **place):
    return client.post(f"/partner/sites/{site.pk}/", {"name": site.name, "address": site.address,
                                                        "city": site.city or "Schenectady",
                                                        "zip_code": site.zip_code,
                                                        "timezone": "", **place})


def sent_to(match, kind, channel):
    return Notification.objects.get(match=match, kind=kind, channel=channel,
                                    to=match.mentor.phone if channel == "sms" else match.mentor.user.email)


def test_mentors_hear_the_new_place_and_anyone_now_out_of_range_is_asked_or_released(client, staff):
    site = staff.member.places.get()
    stays = booked(staff, "confirmed", travel_km=40, hour=9)
    asked = booked(staff, "confirmed", travel_km=25, hour=11)
    released = booked(staff, "invited", travel_km=25, hour=13)
    revisions = {m.pk: m.session.revision for m in (stays, asked, released)}

    response = move(client, site, **SARATOGA)
    assert response.status_code == 302
    told = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert told == [f"Saved {site.name}. Sessions booked there move with it: 1 mentor told the new address; "
                    "1 mentor asked again, as it is further than they travel; 1 mentor not yet confirmed "
                    "released, as it is further than they travel; we are looking for someone else."]

    statuses = dict(Match.objects.filter(pk__in=revisions).values_list("pk", "status"))
    assert statuses == {stays.pk: "confirmed", asked.pk: "invited", released.pk: "cancelled"}
    for match in (stays, asked, released):
        match.refresh_from_db()
        assert match.session.revision == revisions[match.pk] + 1
    assert MatchTransition.objects.get(match=released, to_status="cancelled").reason == BEYOND_RANGE
    assert MatchTransition.objects.filter(match=asked, to_status="invited").latest("at").reason.startswith(BEYOND_RANGE)

    text = sent_to(stays, "update", "sms").body
    assert "has moved to 15 Church St, Saratoga Springs 12866" in text and "YES" not in text
    ask = sent_to(asked, "reconfirm", "sms").body
    assert "further than you said you travel" in ask and "Reply YES" in ask
    email = sent_to(asked, "reconfirm", "email")
    assert "can you still come?" in email.subject and "it was at" in email.body
    for match, kind, partstat in ((stays, "update", "ACCEPTED"), (asked, "reconfirm", "NEEDS-ACTION")):
        [event] = Calendar.from_ical(sent_to(match, kind, "email").ics).walk("VEVENT")
        assert str(event["UID"]) == f"{match.uid}@mentorbridge"
        assert int(event["SEQUENCE"]) == match.session.revision
        assert str(event["LOCATION"]).startswith(f"{site.name}, 15 Church St")
        [mentor] = [a for a in event.get("ATTENDEE") if match.mentor.user.email in str(a)]
        assert mentor.params["PARTSTAT"] == partstat
    # The released mentor had been invited: they are told it is off, and nothing else about the new place.
    assert not Notification.objects.filter(match=released, kind__in=("update", "reconfirm")).exists()
    assert Notification.objects.filter(match=released, kind="cancelled", to=released.mentor.phone).exists()


def test_a_change_of_name_alone_moves_nothing_and_tells_nobody(client, staff):
    site = staff.member.places.get()
    assert site.address == "432 State St, Schenectady, NY 12305" and site.city == ""  # city and ZIP inside
    match = booked(staff, "confirmed", travel_km=25, hour=9)
    before = Notification.objects.count()
    response = move(client, site, name="Code Club, upstairs")
    assert response.status_code == 302
    assert [str(m) for m in client.get(response["Location"]).context["messages"]] == ["Saved Code Club, upstairs."]
    match.refresh_from_db()
    assert (match.status, match.session.revision) == ("confirmed", 0)
    assert Notification.objects.count() == before


def test_sessions_already_held_and_online_sessions_stay_where_they_were(client, staff):
    site = staff.member.places.get()
    past = held(booked(staff, "confirmed", travel_km=5, hour=9))
    online = make_request(staff, hour=11, format="virtual", kind="virtual_session",
                          meeting_link="https://meet.example/abc").sessions.get()
    assert move(client, site, **SARATOGA).status_code == 302
    past.refresh_from_db()
    online.refresh_from_db()
    assert (past.status, past.session.revision, online.revision) == ("confirmed", 0, 0)


def test_a_move_the_form_refuses_changes_no_session(client, staff):
    site = staff.member.places.get()
    match = booked(staff, "confirmed", travel_km=25, hour=9)
    response = move(client, site, zip_code="00000")
    assert response.status_code == 400 and list(response.context["form"].errors) == ["zip_code"]
    match.refresh_from_db()
    assert (match.status, match.session.revision) == ("confirmed", 0)
