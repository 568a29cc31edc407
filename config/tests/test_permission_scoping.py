"""Inside one alliance: a teacher sees and acts only on their own requests and matches; a member edits only
its own programs, only the coordinator reviews members and moderates, and the public sees only what is
published (the coalition's probes, at the end).

The permission matrix (test_permission_matrix.py) proves nobody crosses alliances or roles; this one
probes every object route with the people who share a school or an alliance with its owner. Each
object is in a state where the action would succeed if the check were missing (a confirmed match whose
contact details would show, a request that could still be cancelled, a held session that could still be
completed, a proposal that could still be approved), and each probe says by its effect whether it went
through: a refusal must leave the object unchanged and answer 403 or 404 (or send a page to login).
"""
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from alliances.models import Member
from impact.models import CompanyLead, Feedback, FeedbackRequest
from impact.tests.helpers import completed
from mentors.tests.factories import MentorFactory
from programs.models import Program
from programs.tests.factories import MemberFactory, MemberStaffFactory, ProgramFactory
from scheduling.models import Match
from scheduling.tests.factories import book_match, held, make_request, next_weekday
from schools.models import MentorRequest, School
from schools.tests.factories import (
    CoordinatorFactory,
    PartnerSiteFactory,
    PartnerStaffFactory,
    SchoolFactory,
    TeacherFactory,
    UserFactory,
)

OWNER, COLLEAGUE, OTHER_SCHOOL = "requesting teacher", "colleague at the school", "teacher at another school"
COORDINATOR, OUTSIDER = "coordinator of the alliance", "coordinator of another alliance"
MENTOR, OTHER_MENTOR = "the match's mentor", "another mentor of the alliance"
LEAD, OTHER_LEAD = "lead of the mentor's company", "lead of another company of the alliance"
PARTNER, PARTNER_COLLEAGUE = "requesting partner staff", "another of the partner's staff"
ACTORS = (OWNER, COLLEAGUE, OTHER_SCHOOL, COORDINATOR, OUTSIDER, MENTOR, OTHER_MENTOR, LEAD, OTHER_LEAD, PARTNER,
          PARTNER_COLLEAGUE)


@dataclass(frozen=True)
class Probe:
    name: str
    method: str
    url: str  # formatted with the world's ids
    allowed: frozenset
    went_through: Callable  # (world, response) -> bool
    body: dict | None = None
    page: bool = False
    # People the route serves something else (the mentor's hours report on the completion page): they
    # are not refused, but the probed effect must still not happen.
    served_otherwise: frozenset = frozenset()


def status_of(model, key):
    return lambda w, r: model.objects.get(pk=w[key]).status


def reads(w, r):
    return r.status_code == 200


def request_is(status, key="request"):
    return lambda w, r: MentorRequest.objects.get(pk=w[key]).status == status


def match_is(status, key):
    return lambda w, r: Match.objects.get(pk=w[key]).status == status


def _set(*actors):
    return frozenset(actors)


def shows_held(w, r):
    """An impact read that shows the alliance's completed session (an empty answer is someone else's own)."""
    if r.status_code != 200:
        return False
    if r.get("Content-Type", "").startswith("text/csv"):
        return len(b"".join(r.streaming_content).splitlines()) > 1
    data = r.json() if r.get("Content-Type", "").startswith("application/json") else r.context["data"]
    return data["totals"]["sessions"] >= 1


def answered(w, r):
    return Feedback.objects.filter(match_id=w["asked"]).exists()


