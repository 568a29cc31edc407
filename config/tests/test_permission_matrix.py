"""Every route, every role: nobody reaches what is not theirs, and a new route fails here until classified.

Outsiders are users of another alliance (coordinator, teacher, volunteer) and anonymous callers.
Object routes are called with the ids of alliance A's objects; role routes with the wrong roles.
"""
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db.models import F
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from alliances.models import ClosedDay, Member, MemberStaff
from impact.models import CompanyLead, Feedback, FeedbackRequest, SchoolEquity, Target
from mentors.models import Mentor
from mentors.tests.factories import MentorFactory
from notifications.models import InboundMessage
from programs.models import Program
from programs.tests.factories import MemberFactory, MemberStaffFactory, MouFactory, ProgramFactory
from scheduling import services
from scheduling.models import Match, Session, SessionInterval
from scheduling.tests.factories import make_request
from schools.models import MentorRequest, SchoolClosedDay, Teacher
from schools.tests.factories import (
    CoordinatorFactory,
    PartnerSiteFactory,
    PartnerStaffFactory,
    TeacherFactory,
    UserFactory,
)

PUBLIC = {
    "home", "login", "logout", "password_reset", "password_reset_done", "password_reset_confirm",
    "password_reset_complete", "volunteer-signup", "teacher-signup", "teacher-join", "verify-email",
    "api-volunteer-signup", "api-teacher-signup", "api-verify-email", "api-accept-teacher-invite", "api-token",
    "rest_framework:login", "rest_framework:logout", "api-root", "schema", "api-docs",
    "calendar-feed", "twilio-inbound", "twilio-status", "alliance-look",
    # An invitation's answer link: the signed token is the authority (scheduling.answers).
    "scheduling:answer",
    # The signed one-tap answer: the link itself is the credential (single use, expiring).
    "impact:feedback",
    # The coalition's open door: the directory, its feed, sitemap and calendar files, joining, the language switch.
    "directory", "program-feed", "program", "program-calendar", "alliance-page",
    "django.contrib.sitemaps.views.sitemap", "set_language", "join-alliance", "join-thanks",
}
COORDINATOR = {
    "scheduling:review-queue", "scheduling:bulk-approve", "scheduling:approve", "scheduling:reject",
    "scheduling:candidates", "matching-run-list", "api-coordinator-volunteers", "api-approve-volunteer",
    "api-background-check", "api-import-volunteers", "api-confirm-import", "api-teacher-invite",
    "api-coordinator-teachers", "api-verify-teacher", "coordinator-volunteers", "approve-volunteer",
    "background-check", "import-volunteers", "coordinator-home", "coordinator-teachers", "verify-teacher",
    "invite-teacher", "inbox", "inbox-resolve", "alliance-notifications", "matching-weights",
    "reset-matching-weights", "api-matching-weights", "scheduling:run-matching", "suspend-volunteer",
    "api-suspend-volunteer", "api-unlock", "match-messages", "notification-resend",
    "impact:dashboard", "impact:dashboard-csv", "impact:targets", "impact:schools", "impact:school-equity",
    "impact:awaiting", "impact:record-on-behalf", "impact:company-leads", "api-impact-dashboard",
    "volunteer-profile", "closed-days", "reopen-alliance-day",
    "reopen-school-day", "text-handled", "scheduling:unfilled-help", "scheduling:unfilled",
    "coordinator-members", "coordinator-member", "program-moderation", "program-moderate", "invite-member-staff",
    "verify-member-staff",
}
# The people who ask for mentors: teachers and partner staff (a nonprofit's programme staff) share these pages.
TEACHER = {"teacher-requests", "teacher-request-new", "teacher-request", "teacher-request-cancel"}
MENTOR = {"my-mentor-profile", "api-my-availability", "mentor-profile", "mentor-profile-step", "my-sessions",
          "answer-invitation", "impact:my-impact", "impact:my-impact-csv", "impact:my-impact-pdf", "api-my-impact"}
