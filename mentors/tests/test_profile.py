"""The volunteer's profile: wizard pages and API share one set of rules; coordinator fields stay out of reach."""
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentors import forms, validation
from mentors.models import Mentor
from mentors.serializers import MentorProfileSerializer
from mentors.tests.factories import MentorFactory
from scheduling.matching import weekly_windows

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentor():
    return MentorFactory(status=Mentor.Status.PENDING, phone="", sms_consent_at=None, sms_consent_text="",
                         background_check_status="none", background_check_expires=None, weekdays=[])


@pytest.fixture
def signed_in(client, mentor):
    client.force_login(mentor.user)
    return client


def test_phone_numbers_are_stored_in_e164():
    assert validation.phone_e164("(518) 555-0123") == "+15185550123"
    assert validation.phone_e164("+44 20 7946 0958") == "+442079460958"
    with pytest.raises(ValidationError):
        validation.phone_e164("555-01")


def test_a_zip_code_is_geocoded_offline_and_an_unknown_one_is_refused():
    place = validation.geocode_zip("12305")
    assert place.zip_code == "12305" and abs(place.latitude - 42.81) < 0.05 and place.timezone == "America/New_York"
    with pytest.raises(ValidationError, match="could not find ZIP code 00000"):
        validation.geocode_zip("00000")


def test_overlapping_and_touching_blocks_are_merged():
    merged = validation.merge_availability([
        (1, time(9), time(11)), (1, time(10), time(12)), (1, time(12), time(13)), (1, time(15), time(16)),
        (0, time(9), time(10)),
    ])
    assert merged == [(0, time(9), time(10)), (1, time(9), time(13)), (1, time(15), time(16))]


def test_a_new_york_half_past_three_block_is_1930_utc_in_summer_and_2030_in_winter(mentor):
    mentor.timezone = "America/New_York"
    mentor.save()
    mentor.availability.create(weekday=2, start_time=time(15, 30), end_time=time(16, 30))  # Wednesdays
    summer = weekly_windows(mentor, datetime(2026, 7, 15, tzinfo=UTC), datetime(2026, 7, 15, 23, tzinfo=UTC))
    winter = weekly_windows(mentor, datetime(2026, 1, 14, tzinfo=UTC), datetime(2026, 1, 14, 23, tzinfo=UTC))
    assert datetime(2026, 7, 15, 19, 30, tzinfo=UTC) in [start for start, _ in summer]
    assert datetime(2026, 1, 14, 20, 30, tzinfo=UTC) in [start for start, _ in winter]


def test_no_volunteer_form_or_serializer_can_write_the_background_check_or_approval():
    coordinator_only = {"status", "background_check_status", "background_check_reference", "background_check_expires"}
    for step in (forms.SkillsStep, forms.ClassesStep, forms.PlaceStep, forms.TimeStep, forms.ContactStep,
                 forms.VolunteerSignupForm):
        assert not coordinator_only & set(step.base_fields)
    writable = {name for name, f in MentorProfileSerializer().fields.items() if not f.read_only}
    assert not coordinator_only & writable