PROBES = [
    Probe("read a request", "get", "/api/requests/{request}/", _set(OWNER, COORDINATOR), reads),
    Probe("read a confirmed match (mentor's contact details)", "get", "/api/matches/{confirmed}/",
          _set(OWNER, COORDINATOR, MENTOR), reads),
    Probe("edit a request", "patch", "/api/requests/{request}/", _set(OWNER),
          lambda w, r: MentorRequest.objects.get(pk=w["request"]).topic == "Changed", body={"topic": "Changed"}),
    Probe("cancel a request", "post", "/api/requests/{request}/cancel/", _set(OWNER, COORDINATOR),
          request_is("cancelled"), body={"reason": "probe"}),
    Probe("cancel a confirmed match", "post", "/api/matches/{confirmed}/cancel/", _set(OWNER, COORDINATOR, MENTOR),
          match_is("cancelled", "confirmed"), body={"reason": "probe"}),
    Probe("complete a held session", "post", "/api/matches/{held}/complete/", _set(OWNER, COORDINATOR),
          match_is("completed", "held"), body={"hours": "1", "students_reached": 20}),
    Probe("mark a no-show", "post", "/api/matches/{held}/no-show/", _set(OWNER, COORDINATOR),
          match_is("no_show", "held"), body={}),
    Probe("report hours", "post", "/api/matches/{held}/report-hours/", _set(MENTOR),
          lambda w, r: Match.objects.get(pk=w["held"]).mentor_hours is not None, body={"hours": "1"}),
    Probe("approve a proposal", "post", "/api/matches/{proposed}/approve/", _set(COORDINATOR),
          match_is("approved", "proposed"), body={}),
    Probe("confirm an invitation", "post", "/api/matches/{invited}/confirm/", _set(MENTOR),
          match_is("confirmed", "invited"), body={}),
    Probe("open the request page", "get", "/teach/requests/{request}/", _set(OWNER), reads, page=True),
    Probe("cancel on the request page", "post", "/teach/requests/{request}/cancel/", _set(OWNER),
          request_is("cancelled"), body={"reason": "probe"}, page=True),
    Probe("open the completion page", "get", "/matches/{held}/complete/", _set(OWNER, COORDINATOR, MENTOR), reads,
          page=True),
    Probe("complete on the page", "post", "/matches/{held}/complete/", _set(OWNER, COORDINATOR),
          match_is("completed", "held"), body={"hours": "1", "students_reached": "20"}, page=True,
          served_otherwise=_set(MENTOR)),
    Probe("report hours on the page", "post", "/matches/{held}/complete/", _set(MENTOR),
          lambda w, r: Match.objects.get(pk=w["held"]).mentor_hours is not None, body={"hours": "1"}, page=True,
          served_otherwise=_set(OWNER, COORDINATOR)),
    Probe("no-show on the page", "post", "/matches/{held}/no-show/", _set(OWNER, COORDINATOR),
          match_is("no_show", "held"), body={}, page=True),
    # A partner's request: its own staff member (not their colleagues: each sees what they asked for) and the
    # coordinator; never a teacher.
    Probe("read a partner's request", "get", "/api/requests/{partner_request}/", _set(PARTNER, COORDINATOR), reads),
    Probe("read a partner's confirmed match", "get", "/api/matches/{partner_confirmed}/",
          _set(PARTNER, COORDINATOR, MENTOR), reads),
    Probe("open a partner's request page", "get", "/teach/requests/{partner_request}/", _set(PARTNER), reads,
          page=True),
    Probe("cancel on a partner's request page", "post", "/teach/requests/{partner_request}/cancel/", _set(PARTNER),
          request_is("cancelled", "partner_request"), body={"reason": "probe"}, page=True),
    Probe("complete a partner's held session on the page", "post", "/matches/{partner_held}/complete/",
          _set(PARTNER, COORDINATOR), match_is("completed", "partner_held"),
          body={"hours": "1", "students_reached": "12"}, page=True, served_otherwise=_set(MENTOR)),
    # A partner's own site: kept by the member's verified staff (any of them), nobody else.
    Probe("open a partner's site", "get", "/partner/sites/{partner_site}/", _set(PARTNER, PARTNER_COLLEAGUE), reads,
          page=True),
    Probe("edit a partner's site", "post", "/partner/sites/{partner_site}/", _set(PARTNER, PARTNER_COLLEAGUE),
          lambda w, r: School.objects.get(pk=w["partner_site"]).name == "Probed",
          body={"name": "Probed", "address": "1 State St", "city": "Schenectady", "zip_code": "12305"}, page=True),
    Probe("read the impact figures", "get", "/api/impact/dashboard/", _set(COORDINATOR), shows_held,
          served_otherwise=_set(OUTSIDER)),
    Probe("open the impact dashboard", "get", "/coordinator/impact/", _set(COORDINATOR), shows_held, page=True,
          served_otherwise=_set(OUTSIDER)),
    Probe("download the sessions held", "get", "/coordinator/impact/sessions.csv", _set(COORDINATOR), shows_held,
          page=True, served_otherwise=_set(OUTSIDER)),
    Probe("record an answer on someone's behalf", "post", "/coordinator/impact/awaiting/{ask}/", _set(COORDINATOR),
          answered, body={"happened": "yes", "students_reached": "20"}, page=True),
    Probe("read the company statement", "get", "/api/impact/company/", _set(LEAD), shows_held,
          served_otherwise=_set(OTHER_LEAD)),
    Probe("download the company's sessions", "get", "/company/impact/sessions.csv", _set(LEAD), shows_held,
          page=True, served_otherwise=_set(OTHER_LEAD)),
    Probe("read my impact", "get", "/api/impact/me/", _set(MENTOR), shows_held, served_otherwise=_set(OTHER_MENTOR)),
    Probe("download my hours", "get", "/me/impact/sessions.csv", _set(MENTOR), shows_held, page=True,
          served_otherwise=_set(OTHER_MENTOR)),
]


