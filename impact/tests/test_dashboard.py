"""The coordinator's dashboard: figures from recorded facts only, equal in the page, the CSV, the API and a
direct count; a fixed number of queries whatever the data size; bad filters are field errors."""
import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from impact.models import SchoolEquity, Target
from mentors.tests.factories import MentorFactory
from scheduling import services
from scheduling.models import Match
from scheduling.tests.factories import book_match
from schools.tests.factories import PartnerSiteFactory, PartnerStaffFactory, SchoolFactory, TeacherFactory

from .helpers import completed

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(teacher, coordinator, mentor):
    alliance = teacher.school.alliance
    other_school = TeacherFactory(school=SchoolFactory(alliance=alliance))
    other_mentor = MentorFactory(company__alliance=alliance)
    completed(teacher, coordinator, mentor, students=24, hours="1", mentor_hours="1.5")
    completed(teacher, coordinator, other_mentor, students=10, hours="1", kind="after_school", hour=14)
    completed(other_school, coordinator, mentor, students=30, hours="1.25", format="virtual", hour=16,
              meeting_link="https://meet.example/x")
    booked = book_match(teacher, coordinator, other_mentor, hour=12)  # confirmed, not held: never counted
    services.cancel_match(match_id=book_match(teacher, coordinator, mentor, hour=8).pk, actor=coordinator.user,
                          reason="school trip", backfill=False)
    SchoolEquity.objects.create(school=teacher.school, title_i=True, frl_percent=82)
    return {"booked": booked, "other_school": other_school.school}


def direct(alliance):
    held = Match.objects.filter(session__alliance=alliance, status="completed")
    return {"students": sum(m.students_reached for m in held),
            "sessions": held.count(),
            "hours": sum((m.mentor_hours or m.hours) for m in held)}


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_dashboard_the_csv_the_api_and_a_direct_count_agree(client, world, coordinator):
    client.force_login(coordinator.user)
    expected = direct(coordinator.alliance)
    assert expected == {"students": 64, "sessions": 3, "hours": Decimal("3.75")}
    page = client.get("/coordinator/impact/")
    assert page.status_code == 200
    totals = page.context["data"]["totals"]
    assert (totals["students"], totals["sessions"], totals["hours"]) == (64, 3, Decimal("3.75"))
    row = csv_rows(client.get("/coordinator/impact/totals.csv"))[0]
    assert (row["Students reached"], row["Sessions held"], row["Mentor hours"]) == ("64", "3", "3.75")
    by_school = csv_rows(client.get("/coordinator/impact/school.csv"))
    assert sum(int(r["Students reached"]) for r in by_school) == 64
    sessions = csv_rows(client.get("/coordinator/impact/sessions.csv"))
    assert len(sessions) == 3 and sum(int(r["Students reached"]) for r in sessions) == 64
    api = client.get("/api/impact/dashboard/").json()
    assert (api["totals"]["students"], api["totals"]["sessions"], float(api["totals"]["hours"])) == (64, 3, 3.75)


def test_filters_narrow_every_figure(client, world, coordinator):
    client.force_login(coordinator.user)
    data = client.get("/coordinator/impact/", {"setting": "out_of_school"}).context["data"]
    assert (data["totals"]["students"], data["totals"]["sessions"]) == (10, 1)
    data = client.get("/coordinator/impact/", {"format": "virtual"}).context["data"]
    assert data["totals"]["students"] == 30
    data = client.get("/coordinator/impact/", {"school": world["other_school"].pk}).context["data"]
    assert data["totals"]["students"] == 30


def test_rates_mentors_equity_and_progress(client, world, coordinator, teacher):
    client.force_login(coordinator.user)
    scope_page = client.get("/coordinator/impact/")
    scope = scope_page.context["scope"]
    Target.objects.create(alliance=coordinator.alliance, starts_on=scope.start, ends_on=scope.end, students=128,
                          mentors=4, hours=10, schools=4)
    data = client.get("/coordinator/impact/").context["data"]
    delivery = data["delivery"]
    # The cancelled match's session still asks for its mentor: 5 seats asked, 4 confirmed.
    assert (delivery["seats_asked"], delivery["seats_confirmed"], delivery["fill_rate"]) == (5, 4, 0.8)
    assert delivery["cancellation_rate"] == 0.2
    assert data["mentors"]["active"] == 2 and data["mentors"]["first_time"] == 2
    assert {p["key"]: p["share"] for p in data["progress"]}["students"] == 0.5
    equity = {row["key"]: row["students"] for row in data["equity"]}
    assert equity["Title I / 75-100%"] == 34
    assert b"<svg" in client.get("/coordinator/impact/").content


