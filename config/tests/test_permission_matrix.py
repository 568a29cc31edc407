"""Every route, every role: nobody reaches what is not theirs, and a new route fails here until classified.

Outsiders are users of another alliance (coordinator, teacher, volunteer) and anonymous callers.
Object routes are called with the ids of alliance A's objects; role routes with the wrong roles.
"""
import pytest
from django.urls import URLResolver, get_resolver

from mentors.tests.factories import MentorFactory
from notifications.models import InboundMessage
from scheduling import services
from scheduling.models import Match
from scheduling.tests.factories import make_request
from schools.tests.factories import CoordinatorFactory, TeacherFactory

PUBLIC = {
    "home", "login", "logout", "password_reset", "password_reset_done", "password_reset_confirm",
    "password_reset_complete", "volunteer-signup", "teacher-signup", "teacher-join", "verify-email",
    "api-volunteer-signup", "api-teacher-signup", "api-verify-email", "api-accept-teacher-invite", "api-token",
    "rest_framework:login", "rest_framework:logout", "api-root", "schema", "api-docs",
    "calendar-feed", "twilio-inbound", "twilio-status",
}
COORDINATOR = {
    "scheduling:review-queue", "scheduling:bulk-approve", "scheduling:approve", "scheduling:reject",
    "scheduling:candidates", "matching-run-list", "api-coordinator-volunteers", "api-approve-volunteer",
    "api-background-check", "api-import-volunteers", "api-confirm-import", "api-teacher-invite",
    "api-coordinator-teachers", "api-verify-teacher", "coordinator-volunteers", "approve-volunteer",
    "background-check", "import-volunteers", "coordinator-home", "coordinator-teachers", "verify-teacher",
    "invite-teacher", "inbox", "inbox-resolve", "alliance-notifications", "matching-weights",
    "reset-matching-weights", "api-matching-weights", "scheduling:run-matching", "api-unlock",
}
TEACHER = {"teacher-requests", "teacher-request-new", "teacher-request", "teacher-request-cancel"}
MENTOR = {"my-mentor-profile", "api-my-availability", "mentor-profile", "mentor-profile-step", "my-sessions",
          "answer-invitation"}
# Any signed-in person; what they see is filtered to their own.
SIGNED_IN = {
    "request-list", "request-detail", "request-cancel", "request-reschedule", "match-list", "match-detail",
    "match-approve", "match-cancel", "match-complete", "match-confirm", "match-decline", "match-reject",
    "scheduling:complete", "scheduling:no-show", "password_change", "password_change_done", "my-calendar-feed",
    "my-calendar",
}
CLASSIFIED = PUBLIC | COORDINATOR | TEACHER | MENTOR | SIGNED_IN
ROLE_ROUTES = {"coordinator": COORDINATOR, "teacher": TEACHER, "mentor": MENTOR}


def routes():
    """(name, pattern, parameter names) of every named route outside the admin, format suffixes left out."""
    found = {}

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                walk(pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
            elif pattern.name and "format" not in pattern.pattern.regex.groupindex:
                found.setdefault(namespace + pattern.name, list(pattern.pattern.regex.groupindex))

    walk(get_resolver().url_patterns)
    return found


def test_every_route_is_classified():
    unclassified = sorted(set(routes()) - CLASSIFIED)
    assert unclassified == [], f"classify these routes in {__file__}: {unclassified}"


@pytest.fixture
def world(db):
    """Alliance A's objects, and the outsiders who must not reach them."""
    teacher = TeacherFactory()
    coordinator = CoordinatorFactory(alliance=teacher.school.alliance)
    mentor = MentorFactory(company__alliance=teacher.school.alliance)
    request = make_request(teacher)
    match = Match.objects.create(session=request.sessions.get(), mentor=mentor, score=0.5)
    services.approve_match(match_id=match.pk, actor=coordinator.user)
    inbound = InboundMessage.objects.create(message_sid="SM" + "9" * 32, from_number="+15185550000", body="hm")
    outsider_teacher = TeacherFactory()
    outsiders = {
        "anonymous": None,
        "coordinator": CoordinatorFactory(alliance=outsider_teacher.school.alliance).user,
        "teacher": outsider_teacher.user,
        "mentor": MentorFactory(company__alliance=outsider_teacher.school.alliance).user,
    }
    ids = {"request": request.pk, "match": match.pk, "mentor": mentor.pk, "teacher": teacher.pk,
           "inbound": inbound.pk}
    return ids, outsiders, match


def url_for(name, params, ids):
    from django.urls import reverse

    by_route = {
        "request": "request", "match": "match", "scheduling": "match", "api-approve-volunteer": "mentor",
        "api-background-check": "mentor", "api-verify-teacher": "teacher", "inbox-resolve": "inbound",
        "teacher-request": "request",
    }
    kind = next((v for k, v in by_route.items() if name.startswith(k)), None)
    values = {
        "pk": ids.get(kind, 1), "match_id": ids["match"], "mentor_id": ids["mentor"], "teacher_id": ids["teacher"],
        "token": "not-a-real-token", "step": "skills", "answer": "accept", "uidb64": "AA", "slug": "x",
    }
    return reverse(name, kwargs={p: values[p] for p in params})


def client_for(user):
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_no_outsider_reaches_another_alliances_objects_or_another_roles_pages(world):
    ids, outsiders, match = world
    breaches = []
    for name, params in routes().items():
        if name in PUBLIC:
            continue
        url = url_for(name, params, ids)
        names_an_object = any(p not in ("step",) for p in params)
        for role, user in outsiders.items():
            owner_role = next((r for r, names in ROLE_ROUTES.items() if name in names), None)
            if not names_an_object and role == owner_role:
                continue  # their own list or form: covered by the positive tests of each app
            if not names_an_object and name in SIGNED_IN and role != "anonymous":
                continue  # lists filtered per person: checked below
            for method in ("get", "post"):
                response = getattr(client_for(user), method)(url)
                if response.status_code < 300 or response.status_code >= 500:
                    breaches.append((name, role, method.upper(), response.status_code))
    assert breaches == []
    match.refresh_from_db()
    assert match.status == "approved"


@pytest.mark.parametrize("route", ["/api/requests/", "/api/matches/"])
def test_lists_show_outsiders_nothing_of_another_alliance(world, route):
    ids, outsiders, _ = world
    for role, user in outsiders.items():
        if user is None:
            continue
        assert client_for(user).get(route).json()["results"] == [], role


def test_public_routes_never_fail_with_a_server_error(world):
    ids, _, _ = world
    for name, params in routes().items():
        if name not in PUBLIC:
            continue
        url = url_for(name, params, ids)
        for method in ("get", "post"):
            status = getattr(client_for(None), method)(url).status_code
            assert status < 500, (name, method, status)