@pytest.fixture
def world(db):
    """One teacher's requests in every probed state, and everyone near them."""
    owner = TeacherFactory()
    school, alliance = owner.school, owner.school.alliance
    coordinator = CoordinatorFactory(alliance=alliance)
    mentor = MentorFactory(company__alliance=alliance)
    confirmed = book_match(owner, coordinator, mentor, day=next_weekday(7))
    completable = held(book_match(owner, coordinator, mentor, day=next_weekday(14)))
    invited = book_match(owner, coordinator, mentor, status="invited", day=next_weekday(21))
    other_mentor = MentorFactory(company__alliance=alliance)
    proposal_request = make_request(owner, day=next_weekday(28))
    proposed = Match.objects.create(session=proposal_request.sessions.get(), mentor=other_mentor, score=0.5)
    done = completed(owner, coordinator, mentor, days_ago=3, day=next_weekday(42))
    asked = held(book_match(owner, coordinator, mentor, day=next_weekday(35)), hours_ago=30)
    ask = FeedbackRequest.objects.create(match=asked, interval=asked.session.intervals.get(), side="teacher")
    partner = PartnerStaffFactory(member=PartnerSiteFactory(alliance=alliance).member)
    partner_confirmed = book_match(partner, coordinator, mentor, day=next_weekday(49))
    partner_held = held(book_match(partner, coordinator, mentor, day=next_weekday(56)), hours_ago=4)
    users = {
        PARTNER: partner.user, PARTNER_COLLEAGUE: PartnerStaffFactory(member=partner.member).user,
        LEAD: CompanyLead.objects.create(user=UserFactory(), company=mentor.company).user,
        OTHER_LEAD: CompanyLead.objects.create(user=UserFactory(), company=other_mentor.company).user,
        OWNER: owner.user, COLLEAGUE: TeacherFactory(school=school).user,
        OTHER_SCHOOL: TeacherFactory(school=SchoolFactory(alliance=alliance)).user,
        COORDINATOR: coordinator.user, OUTSIDER: CoordinatorFactory().user, MENTOR: mentor.user,
        OTHER_MENTOR: other_mentor.user,
    }
    ids = {"request": confirmed.session.request_id, "confirmed": confirmed.pk, "held": completable.pk,
           "invited": invited.pk, "proposed": proposed.pk, "done": done.pk, "asked": asked.pk, "ask": ask.pk,
           "partner_request": partner_confirmed.session.request_id, "partner_confirmed": partner_confirmed.pk,
           "partner_held": partner_held.pk, "partner_site": partner.member.places.get().pk}
    return ids, users


def call(probe, user, ids):
    url = probe.url.format(**ids)
    if probe.page:
        client = Client()
        client.force_login(user)
        return getattr(client, probe.method)(url, probe.body or {})
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return getattr(client, probe.method)(url, probe.body, format="json")


def refused(response):
    login = response.status_code == 302 and "/accounts/login/" in response.get("Location", "")
    return response.status_code in (403, 404) or login


CELLS = [(probe, actor) for probe in PROBES for actor in ACTORS]