COMPANY_LEAD = {"impact:company", "impact:company-csv", "impact:company-pdf", "api-impact-company"}
# Any signed-in person; what they see is filtered to their own.
SIGNED_IN = {
    "request-list", "request-detail", "request-cancel", "request-reschedule", "match-list", "match-detail",
    "match-approve", "match-cancel", "match-complete", "match-confirm", "match-decline", "match-reject",
    "match-no-show", "match-report-hours",
    "scheduling:complete", "scheduling:no-show", "password_change", "password_change_done", "my-calendar-feed",
    "my-calendar",
}
# A member's people (partner staff): their own member's programs.
MEMBER_STAFF = {"my-programs", "program-new", "program-edit", "program-submit",
                # a nonprofit's own sites, kept by its verified staff
                "partner-sites", "partner-site-new", "partner-site-edit",
                # inviting a colleague (who waits for a coordinator)
                "member-colleagues"}
CLASSIFIED = PUBLIC | COORDINATOR | TEACHER | MENTOR | COMPANY_LEAD | SIGNED_IN | MEMBER_STAFF
ROLE_ROUTES = {"coordinator": COORDINATOR, "teacher": TEACHER, "mentor": MENTOR, "company_lead": COMPANY_LEAD,
               "member_staff": MEMBER_STAFF | TEACHER}


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


# Routes that act on a match probe one in the state where the action is still possible, so a missing
# check would show as a success, not hide behind a 409.
PROPOSED_MATCH_ROUTES = {"scheduling:approve", "scheduling:reject", "scheduling:candidates", "match-approve",
                         "match-reject"}
HELD_MATCH_ROUTES = {"scheduling:complete", "scheduling:no-show", "match-complete"}
# Parameters that pick a table of the caller's own figures, not an object of someone else's.
NOT_OBJECTS = ("step", "table")


@pytest.fixture
def world(db):
    """Alliance A's objects, each in a state where a missing check would show, and the outsiders."""
    teacher = TeacherFactory()
    alliance = teacher.school.alliance
    coordinator = CoordinatorFactory(alliance=alliance)
    matches = {
        "proposed": _match(teacher, hour=9),
        "invited": services.approve_match(match_id=_match(teacher, hour=11).pk, actor=coordinator.user),
        "held": _held_match(teacher, coordinator),
    }
    unvetted = MentorFactory(company__alliance=alliance, status=Mentor.Status.PENDING,
                             background_check_status=Mentor.BackgroundCheck.NONE, background_check_expires=None)
    unverified = TeacherFactory(school=teacher.school, verified_at=None)
    inbound = InboundMessage.objects.create(message_sid="SM" + "9" * 32, from_number="+15185550000", body="hm",
                                            alliance=alliance, needs_review=True)
    applicant = MemberFactory(alliance=alliance, status=Member.Status.APPLIED)
    program = ProgramFactory(member=MemberFactory(alliance=alliance), status=Program.Status.SUBMITTED)
    published = ProgramFactory(member=program.member)
    MouFactory(alliance=alliance)  # so the join page is open: public routes are probed on real pages
    outsider_teacher = TeacherFactory()
    outsider_mentor = MentorFactory(company__alliance=outsider_teacher.school.alliance)
    outsider_staff = MemberStaffFactory(member__alliance=outsider_teacher.school.alliance)
    outsiders = {
        "anonymous": None,
        "coordinator": CoordinatorFactory(alliance=outsider_teacher.school.alliance).user,
        "teacher": outsider_teacher.user,
        "mentor": outsider_mentor.user,
        "company_lead": CompanyLead.objects.create(user=UserFactory(), company=outsider_mentor.company).user,
        "member_staff": outsider_staff.user,
    }
    ask = FeedbackRequest.objects.create(match=matches["held"], interval=matches["held"].session.intervals.get(),
                                         side="teacher")
    partner = PartnerStaffFactory(member=PartnerSiteFactory(alliance=alliance).member)
    ids = {"request": make_request(teacher, hour=13).pk, "partner-request": make_request(partner, hour=14).pk,
           "matches": {k: m.pk for k, m in matches.items()},
           "mentor": unvetted.pk, "teacher": unverified.pk, "inbound": inbound.pk, "school": teacher.school_id,
           "ask": ask.pk,
           "session": make_request(teacher, hour=16).sessions.get().pk,
           "alliance-day": ClosedDay.objects.create(alliance=alliance, date=date(2031, 1, 1), name="New Year").pk,
           "school-day": SchoolClosedDay.objects.create(school=teacher.school, date=date(2031, 3, 1), name="Tests").pk,
           "program": program.pk, "member": applicant.pk,
           "site": partner.member.places.get().pk, "partner-member": partner.member_id,
           "staff": PartnerStaffFactory(member=partner.member, verified_at=None).pk, "published": published.pk,
           "slug": alliance.slug}
    return ids, outsiders, snapshot


