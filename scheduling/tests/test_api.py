"""The REST API's promises: 400 naming the field, 409 for a stale transition, 404 for what is not yours."""
import pytest
import redis

from conftest import run_on_worker, wait_for
from mentors.tests.factories import MentorFactory
from notifications.models import InboundMessage
from scheduling import services
from scheduling.models import Match
from scheduling.tasks import plan_matching
from scheduling.tests.factories import class_time, make_request, next_weekday
from schools.models import MentorRequest
from schools.tests.factories import CoordinatorFactory, TeacherFactory

pytestmark = pytest.mark.django_db

CLASS_START, CLASS_END = class_time(next_weekday(14))  # relative to the clock: the suite may run any year
GOOD_REQUEST = {
    "topic": "Kitchen chemistry", "grade_band": "K-2", "format": "in_person", "student_count": 22,
    "mentors_needed": 1, "skills": ["chemistry"], "intervals": [[CLASS_START.isoformat(), CLASS_END.isoformat()]],
}


@pytest.fixture
def match(teacher):
    request = make_request(teacher)
    mentor = MentorFactory(company__alliance=teacher.school.alliance)
    return Match.objects.create(session=request.sessions.get(), mentor=mentor, score=0.7, reasons={"skills": 0.7})


@pytest.mark.parametrize("field, value", [
    ("grade_band", "13-14"), ("format", "hybrid"), ("student_count", 0), ("mentors_needed", 50),
    ("skills", ["juggling"]), ("intervals", [[CLASS_END.isoformat(), CLASS_START.isoformat()]]),
    ("intervals", [["not a time", "2027-03-02T10:00:00Z"]]), ("intervals", []),
])
def test_a_malformed_request_gets_400_naming_the_field_and_writes_nothing(api, teacher, field, value):
    response = api(teacher.user).post("/api/requests/", {**GOOD_REQUEST, field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not MentorRequest.objects.exists()


def test_a_virtual_request_needs_a_meeting_link(api, teacher):
    response = api(teacher.user).post("/api/requests/", {**GOOD_REQUEST, "format": "virtual"}, format="json")
    assert response.status_code == 400 and "meeting_link" in response.json()


def test_an_unverified_teacher_cannot_request_mentors(api):
    teacher = TeacherFactory(verified_at=None)
    response = api(teacher.user).post("/api/requests/", GOOD_REQUEST, format="json")
    assert response.status_code == 403
    assert not MentorRequest.objects.exists()


def test_a_verified_teacher_creates_a_request_with_its_session(api, teacher):
    response = api(teacher.user).post("/api/requests/", GOOD_REQUEST, format="json")
    assert response.status_code == 201
    request = MentorRequest.objects.get()
    assert request.sessions.get().intervals.count() == 1
    assert response.json()["status"] == "submitted"


def test_approving_twice_gets_409(api, coordinator, match):
    assert api(coordinator.user).post(f"/api/matches/{match.pk}/approve/").status_code == 200
    again = api(coordinator.user).post(f"/api/matches/{match.pk}/approve/")
    assert again.status_code == 409
    assert again.json()["code"] == "transition_not_allowed"


def test_an_unknown_match_is_404(api, coordinator):
    assert api(coordinator.user).post("/api/matches/999999/approve/").status_code == 404


def test_a_coordinator_of_another_alliance_sees_nothing_and_gets_404(api, match):
    outsider = CoordinatorFactory()
    assert api(outsider.user).get("/api/matches/").json()["results"] == []
    assert api(outsider.user).post(f"/api/matches/{match.pk}/approve/").status_code == 404


def test_a_teacher_cannot_approve(api, teacher, match):
    assert api(teacher.user).post(f"/api/matches/{match.pk}/approve/").status_code in (403, 404)
    assert Match.objects.get(pk=match.pk).status == "proposed"


def test_rejecting_needs_a_reason(api, coordinator, match):
    response = api(coordinator.user).post(f"/api/matches/{match.pk}/reject/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()


def test_the_teacher_sees_the_mentors_contact_details_only_once_confirmed(api, teacher, coordinator, match):
    services.approve_match(match_id=match.pk, actor=coordinator.user)
    before = api(teacher.user).get(f"/api/matches/{match.pk}/").json()
    assert "phone" not in before["mentor"] and "email" not in before["mentor"]
    services.confirm_match(match_id=match.pk)
    after = api(teacher.user).get(f"/api/matches/{match.pk}/").json()
    assert after["mentor"]["phone"] == match.mentor.phone


def test_a_mentor_sees_only_their_own_matches(api, coordinator, match):
    services.approve_match(match_id=match.pk, actor=coordinator.user)
    other = MentorFactory()
    assert api(other.user).get("/api/matches/").json()["results"] == []
    assert api(match.mentor.user).get("/api/matches/").json()["results"][0]["id"] == match.pk


def test_a_mentor_accepts_on_the_web(api, coordinator, match):
    services.approve_match(match_id=match.pk, actor=coordinator.user)
    response = api(match.mentor.user).post(f"/api/matches/{match.pk}/confirm/")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"


def test_anonymous_callers_are_refused(api):
    assert api().get("/api/matches/").status_code == 401


@pytest.mark.parametrize("signature", ["wrong", "missing"])
def test_a_webhook_with_a_bad_signature_gets_403_and_writes_nothing(client, settings, signature):
    from twilio.request_validator import RequestValidator

    params = {"MessageSid": "SM" + "1" * 32, "From": "+15185550000", "To": "+15005550006", "Body": "YES"}
    headers = {}
    if signature == "wrong":
        headers["HTTP_X_TWILIO_SIGNATURE"] = RequestValidator("not-the-token").compute_signature(
            f"{settings.PUBLIC_BASE_URL}/webhooks/twilio/inbound/", params
        )
    response = client.post("/webhooks/twilio/inbound/", params, **headers)
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


def test_the_openapi_schema_is_served(api, coordinator):
    response = api(coordinator.user).get("/api/schema/")
    assert response.status_code == 200 and b"/api/matches/" in response.content


def test_a_coordinator_queues_a_matching_run_as_one_alliance_task(api, coordinator, monkeypatch):
    queued = []
    monkeypatch.setattr("scheduling.tasks.match_alliance.delay", lambda *args, **kwargs: queued.append((args, kwargs)))
    response = api(coordinator.user).post("/api/matching-runs/", {
        "window_start": "2027-03-01T00:00:00Z", "window_end": "2027-03-08T00:00:00Z"}, format="json")
    assert response.status_code == 202
    assert queued == [((coordinator.alliance_id, [["2027-03-01T00:00:00+00:00", "2027-03-08T00:00:00+00:00"]]), {})]


def test_a_matching_run_with_the_broker_down_is_a_clear_503(api, coordinator, monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("scheduling.tasks.match_alliance.delay", broker_down)
    response = api(coordinator.user).post("/api/matching-runs/", {
        "window_start": "2027-03-01T00:00:00Z", "window_end": "2027-03-08T00:00:00Z"}, format="json")
    assert response.status_code == 503 and response.json()["code"] == "unavailable"


def test_the_beat_schedule_runs_plan_matching(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "scheduling.plan_matching" in tasks


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_matching_work_lost_with_redis_is_caught_up_by_plan_matching(teacher, redis_server, celery_worker_process):
    mentor = MentorFactory(company__alliance=teacher.school.alliance)
    request = make_request(teacher)  # its matching run is queued when the request commits...
    assert redis.Redis.from_url(redis_server.url()).llen("celery") >= 1
    redis_server.restart_empty()  # ...and lost with Redis
    worker = celery_worker_process()
    assert not Match.objects.exists()

    run_on_worker(plan_matching, worker)  # what beat queues every hour

    wait_for(lambda: Match.objects.filter(session__request=request, mentor=mentor, status="proposed").exists(),
             message=f"plan_matching to propose the mentor\n{worker.log[-3000:]}")