@pytest.mark.parametrize(("probe", "actor"), CELLS, ids=[f"{p.name} / {a}" for p, a in CELLS])
def test_each_person_reaches_exactly_what_is_theirs(world, probe, actor):
    ids, users = world
    response = call(probe, users[actor], ids)
    assert response.status_code < 500, response.status_code
    if actor in probe.allowed:
        assert probe.went_through(ids, response), (response.status_code, getattr(response, "content", b"")[:300])
    else:
        assert actor in probe.served_otherwise or refused(response), response.status_code
        assert not probe.went_through(ids, response)


def test_the_matrix_covers_every_probe_and_person():
    assert len(CELLS) == len(PROBES) * len(ACTORS) == 31 * 11


@pytest.mark.parametrize("route", ["/api/requests/", "/api/matches/"])
def test_a_colleague_lists_none_of_the_teachers_requests_or_matches(world, route):
    ids, users = world
    for actor in (COLLEAGUE, OTHER_SCHOOL, PARTNER_COLLEAGUE):
        response = call(Probe("list", "get", route, _set(), reads), users[actor], ids)
        assert response.status_code == 200 and response.json()["results"] == [], actor
    own = call(Probe("list", "get", route, _set(), reads), users[OWNER], ids).json()["results"]
    assert own, "the requesting teacher sees their own"


# --- The coalition: members' programs, the coordinator's member and program pages, the public directory ----
#
# Probed with everyone around one member's programs: its own staff, another member's staff of the same
# alliance, the staff of a member still applying, the alliance's coordinator, teacher and mentor, another
# alliance's coordinator and an anonymous visitor. A member edits only its own programs; only the
# coordinator reviews members and moderates; the public sees only published programs and approved members,
# and never a member's contact details.

OWN_STAFF, OTHER_STAFF, PENDING_STAFF = "the program's member staff", "another member's staff", "an applicant's staff"
ALLIANCE_TEACHER, ALLIANCE_MENTOR, ANONYMOUS = "a teacher of the alliance", "a mentor of the alliance", "anonymous"
COALITION_ACTORS = (OWN_STAFF, OTHER_STAFF, PENDING_STAFF, COORDINATOR, OUTSIDER, ALLIANCE_TEACHER, ALLIANCE_MENTOR,
                    ANONYMOUS)
EVERYONE = frozenset(COALITION_ACTORS)


def program_is(status, key):
    return lambda w, r: Program.objects.get(pk=w[key]).status == status


def shows(*keys):
    """The response shows any of the world's words under `keys` (an unpublished title, a contact email)."""
    return lambda w, r: r.status_code == 200 and any(w[k] in r.content.decode() for k in keys)


def program_form(**changes):
    return {"title": "Changed", "description": "Build robots.", "setting": "weekend", "grade_bands": ["6-8"],
            "cost": "free", "languages": ["en"], "zip_code": "12308", "join_url": "https://club.example/join",
            **changes}