def _match(teacher, *, hour):
    request = make_request(teacher, hour=hour)
    mentor = MentorFactory(company__alliance=teacher.school.alliance)
    return Match.objects.create(session=request.sessions.get(), mentor=mentor, score=0.5)


def _held_match(teacher, coordinator):
    """A confirmed match whose session ended an hour ago: completion and no-show are open to its people."""
    match = services.approve_match(match_id=_match(teacher, hour=15).pk, actor=coordinator.user)
    services.confirm_match(match_id=match.pk)
    ended = timezone.now() - timedelta(hours=1)
    shift = ended - match.session.ends_at
    SessionInterval.objects.filter(session=match.session).update(starts_at=F("starts_at") + shift,
                                                                 ends_at=F("ends_at") + shift)
    Session.objects.filter(pk=match.session_id).update(starts_at=F("starts_at") + shift, ends_at=ended)
    return match


def snapshot():
    """What an outsider's request could have changed."""
    return {
        "matches": sorted(Match.objects.values_list("pk", "status")),
        "mentors": sorted(Mentor.objects.values_list("pk", "status", "background_check_status")),
        "teachers": sorted(Teacher.objects.values_list("pk", "verified_at")),
        "requests": sorted(MentorRequest.objects.values_list("pk", "status")),
        "inbox": sorted(InboundMessage.objects.values_list("pk", "reviewed_at")),
        "feedback": sorted(Feedback.objects.values_list("pk", "happened")),
        "targets": sorted(Target.objects.values_list("pk", "students")),
        "equity": sorted(SchoolEquity.objects.values_list("pk", "frl_percent")),
        "company_leads": sorted(CompanyLead.objects.values_list("pk", "company_id")),
        "closed days": (sorted(ClosedDay.objects.values_list("pk", flat=True)),
                        sorted(SchoolClosedDay.objects.values_list("pk", flat=True))),
        "members": sorted(Member.objects.values_list("pk", "status")),
        "programs": sorted(Program.objects.values_list("pk", "status", "title")),
        "member staff": sorted(MemberStaff.objects.values_list("pk", "verified_at")),
    }