def test_the_dashboard_runs_a_fixed_number_of_queries_whatever_the_data(client, world, coordinator, teacher, mentor):
    client.force_login(coordinator.user)
    with CaptureQueriesContext(connection) as few:
        client.get("/coordinator/impact/")
    for hour in (7, 9, 11, 13, 15):
        completed(teacher, coordinator, MentorFactory(company__alliance=teacher.school.alliance),
                  students=5, hour=hour, days_ago=1)
    with CaptureQueriesContext(connection) as more:
        client.get("/coordinator/impact/")
    assert len(more) == len(few)
    assert len(few) <= 30


@pytest.mark.parametrize("query,field", [({"start": "2026-13-01"}, "start"), ({"start": "2026-05-01",
                                         "end": "2026-04-01"}, "end"), ({"grade_band": "13"}, "grade_band"),
                                         ({"school": "999999"}, "school"), ({"start": "1900-01-01"}, "end")])
def test_bad_filters_are_field_errors_in_the_page_and_the_api(client, world, coordinator, query, field):
    client.force_login(coordinator.user)
    page = client.get("/coordinator/impact/", query)
    assert page.status_code == 400 and field in page.context["filters"].errors
    api = client.get("/api/impact/dashboard/", query)
    assert api.status_code == 400 and field in api.json()
    assert client.get("/coordinator/impact/totals.csv", query).status_code == 400


def test_another_alliances_school_is_not_a_filter_a_coordinator_can_use(client, world, coordinator):
    client.force_login(coordinator.user)
    outsider = SchoolFactory()
    assert client.get("/api/impact/dashboard/", {"school": outsider.pk}).status_code == 400


def test_a_coordinator_sets_targets_and_a_bad_year_is_a_field_error(client, coordinator):
    client.force_login(coordinator.user)
    good = {"starts_on": "2026-08-15", "ends_on": "2027-06-20", "students": "10000", "mentors": "400",
            "hours": "6000", "schools": "40"}
    assert client.post("/coordinator/impact/targets/", good).status_code == 302
    bad = client.post("/coordinator/impact/targets/", good | {"ends_on": "2026-08-01"})
    assert bad.status_code == 400 and "ends_on" in bad.context["form"].errors
    overlapping = client.post("/coordinator/impact/targets/", good | {"starts_on": "2026-09-01"})
    assert overlapping.status_code == 400 and "starts_on" in overlapping.context["form"].errors
    negative = client.post("/coordinator/impact/targets/", good | {"students": "-5"})
    assert negative.status_code == 400
    assert list(Target.objects.values_list("students", flat=True)) == [10000]


def test_equity_is_recorded_per_school_within_bounds(client, coordinator, teacher):
    client.force_login(coordinator.user)
    url = f"/coordinator/impact/schools/{teacher.school.pk}/"
    assert client.post(url, {"title_i": "on", "frl_percent": "140"}).status_code == 400
    assert client.post(url, {"title_i": "on", "frl_percent": "64"}).status_code == 302
    assert SchoolEquity.objects.get(school=teacher.school).frl_percent == 64


def test_partners_sessions_count_by_requesting_member_and_by_setting_but_not_as_schools_served(
        client, world, coordinator, mentor):
    """Two sessions a nonprofit's staff asked for (after school at its own site, on a weekend at a school) sit
    beside the teachers' three: by member, by setting, in the CSV and the API alike."""
    staff = PartnerStaffFactory(member=PartnerSiteFactory(alliance=coordinator.alliance, member__name="Code Club")
                                .member)
    completed(staff, coordinator, mentor, students=12, hours="1.5", days_ago=1, hour=15)
    completed(staff, coordinator, mentor, students=9, hours="2", days_ago=2, hour=11, setting="weekend",
              site=world["other_school"])
    client.force_login(coordinator.user)
    data = client.get("/coordinator/impact/").context["data"]
    by_member = {row["label"]: (row["students"], row["sessions"]) for row in data["member"]}
    assert by_member == {"Teachers' classes": (64, 3), "Code Club": (21, 2)}
    by_setting = {row["key"]: row["students"] for row in data["setting"]}
    assert by_setting == {"in_school": 54, "after_school": 22, "weekend": 9}
    assert data["totals"]["schools"] == 2  # the partner's own site is not a school; the school it used is one
    out = client.get("/coordinator/impact/", {"setting": "out_of_school"}).context["data"]["totals"]
    assert (out["students"], out["sessions"]) == (31, 3)
    rows = csv_rows(client.get("/coordinator/impact/member.csv"))
    assert {r["Group"]: r["Students reached"] for r in rows} == {"Teachers' classes": "64", "Code Club": "21"}
    assert client.get("/api/impact/dashboard/").json()["member"][1]["label"] == "Code Club"