UNPUBLISHED = ("draft title", "submitted title", "archived title")
COALITION_PROBES = [
    Probe("list the member's programs", "get", "/members/programs/", _set(OWN_STAFF), shows("draft title"),
          served_otherwise=_set(OTHER_STAFF)),
    Probe("open a program's edit page", "get", "/members/programs/{draft}/edit/", _set(OWN_STAFF), reads),
    Probe("edit a program", "post", "/members/programs/{draft}/edit/", _set(OWN_STAFF),
          lambda w, r: Program.objects.get(pk=w["draft"]).title == "Changed", body=program_form()),
    Probe("submit a program", "post", "/members/programs/{draft}/submit/", _set(OWN_STAFF),
          program_is("submitted", "draft")),
    Probe("open the moderation list", "get", "/coordinator/programs/", _set(COORDINATOR), shows("submitted title"),
          served_otherwise=_set(OUTSIDER)),
    Probe("publish a program", "post", "/coordinator/programs/{submitted}/publish/", _set(COORDINATOR),
          program_is("published", "submitted")),
    Probe("return a program to its member", "post", "/coordinator/programs/{published}/return/", _set(COORDINATOR),
          program_is("draft", "published")),
    Probe("archive a program", "post", "/coordinator/programs/{published}/archive/", _set(COORDINATOR),
          program_is("archived", "published")),
    Probe("list the members with their contacts", "get", "/coordinator/members/", _set(COORDINATOR),
          shows("applicant email"), served_otherwise=_set(OUTSIDER)),
    Probe("open an application", "get", "/coordinator/members/{applicant}/", _set(COORDINATOR), reads),
    Probe("approve an application", "post", "/coordinator/members/{applicant}/", _set(COORDINATOR),
          lambda w, r: Member.objects.get(pk=w["applicant"]).status == Member.Status.APPROVED,
          body={"decision": "approve"}),
    Probe("open a published program's page", "get", "/programs/{published}/", EVERYONE, reads),
    Probe("download a published program's dates", "get", "/programs/{published}/calendar.ics", EVERYONE, reads),
    Probe("open an unpublished program's page", "get", "/programs/{submitted}/", _set(), reads),
    Probe("open an archived program's page", "get", "/programs/{archived}/", _set(), reads),
    Probe("download an unpublished program's dates", "get", "/programs/{draft}/calendar.ics", _set(), reads),
    Probe("find an unpublished program in the directory", "get", "/programs/?q=title", _set(),
          shows(*UNPUBLISHED), served_otherwise=EVERYONE),
    Probe("find an unpublished program in the feed", "get", "/programs/feed.json", _set(), shows(*UNPUBLISHED),
          served_otherwise=EVERYONE),
    Probe("find an unpublished program in the sitemap", "get", "/sitemap.xml", _set(),
          shows("draft url", "submitted url", "archived url"), served_otherwise=EVERYONE),
    Probe("find the published program in the directory, feed and sitemap", "get", "/programs/feed.json", EVERYONE,
          shows("published title")),
    Probe("see an applicant or a member's contact on the alliance page", "get", "/alliances/{slug}/", _set(),
          shows("applicant name", "applicant email", "member email"), served_otherwise=EVERYONE),
    Probe("see the alliance's public reach", "get", "/alliances/{slug}/", EVERYONE,
          lambda w, r: r.status_code == 200 and "Our reach" in r.content.decode()),
]


@pytest.fixture
def coalition(db):
    """One approved member's programs in every status, an applicant, and the people around them."""
    teacher = TeacherFactory()
    alliance = teacher.school.alliance
    coordinator = CoordinatorFactory(alliance=alliance)
    mentor = MentorFactory(company__alliance=alliance)
    completed(teacher, coordinator, mentor, students=25)  # the public reach has something to show
    own = MemberStaffFactory(member__alliance=alliance)
    applicant = MemberFactory(alliance=alliance, status=Member.Status.APPLIED, name="Hopeful Robotics",
                              contact_email="apply@hopeful.example")
    programs = {status: ProgramFactory(member=own.member, status=status, title=f"{status} title")
                for status in ("draft", "submitted", "published", "archived")}
    users = {OWN_STAFF: own.user, OTHER_STAFF: MemberStaffFactory(member__alliance=alliance).user,
             PENDING_STAFF: MemberStaffFactory(member=applicant).user, COORDINATOR: coordinator.user,
             OUTSIDER: CoordinatorFactory().user, ALLIANCE_TEACHER: TeacherFactory(school=teacher.school).user,
             ALLIANCE_MENTOR: MentorFactory(company__alliance=alliance).user, ANONYMOUS: None}
    ids = {**{status: p.pk for status, p in programs.items()},
           **{f"{status} title": p.title for status, p in programs.items()},
           **{f"{status} url": f"/programs/{p.pk}/" for status, p in programs.items()},
           "slug": alliance.slug, "applicant": applicant.pk, "applicant name": applicant.name,
           "applicant email": applicant.contact_email, "member email": own.member.contact_email}
    return ids, users


COALITION_CELLS = [(probe, actor) for probe in COALITION_PROBES for actor in COALITION_ACTORS]


@pytest.mark.parametrize(("probe", "actor"), COALITION_CELLS, ids=[f"{p.name} / {a}" for p, a in COALITION_CELLS])
def test_each_person_reaches_exactly_what_is_theirs_in_the_coalition(coalition, probe, actor):
    ids, users = coalition
    client = Client()
    if users[actor] is not None:
        client.force_login(users[actor])
    response = getattr(client, probe.method)(probe.url.format(**ids), probe.body or {})
    assert response.status_code < 500, response.status_code
    if actor in probe.allowed:
        assert probe.went_through(ids, response), (response.status_code, response.content[:300])
    else:
        assert actor in probe.served_otherwise or refused(response), response.status_code
        assert not probe.went_through(ids, response)
