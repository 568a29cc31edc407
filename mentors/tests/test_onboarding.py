"""Coordinators vet volunteers of their own alliance; volunteers answer invitations on "my sessions"."""
from datetime import date, timedelta

import pytest

from mentors.models import Mentor
from mentors.tests.factories import CompanyFactory, MentorFactory
from notifications.models import Notification
from scheduling import services as lifecycle
from scheduling.models import Match
from scheduling.tests.factories import make_request
from schools.tests.factories import CoordinatorFactory, TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return CoordinatorFactory()


@pytest.fixture
def pending(coordinator):
    return MentorFactory(company=CompanyFactory(alliance=coordinator.alliance), status=Mentor.Status.PENDING,
                         background_check_status="none", background_check_expires=None)


@pytest.fixture
def stranger():
    """A pending volunteer of another alliance."""
    return MentorFactory(status=Mentor.Status.PENDING)


def test_a_coordinator_approves_a_pending_volunteer_of_their_alliance(client, coordinator, pending):
    client.force_login(coordinator.user)
    assert str(pending) in client.get("/coordinator/volunteers/").content.decode()
    client.post(f"/coordinator/volunteers/{pending.pk}/approve/")
    pending.refresh_from_db()
    assert pending.status == Mentor.Status.APPROVED
    notes = list(Notification.objects.filter(kind="volunteer_approved", to=pending.user.email))
    assert len(notes) == 1 and "approved" in notes[0].subject, [(n.to, n.subject) for n in notes]
    assert "/me/sessions/" in notes[0].body and notes[0].html


def test_a_coordinator_cannot_touch_another_alliances_volunteers(client, api, coordinator, stranger):
    client.force_login(coordinator.user)
    assert client.post(f"/coordinator/volunteers/{stranger.pk}/approve/").status_code == 404
    assert api(coordinator.user).post(f"/api/coordinator/volunteers/{stranger.pk}/approve/").status_code == 404
    stranger.refresh_from_db()
    assert stranger.status == Mentor.Status.PENDING


def test_volunteers_and_teachers_cannot_open_coordinator_pages_or_endpoints(client, api, pending):
    for user in (pending.user, TeacherFactory().user):
        client.force_login(user)
        assert client.get("/coordinator/volunteers/").status_code == 403
        assert client.post(f"/coordinator/volunteers/{pending.pk}/approve/").status_code == 403
        body = {"status": "cleared", "expires": "2030-01-01"}
        assert api(user).post(f"/api/coordinator/volunteers/{pending.pk}/background-check/", body).status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending" and pending.background_check_status == "none"


def test_a_coordinator_records_a_background_check(client, coordinator, pending):
    client.force_login(coordinator.user)
    expires = date.today() + timedelta(days=400)
    response = client.post(f"/coordinator/volunteers/{pending.pk}/background-check/",
                           {"status": "cleared", "reference": "CHK-1234", "expires": expires.isoformat()})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.background_check_status, pending.background_check_reference) == ("cleared", "CHK-1234")
    assert pending.background_check_expires == expires


@pytest.mark.parametrize("expires", ["", (date.today() - timedelta(days=1)).isoformat()])
def test_a_cleared_check_needs_a_future_expiry_date(client, api, coordinator, pending, expires):
    client.force_login(coordinator.user)
    response = client.post(f"/coordinator/volunteers/{pending.pk}/background-check/",
                           {"status": "cleared", "expires": expires})
    assert "expires" in response.context["form"].errors
    via_api = api(coordinator.user).post(f"/api/coordinator/volunteers/{pending.pk}/background-check/",
                                         {"status": "cleared", "expires": expires or None}, format="json")
    assert via_api.status_code == 400 and "expires" in via_api.json()
    pending.refresh_from_db()
    assert pending.background_check_status == "none"


def test_the_api_lists_pending_volunteers_and_approves_them(api, coordinator, pending, stranger):
    listed = api(coordinator.user).get("/api/coordinator/volunteers/?status=pending").json()
    assert [m["id"] for m in listed["results"]] == [pending.pk]
    approved = api(coordinator.user).post(f"/api/coordinator/volunteers/{pending.pk}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


# --- my sessions ---------------------------------------------------------------------------

@pytest.fixture
def invited():
    teacher = TeacherFactory()
    request = make_request(teacher)
    mentor = MentorFactory(company__alliance=teacher.school.alliance)
    match = Match.objects.create(session=request.sessions.get(), mentor=mentor, score=0.8)
    lifecycle.approve_match(match_id=match.pk, actor=CoordinatorFactory(alliance=teacher.school.alliance).user)
    return match


def test_an_invited_volunteer_sees_the_invitation_and_accepts_it(client, invited):
    client.force_login(invited.mentor.user)
    page = client.get("/me/sessions/").content.decode()
    assert "Waiting for your answer" in page and invited.session.request.topic in page
    client.post(f"/me/sessions/{invited.pk}/accept/")
    invited.refresh_from_db()
    assert invited.status == Match.Status.CONFIRMED
    assert invited.session.request.topic in client.get("/me/sessions/").context["upcoming"][0].session.request.topic


def test_an_invited_volunteer_declines(client, invited):
    client.force_login(invited.mentor.user)
    client.post(f"/me/sessions/{invited.pk}/decline/")
    invited.refresh_from_db()
    assert invited.status == Match.Status.DECLINED


def test_nobody_answers_someone_elses_invitation(client, invited):
    client.force_login(MentorFactory().user)
    assert client.post(f"/me/sessions/{invited.pk}/accept/").status_code == 404
    invited.refresh_from_db()
    assert invited.status == Match.Status.APPROVED


def test_my_sessions_links_to_the_calendar_page_without_exposing_a_feed_url(client, invited):
    client.force_login(invited.mentor.user)
    page = client.get("/me/sessions/").content.decode()
    assert 'href="/me/calendar/"' in page
    assert ".ics" not in page
