"""Pages and API lists that stay bounded and fast: same JSON as the declared fields, queries constant as
rows grow, the review queue a page at a time."""
import json
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory

from core.models import Skill
from core.pagination import RowPagination
from scheduling import seeding
from scheduling.api import MatchViewSet
from scheduling.management.commands import bench_pages
from scheduling.models import Match
from scheduling.request_api import MentorRequestViewSet
from scheduling.request_serializers import REQUEST_COLUMNS, MentorRequestSerializer, request_rows
from scheduling.serializers import MATCH_COLUMNS, MatchSerializer, match_rows
from scheduling.tests.factories import make_request, next_weekday
from scheduling.views import REVIEW_PAGE_SIZE
from schools.models import MentorRequest
from schools.tests.factories import CoordinatorFactory, TeacherFactory


def small_alliance(scale=1, tag="t"):
    return seeding.seed_pages(volunteers=40 * scale, requests=12 * scale, proposals=20 * scale,
                              mentor_sessions=10 * scale, tag=tag)


def declared_fields_json(serializer, instance):
    """What DRF's field-by-field ModelSerializer gives for `instance` (the reference)."""
    return JSONRenderer().render(serializers.ModelSerializer.to_representation(serializer, instance))


def context_for(user):
    request = APIRequestFactory().get("/")
    request.user = user
    return {"request": request}


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["coordinator", "teacher", "mentor"])
def test_a_match_row_is_exactly_what_the_declared_fields_give(viewer):
    people = small_alliance()
    Match.objects.filter(mentor__user=people.mentor, status="completed").update(hours=Decimal("1.5"))
    serializer = MatchSerializer(context=context_for(getattr(people, viewer)))
    matches = Match.objects.select_related("mentor__user", "mentor__company", "session__request__school")
    assert matches.filter(respond_by__isnull=False).exists() and matches.filter(hours__isnull=False).exists()
    rows = {row["pk"]: row for row in match_rows(list(Match.objects.values(*MATCH_COLUMNS)))}
    assert len(rows) == matches.count()
    for match in matches:
        assert JSONRenderer().render(serializer.to_representation(rows[match.pk])) == declared_fields_json(
            serializer, match)


@pytest.mark.django_db
def test_a_request_row_is_exactly_what_the_declared_fields_give():
    people = small_alliance()
    MentorRequest.objects.filter(pk=MentorRequest.objects.first().pk).update(
        alternative_times=[["2030-01-01T10:00:00Z", "2030-01-01T11:00:00Z"]], language="es")
    several = MentorRequest.objects.filter(skills__isnull=False).first()
    several.skills.add(*Skill.objects.exclude(requests=several)[:2])
    serializer = MentorRequestSerializer(context=context_for(people.teacher))
    rows = {row["pk"]: row for row in request_rows(list(MentorRequest.objects.values(*REQUEST_COLUMNS)))}
    assert max(len(row["skills"]) for row in rows.values()) >= 3
    for request in MentorRequest.objects.prefetch_related("skills", "sessions__intervals"):
        assert request.skills.exists()
        assert JSONRenderer().render(serializer.to_representation(rows[request.pk])) == declared_fields_json(
            serializer, request)


LISTS = {"/api/matches/": (MatchSerializer, Match.objects.all()),
         "/api/requests/": (MentorRequestSerializer, MentorRequest.objects.prefetch_related("skills",
                                                                                          "sessions__intervals"))}


@pytest.mark.django_db
@pytest.mark.parametrize(("viewer", "url"), [("coordinator", "/api/matches/"), ("teacher", "/api/matches/"),
                                             ("mentor", "/api/matches/"), ("coordinator", "/api/requests/"),
                                             ("teacher", "/api/requests/")])
def test_the_list_and_detail_pages_answer_what_the_declared_fields_give(client, viewer, url):
    people = small_alliance()
    client.force_login(getattr(people, viewer))
    listed = client.get(url).json()["results"]
    serializer_class, instances = LISTS[url]
    serializer = serializer_class(context=context_for(getattr(people, viewer)))
    assert listed
    for row in listed:
        declared = json.loads(declared_fields_json(serializer, instances.get(pk=row["id"])))
        assert row == declared
        assert client.get(f"{url}{row['id']}/").json() == declared


@pytest.mark.django_db
def test_queries_per_page_stay_the_same_when_the_alliance_grows_fourfold():
    small = bench_pages.query_counts(small_alliance(1, tag="one"))
    large = bench_pages.query_counts(small_alliance(4, tag="four"))
    assert set(small) == set(bench_pages.PAGES)
    assert large == small


