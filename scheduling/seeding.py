"""Large synthetic alliances written in bulk, for the scale benchmarks and the tests that compare runs.

Everything is drawn from one seeded random generator, so the same arguments give the same rows
(apart from database ids). Users get unusable passwords: nobody logs in as a benchmark mentor.
"""
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from alliances.models import Alliance, Coordinator
from core.models import Skill
from mentors.models import AvailabilityWindow, BlackoutDate, Company, Mentor
from schools.models import MentorRequest, School, Teacher

from .models import Booking, Match, Session, SessionInterval

NEW_YORK = ZoneInfo("America/New_York")
BANDS = ["K-2", "3-5", "6-8", "9-12"]
BATCH = 5000


@dataclass
class Shape:
    """How big a seeded data set is: alliances x (mentors, sessions) spread over `weeks` weeks."""

    alliances: int
    mentors: int  # per alliance
    sessions: int  # per alliance
    weeks: int = 8
    booked_share: float = 0.05  # sessions that already have a confirmed mentor (caps, bookings, continuity)


def seed(shape, *, tag, start, rng_seed=2026, teachers_per_school=5, schools=12):
    """Write `shape.alliances` alliances with mentors, availability, schools, teachers and open requests
    whose sessions start between `start` and `shape.weeks` weeks later. Returns the alliance ids."""
    rng = random.Random(rng_seed)
    skills = list(Skill.objects.order_by("slug").values_list("pk", flat=True))
    ids = []
    for index in range(shape.alliances):
        alliance = Alliance.objects.create(name=f"Bench alliance {tag} {index}", slug=f"bench-{tag}-{index}",
                                           contact_email=f"hello@bench{index}.example")
        center = (42.0 + rng.uniform(-3, 3), -74.0 + rng.uniform(-3, 3))
        mentors = _mentors(rng, alliance, center, shape.mentors, skills, f"{tag}-{index}")
        teachers = _teachers(rng, alliance, center, schools, teachers_per_school, f"{tag}-{index}")
        sessions = _requests(rng, alliance, teachers, shape, skills, start)
        _book(rng, sessions, mentors, shape.booked_share)
        ids.append(alliance.pk)
    return ids


def _users(prefix, count, domain):
    users = [get_user_model()(username=f"{prefix}-{i}", email=f"{prefix}-{i}@{domain}", password="!",
                              first_name=f"First{i}", last_name=f"Last{i}") for i in range(count)]
    return get_user_model().objects.bulk_create(users, batch_size=BATCH)


def _mentors(rng, alliance, center, count, skills, tag):
    companies = [Company.objects.create(alliance=alliance, name=f"Company {tag}-{c}",
                                        email_domain=f"co{c}-{tag}.example") for c in range(4)]
    users = _users(f"bm-{tag}", count, "bench.example")
    today = date.today()
    mentors = Mentor.objects.bulk_create([
        Mentor(user=user, company=companies[i % 4], status=Mentor.Status.APPROVED,
               grade_bands=sorted(rng.sample(BANDS, rng.randint(1, 3))),
               formats=["in_person", "virtual"] if rng.random() < 0.7 else [rng.choice(["in_person", "virtual"])],
               languages=["en", "es"] if rng.random() < 0.2 else ["en"],
               latitude=center[0] + rng.uniform(-0.15, 0.15), longitude=center[1] + rng.uniform(-0.15, 0.15),
               travel_km=rng.choice([10, 15, 25, 40]),
               background_check_status="cleared" if rng.random() < 0.85 else "pending",
               background_check_expires=today + timedelta(days=rng.randint(20, 700)),
               monthly_session_cap=rng.choice([1, 2, 2, 3]))
        for i, user in enumerate(users)
    ], batch_size=BATCH)
    for mentor in mentors:
        if mentor.background_check_status != "cleared":
            mentor.background_check_expires = None
    Mentor.objects.bulk_update(mentors, ["background_check_expires"], batch_size=BATCH)
    through = Mentor.skills.through
    through.objects.bulk_create([through(mentor_id=m.pk, skill_id=s) for m in mentors
                                 for s in rng.sample(skills, rng.randint(1, 4))], batch_size=BATCH)
    AvailabilityWindow.objects.bulk_create(_availability(rng, mentors), batch_size=BATCH)
    BlackoutDate.objects.bulk_create([
        BlackoutDate(mentor=m, date=today + timedelta(days=rng.randint(0, 60)))
        for m in mentors if rng.random() < 0.1
    ], batch_size=BATCH)
    return mentors