def test_the_wizard_walks_every_step_and_saves_the_profile(signed_in, mentor):
    away = [timezone.localdate() + timedelta(days=20), timezone.localdate() + timedelta(days=27)]
    steps = [
        ("skills", {"skills": [mentor.skills.model.objects.get(slug="robotics").pk]}),
        ("classes", {"grade_bands": ["6-8"], "formats": ["in_person", "virtual"], "languages": ["en", "es"]}),
        ("place", {"zip_code": "12305", "travel": "20", "timezone": "America/New_York"}),
        ("time", {"blocks-TOTAL_FORMS": "3", "blocks-INITIAL_FORMS": "0", "blocks-0-weekday": "1",
                  "blocks-0-start": "09:00", "blocks-0-end": "11:00", "blocks-1-weekday": "1",
                  "blocks-1-start": "10:30", "blocks-1-end": "12:00", "blackout_dates": f"{away[0]}\n{away[1]}",
                  "monthly_session_cap": "3"}),
        ("contact", {"phone": "(518) 555-0199", "sms_consent": "on", "bio": "I build robots."}),
    ]
    url = "/me/profile/skills/?then=next"  # the wizard, as a new volunteer walks it
    for step, data in steps:
        assert url.startswith(f"/me/profile/{step}/")
        response = signed_in.post(url, data, REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 302, (step, response.context["form"].errors)
        url = response["Location"]
    assert response["Location"] == "/me/sessions/"
    mentor.refresh_from_db()
    assert mentor.grade_bands == ["6-8"] and mentor.languages == ["en", "es"]
    assert mentor.travel_km == 32  # 20 miles, for a US alliance
    assert mentor.zip_code == "12305" and mentor.latitude == pytest.approx(42.81, abs=0.05)
    assert [(w.weekday, w.start_time, w.end_time) for w in mentor.availability.all()] == [(1, time(9), time(12))]
    assert sorted(b.date for b in mentor.blackout_dates.all()) == away
    assert mentor.phone == "+15185550199"
    assert mentor.sms_consent_text == validation.SMS_CONSENT_TEXT
    assert mentor.sms_consent_ip == "203.0.113.9" and mentor.sms_consent_at is not None


@pytest.mark.parametrize("step, data, field", [
    ("place", {"zip_code": "00000", "travel": "10", "timezone": "America/New_York"}, "zip_code"),
    ("contact", {"phone": "+44 20 7946 0958", "sms_consent": "on"}, "phone"),
    ("contact", {"phone": "(518) 555-0199", "bio": ""}, "sms_consent"),
    ("time", {"blocks-TOTAL_FORMS": "1", "blocks-INITIAL_FORMS": "0", "blocks-0-weekday": "1",
              "blocks-0-start": "09:00", "blocks-0-end": "11:00", "monthly_session_cap": "0"}, "monthly_session_cap"),
    ("time", {"blocks-TOTAL_FORMS": "1", "blocks-INITIAL_FORMS": "0", "blocks-0-weekday": "1",
              "blocks-0-start": "09:00", "blocks-0-end": "11:00", "monthly_session_cap": "2",
              "blackout_dates": "2020-01-02"}, "blackout_dates"),
    ("time", {"blocks-TOTAL_FORMS": "1", "blocks-INITIAL_FORMS": "0", "monthly_session_cap": "2"}, "no_hours_ok"),
    ("contact", {"phone": "12", "bio": ""}, "phone"),
    ("contact", {"phone": "", "sms_consent": "on"}, "phone"),
    ("time", {"blocks-TOTAL_FORMS": "1", "blocks-INITIAL_FORMS": "0", "blocks-0-weekday": "1",
              "blocks-0-start": "11:00", "blocks-0-end": "09:00", "monthly_session_cap": "2"}, "end"),
    ("time", {"blocks-TOTAL_FORMS": "0", "blocks-INITIAL_FORMS": "0", "blackout_dates": "next tuesday",
              "monthly_session_cap": "2"}, "blackout_dates"),
])
def test_bad_input_is_an_error_on_its_own_field_and_saves_nothing(signed_in, mentor, step, data, field):
    before = Mentor.objects.values().get(pk=mentor.pk)
    response = signed_in.post(f"/me/profile/{step}/", data)
    assert response.status_code == 200
    errors = dict(response.context["form"].errors)
    if response.context["formset"]:
        for row in response.context["formset"].errors:
            errors.update(row)
    assert field in errors
    assert Mentor.objects.values().get(pk=mentor.pk) == before
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_api_profile_geocodes_stores_consent_and_merges_blocks(api, mentor):
    response = api(mentor.user).patch("/api/me/mentor/", {
        "zip_code": "12305", "phone": "518-555-0142", "sms_consent": True,
        "availability": [{"weekday": 0, "start_time": "09:00", "end_time": "11:00"},
                         {"weekday": 0, "start_time": "10:00", "end_time": "12:00"}],
        "blackout_dates": ["2026-12-24"], "background_check_status": "cleared", "status": "approved",
    }, format="json", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 200, response.content
    mentor.refresh_from_db()
    assert mentor.phone == "+15185550142" and mentor.sms_consent_ip == "198.51.100.7"
    assert mentor.latitude is not None
    assert [(w.start_time, w.end_time) for w in mentor.availability.all()] == [(time(9), time(12))]
    assert mentor.status == "pending" and mentor.background_check_status == "none"
    assert response.json()["blackout_dates"] == ["2026-12-24"]


@pytest.mark.parametrize("body, field", [
    ({"zip_code": "99999"}, "zip_code"), ({"phone": "call me"}, "phone"),
    ({"availability": [{"weekday": 0, "start_time": "11:00", "end_time": "09:00"}]}, "availability"),
    ({"timezone": "Mars/Olympus"}, "timezone"), ({"blackout_dates": ["soon"]}, "blackout_dates"),
])
def test_the_api_refuses_bad_profile_input_with_400_naming_the_field(api, mentor, body, field):
    mentor.availability.create(weekday=3, start_time=time(9), end_time=time(10))
    response = api(mentor.user).patch("/api/me/mentor/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert mentor.availability.count() == 1


def test_the_availability_endpoint_replaces_blocks_in_the_volunteers_timezone(api, mentor):
    response = api(mentor.user).put("/api/me/mentor/availability/", {
        "timezone": "America/Chicago",
        "availability": [{"weekday": 4, "start_time": "15:30", "end_time": "17:00"},
                         {"weekday": 4, "start_time": "16:00", "end_time": "18:00"}],
        "blackout_dates": [],
    }, format="json")
    assert response.status_code == 200
    assert response.json()["availability"] == [{"weekday": 4, "start_time": "15:30:00", "end_time": "18:00:00"}]
    mentor.refresh_from_db()
    assert mentor.timezone == "America/Chicago"


def test_only_volunteers_reach_the_profile(client, api):
    from schools.tests.factories import TeacherFactory

    teacher = TeacherFactory()
    client.force_login(teacher.user)
    assert client.get("/me/profile/skills/").status_code == 403
    assert api(teacher.user).get("/api/me/mentor/").status_code == 403
    assert api().get("/api/me/mentor/").status_code in (401, 403)


def test_an_empty_week_is_saved_only_once_the_volunteer_confirms_it(signed_in, mentor):
    data = {"blocks-TOTAL_FORMS": "1", "blocks-INITIAL_FORMS": "0", "monthly_session_cap": "2"}
    warned = signed_in.post("/me/profile/time/", data)
    assert "we can never match you" in warned.content.decode()
    assert signed_in.post("/me/profile/time/", {**data, "no_hours_ok": "on"}).status_code == 302


def test_days_away_are_picked_as_dates(signed_in, mentor):
    mentor.blackout_dates.create(date=date(2099, 12, 24))
    page = signed_in.get("/me/profile/time/").content.decode()
    assert 'type="date" name="blackout_dates" value="2099-12-24"' in page
    data = {"blocks-TOTAL_FORMS": "1", "blocks-INITIAL_FORMS": "0", "blocks-0-weekday": "1",
            "blocks-0-start": "09:00", "blocks-0-end": "11:00", "monthly_session_cap": "2",
            "blackout_dates": ["2099-12-24", "", "2099-12-31", ""]}
    assert signed_in.post("/me/profile/time/", data).status_code == 302
    assert sorted(b.date for b in mentor.blackout_dates.all()) == [date(2099, 12, 24), date(2099, 12, 31)]


def test_availability_rows_are_added_without_saving_and_removed_by_clearing(signed_in, mentor):
    for weekday in range(4):
        mentor.availability.create(weekday=weekday, start_time=time(9), end_time=time(10))
    page = signed_in.get("/me/profile/time/")
    assert page.context["formset"].total_form_count() == 5  # four of theirs and one empty
    data = {"blocks-TOTAL_FORMS": "5", "blocks-INITIAL_FORMS": "4", "monthly_session_cap": "2", "add_block": "1",
            **{f"blocks-{n}-{k}": v for n in range(4) for k, v in (("weekday", n), ("start", "09:00"),
                                                                      ("end", "10:00"))}}
    more = signed_in.post("/me/profile/time/", data)
    assert more.status_code == 200 and more.context["formset"].total_form_count() == 6
    assert mentor.availability.count() == 4
    cleared = {**data, "blocks-0-weekday": "", "blocks-0-start": "", "blocks-0-end": ""}
    del cleared["add_block"]
    assert signed_in.post("/me/profile/time/", cleared).status_code == 302
    assert sorted(mentor.availability.values_list("weekday", flat=True)) == [1, 2, 3]


def test_the_profile_is_a_summary_with_an_edit_link_per_section(signed_in, mentor):
    mentor.grade_bands = ["6-8"]
    mentor.travel_km = 16
    mentor.save()
    page = signed_in.get("/me/profile/").content.decode()
    for step in ("skills", "classes", "place", "time", "contact"):
        assert f'href="/me/profile/{step}/"' in page
    assert "10 miles" in page
    response = signed_in.post("/me/profile/classes/", {"grade_bands": ["9-12"], "formats": ["virtual"],
                                                       "languages": ["en"]})
    assert response["Location"] == "/me/profile/"


def test_a_kilometre_alliance_asks_for_kilometres(signed_in, mentor):
    alliance = mentor.company.alliance
    alliance.distance_unit = "km"
    alliance.save()
    assert "in kilometres" in signed_in.get("/me/profile/place/").content.decode()
    mentor.formats = ["virtual"]
    mentor.save()
    signed_in.post("/me/profile/place/", {"zip_code": "", "travel": "20", "timezone": "America/New_York"})
    mentor.refresh_from_db()
    assert mentor.travel_km == 20