def url_for(name, params, ids):
    from django.urls import reverse

    by_route = {
        "request": "request", "api-approve-volunteer": "mentor", "api-background-check": "mentor",
        "api-suspend-volunteer": "mentor",
        "api-verify-teacher": "teacher", "inbox-resolve": "inbound", "teacher-request": "request",
        "program-edit": "program", "program-submit": "program", "program-moderate": "program",
        "coordinator-member": "member", "invite-member-staff": "member", "partner-site": "site",
        "verify-member-staff": "partner-member",
    }
    if name in ("program", "program-calendar"):
        return reverse(name, kwargs={"pk": ids["published"]})
    kind = next((v for k, v in by_route.items() if name.startswith(k)), None)
    match = ids["matches"]["proposed" if name in PROPOSED_MATCH_ROUTES else
                           "held" if name in HELD_MATCH_ROUTES else "invited"]
    values = {
        "pk": match if name.startswith("match") else ids.get(kind, 1), "match_id": match,
        "mentor_id": ids["mentor"], "teacher_id": ids["teacher"], "school_id": ids["school"], "request_id": ids["ask"],
        "table": "month", "message_id": ids["inbound"],
        "day_id": ids["school-day" if name == "reopen-school-day" else "alliance-day"],
        "session_id": ids["session"],
        "staff_id": ids["staff"],
        "token": "not-a-real-token", "step": "skills", "answer": "accept", "uidb64": "AA", "slug": ids["slug"],
        "action": "publish",
    }
    return reverse(name, kwargs={p: values[p] for p in params})


def client_for(user):
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def refused(response):
    """Refused means denied or not found, or sent to log in: any other redirect may follow a success."""
    if response.status_code in (301, 302, 303, 307, 308):
        return response["Location"].startswith(settings.LOGIN_URL)
    return response.status_code in (401, 403, 404, 405)


def test_no_outsider_reaches_another_alliances_objects_or_another_roles_pages(world):
    ids, outsiders, snapshot = world
    before = snapshot()
    breaches = []
    for name, params in routes().items():
        if name in PUBLIC:
            continue
        url = url_for(name, params, ids)
        names_an_object = any(p not in NOT_OBJECTS for p in params)
        for role, user in outsiders.items():
            owners = {r for r, names in ROLE_ROUTES.items() if name in names}
            if not names_an_object and role in owners:
                continue  # their own list or form: covered by the positive tests of each app
            if not names_an_object and name in SIGNED_IN and role != "anonymous":
                continue  # lists filtered per person: checked below
            for method in ("get", "post"):
                response = getattr(client_for(user), method)(url)
                if not refused(response):
                    breaches.append((name, role, method.upper(), response.status_code))
    assert breaches == []
    assert snapshot() == before


def test_nobody_but_its_partner_staff_reaches_a_partners_request(world):
    """A partner's request, probed on every route that names a request, by every outsider and by the
    teacher of its own alliance (teachers never see partners' requests)."""
    ids, outsiders, snapshot = world
    request = MentorRequest.objects.get(pk=ids["partner-request"])
    people = {**outsiders, "teacher of the alliance": TeacherFactory(school__alliance=request.school.alliance).user}
    before = snapshot()
    breaches, probed = [], set()
    for name, params in routes().items():
        if "request" not in name or name in PUBLIC or name.startswith("impact:") or "pk" not in params:
            continue
        probed.add(name)
        url = url_for(name, params, {**ids, "request": ids["partner-request"]})
        for role, user in people.items():
            for method in ("get", "post"):
                response = getattr(client_for(user), method)(url)
                if not refused(response):
                    breaches.append((name, role, method.upper(), response.status_code))
    assert probed >= {"teacher-request", "teacher-request-cancel", "request-detail", "request-cancel"}
    assert breaches == []
    assert snapshot() == before


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


# The coalition's open door answers anyone, signed in or not, on the alliance's real objects (what each shows
# to whom is probed in test_permission_scoping.py).
OPEN_DOOR = ("directory", "program-feed", "program", "program-calendar", "alliance-page",
             "django.contrib.sitemaps.views.sitemap", "join-alliance", "join-thanks")


def test_the_open_door_answers_everyone_and_an_unpublished_program_is_no_ones(world):
    ids, outsiders, _ = world
    found = routes()
    for role, user in outsiders.items():
        for name in OPEN_DOOR:
            response = client_for(user).get(url_for(name, found[name], ids))
            assert response.status_code == 200, (name, role, response.status_code)
        for route in (f"/programs/{ids['program']}/", f"/programs/{ids['program']}/calendar.ics"):
            assert client_for(user).get(route).status_code == 404, (route, role)