def _availability(rng, mentors):
    for mentor in mentors:
        for weekday in sorted(rng.sample(range(5), rng.randint(2, 4))):
            begin = rng.choice([8, 9, 10, 12, 13])
            yield AvailabilityWindow(mentor=mentor, weekday=weekday, start_time=time(begin),
                                     end_time=time(min(begin + rng.randint(3, 6), 18)))


def _teachers(rng, alliance, center, schools, per_school, tag):
    made = School.objects.bulk_create([
        School(alliance=alliance, name=f"School {tag}-{s}", address=f"{s} Main St", zip_code="12308",
               latitude=center[0] + rng.uniform(-0.1, 0.1), longitude=center[1] + rng.uniform(-0.1, 0.1))
        for s in range(schools)
    ])
    users = _users(f"bt-{tag}", schools * per_school, "school.example")
    now = timezone.now()
    return Teacher.objects.bulk_create([
        Teacher(user=user, school=made[i % schools], verified_at=now, email_verified_at=now)
        for i, user in enumerate(users)
    ], batch_size=BATCH)


def _requests(rng, alliance, teachers, shape, skills, start):
    first = start.astimezone(NEW_YORK).date()
    requests, times = [], []
    for _ in range(shape.sessions):
        teacher = rng.choice(teachers)
        needed = 2 if rng.random() < 0.2 else 1
        virtual = rng.random() < 0.3
        requests.append(MentorRequest(
            school_id=teacher.school_id, teacher=teacher, topic=f"Topic {rng.randint(1, 50)}",
            grade_band=rng.choice(BANDS), format="virtual" if virtual else "in_person",
            student_count=rng.randint(15, 30), mentors_needed=needed,
            kind="virtual_session" if virtual else "classroom_visit",
            language="es" if rng.random() < 0.05 else ""))
        day = first + timedelta(days=rng.randrange(shape.weeks * 7))
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        starts = datetime.combine(day, time(rng.choice([9, 10, 11, 13, 14])), NEW_YORK)
        times.append([(starts + timedelta(weeks=w), starts + timedelta(weeks=w, hours=1))
                      for w in range(3 if rng.random() < 0.1 else 1)])
    requests = MentorRequest.objects.bulk_create(requests, batch_size=BATCH)
    through = MentorRequest.skills.through
    through.objects.bulk_create([through(mentorrequest_id=r.pk, skill_id=s) for r in requests
                                 for s in rng.sample(skills, rng.randint(1, 2))], batch_size=BATCH)
    sessions = Session.objects.bulk_create([
        Session(request=r, alliance=alliance, starts_at=t[0][0], ends_at=t[-1][1], mentors_needed=r.mentors_needed)
        for r, t in zip(requests, times, strict=True)
    ], batch_size=BATCH)
    SessionInterval.objects.bulk_create([SessionInterval(session=s, starts_at=a, ends_at=b)
                                         for s, t in zip(sessions, times, strict=True) for a, b in t],
                                        batch_size=BATCH)
    return list(zip(sessions, times, strict=True))


