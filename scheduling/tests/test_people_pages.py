"""Pages as the people on them read them: local times never UTC, the teacher's view after confirmation,
the coordinator's Today page and closed days."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from alliances.models import ClosedDay
from mentors.tests.factories import MentorFactory
from notifications.models import InboundMessage
from scheduling import requests as request_flow
from scheduling.models import Match
from scheduling.tests.factories import book_match, held, make_request
from schools.models import SchoolClosedDay
from schools.tests.factories import CoordinatorFactory, TeacherFactory

pytestmark = pytest.mark.django_db
PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def teacher():
    teacher = TeacherFactory(school__timezone="America/Los_Angeles")
    teacher.school.alliance.timezone = "America/Los_Angeles"
    teacher.school.alliance.save()
    return teacher


@pytest.fixture
def coordinator(teacher):
    return CoordinatorFactory(alliance=teacher.school.alliance)


def next_monday():
    today = timezone.localdate()
    return today + timedelta(days=7 + (0 - today.weekday()) % 7)


def late_request(teacher, *, topic="Night sky"):
    """A request for Monday 10 PM Pacific (Tuesday in UTC)."""
    start = datetime.combine(next_monday(), time(22), PACIFIC)
    return request_flow.create_request(teacher=teacher, intervals=[(start, start + timedelta(hours=1))], skills=[],
                                       topic=topic, grade_band="6-8", format="virtual", student_count=20)


def page(client, user, url):
    client.force_login(user)
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return response.content.decode()


def test_no_page_a_person_sees_shows_utc(client, teacher, coordinator):
    mentor = MentorFactory(company__alliance=teacher.school.alliance, timezone="America/Chicago")
    confirmed = book_match(teacher, coordinator, mentor)
    proposed = Match.objects.create(session=make_request(teacher, hour=11).sessions.get(),
                                    mentor=MentorFactory(company__alliance=teacher.school.alliance), score=0.5)
    late_request(teacher)
    InboundMessage.objects.create(message_sid="SM" + "1" * 32, from_number="+15185550000", body="maybe?",
                                  alliance=teacher.school.alliance, needs_review=True)
    walk = {
        coordinator.user: ["/coordinator/", reverse("scheduling:review-queue"), "/coordinator/review/?status=",
                           reverse("coordinator-volunteers"), reverse("volunteer-profile", args=[mentor.pk]),
                           reverse("scheduling:candidates", args=[proposed.pk]), reverse("closed-days"),
                           reverse("matching-weights"), reverse("coordinator-teachers")],
        teacher.user: [reverse("teacher-requests"), reverse("teacher-request", args=[confirmed.session.request_id]),
                       reverse("teacher-request-new")],
        mentor.user: [reverse("my-sessions"), reverse("mentor-profile")],
    }
    for user, urls in walk.items():
        for url in urls:
            text = page(client, user, url)
            assert "UTC" not in text and "+00:00" not in text, url
    held(confirmed)
    assert "UTC" not in page(client, teacher.user, reverse("scheduling:complete", args=[confirmed.pk]))


def test_the_unfilled_list_shows_a_late_request_on_its_local_day(client, teacher, coordinator):
    late_request(teacher)
    text = page(client, coordinator.user, reverse("scheduling:unfilled"))
    monday = next_monday()
    assert f"Mon {monday:%b} {monday.day}, 10:00 PM P" in text


def test_the_completion_page_shows_the_schools_time(client, teacher, coordinator):
    match = held(book_match(teacher, coordinator, MentorFactory(company__alliance=teacher.school.alliance)))
    local = match.session.starts_at.astimezone(PACIFIC)
    text = page(client, teacher.user, reverse("scheduling:complete", args=[match.pk]))
    assert f"{local.hour % 12 or 12}:{local:%M %p} P" in text


def test_after_confirmation_the_teacher_sees_the_bio_and_tappable_contacts(client, teacher, coordinator):
    mentor = MentorFactory(company__alliance=teacher.school.alliance, bio="Flight software engineer.",
                           phone="+15185550123")
    approved = book_match(teacher, coordinator, mentor, status="approved")
    url = reverse("teacher-request", args=[approved.session.request_id])
    before = page(client, teacher.user, url)
    assert "Flight software engineer." not in before and "555-0123" not in before
    confirmed = book_match(teacher, coordinator, mentor, hour=14)
    after = page(client, teacher.user, reverse("teacher-request", args=[confirmed.session.request_id]))
    assert "Flight software engineer." in after
    assert 'href="tel:+15185550123"' in after and "(518) 555-0123" in after
    assert f'href="mailto:{mentor.user.email}"' in after


def test_the_completion_link_appears_once_the_session_is_due_and_returns_to_the_request(client, teacher,
                                                                                          coordinator):
    match = book_match(teacher, coordinator, MentorFactory(company__alliance=teacher.school.alliance))
    url = reverse("teacher-request", args=[match.session.request_id])
    link = reverse("scheduling:complete", args=[match.pk])
    assert link not in page(client, teacher.user, url)
    held(match)
    assert link in page(client, teacher.user, url)
    response = client.post(link, {"hours": "1", "students_reached": "20"})
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(response["Location"]).status_code == 200


def test_today_lists_what_needs_doing_with_links(client, teacher, coordinator):
    alliance = teacher.school.alliance
    Match.objects.create(session=make_request(teacher).sessions.get(),
                         mentor=MentorFactory(company__alliance=alliance), score=0.5)
    expiring = MentorFactory(company__alliance=alliance,
                             background_check_expires=timezone.localdate() + timedelta(days=10))
    MentorFactory(company__alliance=alliance, status="pending")
    TeacherFactory(school=teacher.school, verified_at=None)
    InboundMessage.objects.create(message_sid="SM" + "2" * 32, from_number="+15185550000", body="who is this?",
                                  alliance=alliance, needs_review=True)
    text = page(client, coordinator.user, reverse("coordinator-home"))
    assert "1 proposed match to approve" in text and reverse("scheduling:review-queue") in text
    assert str(expiring) in text and reverse("volunteer-profile", args=[expiring.pk]) in text
    assert "who is this?" in text
    assert "1 teacher</a> to verify" in text and "1 volunteer</a> to approve" in text


def test_a_text_is_marked_handled_from_today(client, teacher, coordinator):
    text = InboundMessage.objects.create(message_sid="SM" + "3" * 32, from_number="+15185550000", body="?",
                                         alliance=teacher.school.alliance, needs_review=True)
    client.force_login(coordinator.user)
    client.post(reverse("text-handled", args=[text.pk]))
    text.refresh_from_db()
    assert text.reviewed_by == coordinator.user


def test_coordinators_keep_the_closed_days(client, teacher, coordinator):
    client.force_login(coordinator.user)
    day = timezone.localdate() + timedelta(days=30)
    client.post(reverse("closed-days"), {"date": day, "name": "Snow day"})
    client.post(reverse("closed-days"), {"date": day, "name": "Testing", "school": teacher.school.pk})
    assert ClosedDay.objects.get(alliance=teacher.school.alliance).date == day
    assert SchoolClosedDay.objects.get(school=teacher.school).name == "Testing"
    again = client.post(reverse("closed-days"), {"date": day, "name": "Again"})
    assert "already closed" in again.content.decode()
    client.post(reverse("reopen-alliance-day", args=[ClosedDay.objects.get().pk]))
    assert not ClosedDay.objects.exists()


def test_the_volunteer_list_searches_and_filters(client, teacher, coordinator):
    alliance = teacher.school.alliance
    ada = MentorFactory(company__alliance=alliance, user__first_name="Ada", user__last_name="Lovelace")
    MentorFactory(company__alliance=alliance, user__first_name="Grace", user__last_name="Hopper")
    found = page(client, coordinator.user, reverse("coordinator-volunteers") + "?q=lovelace")
    assert str(ada) in found and "Hopper" not in found
    expiring = page(client, coordinator.user, reverse("coordinator-volunteers") + "?check=expiring")
    assert "Lovelace" not in expiring
    bad = client.get(reverse("coordinator-volunteers") + "?status=bogus")
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()


def test_a_150_character_name_wraps_instead_of_widening_the_page(client, teacher, coordinator):
    MentorFactory(company__alliance=teacher.school.alliance, user__first_name="A" * 150)
    text = page(client, coordinator.user, reverse("coordinator-volunteers"))
    assert "A" * 150 in text  # the browser walk checks the width; here, that the page still renders


def test_an_alliances_look_is_its_own_stylesheet(client, teacher):
    alliance = teacher.school.alliance
    alliance.brand_colour = "#ffcc00"
    alliance.save()
    css = client.get(reverse("alliance-look", args=[alliance.slug])).content.decode()
    assert "--brand: #ffcc00" in css and "--brand-ink: #000000" in css
    assert reverse("alliance-look", args=[alliance.slug]) in page(client, teacher.user, reverse("teacher-requests"))


def test_an_unfilled_request_says_what_would_make_it_fillable_and_who_would_fit(client, teacher, coordinator):
    alliance = teacher.school.alliance
    # Too far for in person (about 40 km north), free only on a day the teacher gave as another option.
    MentorFactory(company__alliance=alliance, user__first_name="Far", user__last_name="Away",
                  latitude=teacher.school.latitude + 0.36, longitude=teacher.school.longitude, travel_km=25)
    request = make_request(teacher, topic="Bridges", hour=10)
    session = request.sessions.get()
    later = session.starts_at + timedelta(days=1)
    request.alternative_times = [[later.isoformat(), (later + timedelta(hours=1)).isoformat()]]
    request.save()
    text = page(client, coordinator.user, reverse("scheduling:unfilled-help", args=[session.pk]))
    assert "As asked: still nobody fits." in text
    assert "Virtual instead of in person: Far Away would fit." in text
    assert "If volunteers travelled twice as far" in text and "Far Away would fit" in text
    assert "At the teacher&#x27;s other time" in text
    assert reverse("scheduling:unfilled-help", args=[session.pk]) in page(client, coordinator.user,
                                                                          reverse("scheduling:unfilled"))