@pytest.mark.django_db
def test_the_review_queue_shows_one_page_and_links_to_the_next(client):
    people = seeding.seed_pages(volunteers=60, requests=30, proposals=REVIEW_PAGE_SIZE + 5, mentor_sessions=2)
    client.force_login(people.coordinator)
    first = client.get(reverse("scheduling:review-queue")).content.decode()
    second = client.get(reverse("scheduling:review-queue") + "?status=proposed&page=2").content.decode()
    assert first.count('class="match"') == REVIEW_PAGE_SIZE
    assert second.count('class="match"') == 5
    assert "page=2" in first and "Page 1 of 2" in first
    shown = {int(pk) for page in (first, second) for pk in _match_ids(page)}
    assert shown == set(Match.objects.filter(status="proposed").values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_review_page_out_of_range_or_not_a_number_shows_the_nearest_page(client):
    """The page's total comes with its rows (a window count); numbers past the end still give the last page."""
    people = seeding.seed_pages(volunteers=60, requests=30, proposals=REVIEW_PAGE_SIZE + 5, mentor_sessions=2)
    client.force_login(people.coordinator)
    url = reverse("scheduling:review-queue") + "?status=proposed&page="
    last = client.get(url + "99").content.decode()
    assert last.count('class="match"') == 5 and "Page 2 of 2 (55 matches)" in last
    first = client.get(url + "x").content.decode()
    assert first.count('class="match"') == REVIEW_PAGE_SIZE and "Page 1 of 2 (55 matches)" in first


@pytest.mark.django_db
def test_the_unfilled_requests_page_lists_every_short_session_a_page_at_a_time(client):
    teacher = TeacherFactory()
    coordinator = CoordinatorFactory(alliance=teacher.school.alliance)
    for hour in range(8, 16):
        for day in range(3):
            make_request(teacher, day=next_weekday() + timedelta(weeks=day + 1), hour=hour, mentors_needed=2)
    client.force_login(coordinator.user)
    queue = client.get(reverse("scheduling:review-queue")).content.decode()
    assert "24 open requests still short of mentors" in queue
    first = client.get(reverse("scheduling:unfilled")).content.decode()
    assert first.count('class="card"') == 20 and "Page 1 of 2" in first and "24 sessions in all" in first
    second = client.get(reverse("scheduling:unfilled") + "?page=2").content.decode()
    assert second.count('class="card"') == 4
    listed = {part.split('/', 1)[0] for page in (first, second)
              for part in page.split("/coordinator/sessions/")[1:]}
    assert len(listed) == 24  # every short session once, across the pages
    client.force_login(CoordinatorFactory().user)  # another alliance's coordinator sees none of them
    elsewhere = client.get(reverse("scheduling:unfilled")).content.decode()
    assert "Every open request has a proposal or a booking." in elsewhere and "/coordinator/sessions/" not in elsewhere


def _match_ids(page):
    return [part.split('"', 1)[0] for part in page.split('data-match="')[1:]]


@pytest.mark.django_db
def test_the_review_queue_shows_the_first_session_in_the_schools_timezone(client):
    people = seeding.seed_pages(volunteers=20, requests=3, proposals=3, mentor_sessions=2)
    match = Match.objects.filter(status="proposed").select_related("session__request__school").first()
    school = match.session.request.school
    school.timezone = "America/Los_Angeles"
    school.save()
    client.force_login(people.coordinator)
    page = client.get(reverse("scheduling:review-queue")).content.decode()
    local = timezone.localtime(match.session.starts_at, timezone=ZoneInfo(school.timezone))
    assert f"{local:%a %b} {local.day}, " in page and ("PST" in page or "PDT" in page)


@pytest.mark.django_db
def test_my_sessions_shows_a_bounded_page_of_upcoming_sessions(client):
    people = seeding.seed_pages(volunteers=20, requests=60, proposals=3, mentor_sessions=80)
    client.force_login(people.mentor)
    page = client.get(reverse("my-sessions")).content.decode()
    upcoming = Match.objects.filter(mentor__user=people.mentor, status="confirmed",
                                    session__ends_at__gt=timezone.now() + timedelta(seconds=1)).count()
    assert upcoming > 20
    assert page.count('class="card upcoming"') == 20
    assert "upcoming=2" in page
    rest = client.get(reverse("my-sessions") + "?upcoming=2").content.decode()
    assert rest.count('class="card upcoming"') == min(upcoming - 20, 20)


@pytest.mark.django_db
def test_an_empty_review_queue_says_so(client):
    people = seeding.seed_pages(volunteers=5, requests=2, proposals=0, mentor_sessions=0)
    client.force_login(people.coordinator)
    assert "Nothing waits for review" in client.get(reverse("scheduling:review-queue")).content.decode()


@pytest.mark.django_db
def test_my_sessions_shows_times_in_the_volunteers_own_timezone(client):
    people = seeding.seed_pages(volunteers=20, requests=10, proposals=3, mentor_sessions=5)
    people.mentor.mentor.timezone = "America/Los_Angeles"
    people.mentor.mentor.save()
    match = Match.objects.filter(mentor__user=people.mentor, status="confirmed").first()
    client.force_login(people.mentor)
    page = client.get(reverse("my-sessions")).content.decode()
    local = match.session.starts_at.astimezone(ZoneInfo("America/Los_Angeles"))
    assert f"{local:%a %b} {local.day}, {local.hour % 12 or 12}:{local:%M %p}–" in page
    assert "PST" in page or "PDT" in page
    assert "EST" not in page and "EDT" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/matches/", "/api/requests/"])
def test_lists_answer_every_page_as_page_number_pagination_did_with_one_query_less(client, url, monkeypatch):
    monkeypatch.setattr(PageNumberPagination, "page_size", 7)
    people = small_alliance()
    client.force_login(people.coordinator)
    queries = ["", "?page=2", "?page=3", "?page=last", "?page=99", "?page=0", "?page=x", "?status=proposed&page=2"]
    if url == "/api/requests/":
        queries.pop()
    pages = {}
    for view in (MatchViewSet, MentorRequestViewSet):
        monkeypatch.setattr(view, "pagination_class", PageNumberPagination)
    for query in queries:
        with CaptureQueriesContext(connection) as counted:
            response = client.get(url + query)
        pages[query] = (response.status_code, response.json(), len(counted))
    for view in (MatchViewSet, MentorRequestViewSet):
        view.pagination_class = RowPagination
    assert pages["?page=2"][1]["count"] > 7 and pages["?page=99"][0] == 404
    for query in queries:
        with CaptureQueriesContext(connection) as counted:
            response = client.get(url + query)
        assert (response.status_code, response.json()) == pages[query][:2], query
        if response.status_code == 200 and "last" not in query:
            assert len(counted) == pages[query][2] - 1, query