def _book(rng, sessions, mentors, share):
    """Confirmed matches with their bookings, one per chosen session, never two for one mentor."""
    chosen = rng.sample(sessions, min(int(len(sessions) * share), len(mentors)))
    picked = rng.sample(mentors, len(chosen))
    now = timezone.now()
    matches = Match.objects.bulk_create([
        Match(session=s, mentor=m, status=Match.Status.CONFIRMED, status_changed_at=now)
        for (s, _), m in zip(chosen, picked, strict=True)
    ])
    Booking.objects.bulk_create([Booking(match=match, mentor_id=match.mentor_id, starts_at=a, ends_at=b)
                                 for match, (_, t) in zip(matches, chosen, strict=True) for a, b in t])


@dataclass
class PagesAlliance:
    """One seeded alliance and the people whose pages a benchmark opens."""

    alliance: Alliance
    coordinator: object  # User
    teacher: object  # User: the teacher with the most requests
    mentor: object  # User: a volunteer with invitations, upcoming and past sessions


def seed_pages(*, volunteers=2_000, requests=300, proposals=600, mentor_sessions=100, tag="pages", rng_seed=7):
    """An alliance of realistic size for page benchmarks: `volunteers`, `requests` open requests over the
    coming 8 weeks, `proposals` proposed matches spread over them, and one volunteer with
    `mentor_sessions` sessions (a fifth awaiting an answer, two fifths upcoming, the rest held)."""
    rng = random.Random(rng_seed)
    now = timezone.now()
    shape = Shape(alliances=1, mentors=volunteers, sessions=requests, booked_share=0)
    alliance_id = seed(shape, tag=tag, start=now + timedelta(days=1), rng_seed=rng_seed)[0]
    alliance = Alliance.objects.get(pk=alliance_id)
    coordinator = _users(f"bc-{tag}", 1, "bench.example")[0]
    Coordinator.objects.create(user=coordinator, alliance=alliance)
    mentors = list(Mentor.objects.filter(company__alliance=alliance).order_by("pk"))
    sessions = list(Session.objects.filter(alliance=alliance).order_by("pk"))
    _propose(rng, sessions, mentors, proposals)
    busy = mentors[0]
    _mentor_history(rng, busy, sessions, mentor_sessions, now)
    teacher = (Teacher.objects.filter(school__alliance=alliance).annotate(n=models.Count("requests"))
               .order_by("-n", "pk").first())
    return PagesAlliance(alliance=alliance, coordinator=coordinator, teacher=teacher.user, mentor=busy.user)


def _propose(rng, sessions, mentors, count):
    pairs = set()
    while len(pairs) < count:
        pairs.add((rng.choice(sessions).pk, rng.choice(mentors[1:]).pk))
    Match.objects.bulk_create([
        Match(session_id=s, mentor_id=m, score=round(rng.uniform(0.3, 1.0), 6),
              reasons={"skills": 0.4, "distance": round(rng.uniform(0, 0.2), 6), "fairness": 0.2})
        for s, m in sorted(pairs)
    ], batch_size=BATCH)


def _mentor_history(rng, mentor, sessions, count, now):
    S = Match.Status
    upcoming = sessions[: count * 3 // 5]  # never proposed to this mentor: _propose leaves the first one out
    past = Session.objects.bulk_create([
        Session(request_id=s.request_id, alliance_id=s.alliance_id, starts_at=now - timedelta(days=d + 1),
                ends_at=now - timedelta(days=d + 1) + timedelta(hours=1), status=Session.Status.OPEN)
        for d, s in enumerate(sessions[: count - len(upcoming)])
    ])
    SessionInterval.objects.bulk_create([SessionInterval(session=s, starts_at=s.starts_at, ends_at=s.ends_at)
                                         for s in past])
    statuses = [S.INVITED] * (len(upcoming) // 3) + [S.CONFIRMED] * (len(upcoming) - len(upcoming) // 3)
    Match.objects.bulk_create(
        [Match(session=s, mentor=mentor, status=status, respond_by=now + timedelta(hours=rng.randint(2, 48)))
         for s, status in zip(upcoming, statuses, strict=True)]
        + [Match(session=s, mentor=mentor, status=S.COMPLETED, hours=1, students_reached=20) for s in past]
    )
