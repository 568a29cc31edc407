"""Seed a believable demo alliance and print the demo logins."""
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from alliances.models import Alliance, Coordinator
from core.models import Skill
from mentors.models import AvailabilityWindow, Company, Mentor
from scheduling import matching
from scheduling import requests as request_flow
from schools.models import School, Teacher

PASSWORD = "mentorbridge-demo"
FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elena", "Femi", "Grace", "Hiro", "Isabel", "Jamal", "Kai", "Lena", "Marco",
         "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Victor", "Wen", "Xavier", "Yara", "Zoe"]
LAST = ["Ruiz", "Okafor", "Chen", "Patel", "Kowalski", "Nguyen", "Haddad", "Murphy", "Silva", "Johansson", "Kim",
        "Mensah", "Rossi", "Dubois", "Tanaka"]
COMPANIES = [
    ("Mohawk Grid Systems", "mohawkgrid.example", ["energy", "electrical-engineering", "software", "data-science"]),
    ("Hudson Biolabs", "hudsonbio.example", ["biology", "chemistry", "medicine", "statistics"]),
    ("Capital Region Software", "capsoft.example", ["software", "cybersecurity", "data-science", "mathematics"]),
    ("Erie Robotics", "erierobotics.example", ["robotics", "mechanical-engineering", "manufacturing", "physics"]),
]
SCHOOLS = [
    ("Hamilton Elementary", "1091 Lancaster St, Schenectady, NY 12308", "12308", 42.8213, -73.9302),
    ("Mont Pleasant Middle School", "1121 Forest Rd, Schenectady, NY 12303", "12303", 42.7935, -73.9432),
    ("Schenectady High School", "1445 The Plaza, Schenectady, NY 12308", "12308", 42.8168, -73.9186),
    ("Yates Arts in Education Magnet", "725 Salina St, Schenectady, NY 12308", "12308", 42.8125, -73.9232),
]
TOPICS = [
    ("Build a line-following robot", "6-8", ["robotics"]),
    ("How the power grid works", "9-12", ["energy", "electrical-engineering"]),
    ("Coding games in Scratch", "3-5", ["software"]),
    ("Careers in biotech", "9-12", ["biology", "medicine"]),
    ("Kitchen chemistry", "K-2", ["chemistry"]),
    ("Data detectives: graphs from our school", "6-8", ["data-science", "statistics"]),
    ("Staying safe online", "6-8", ["cybersecurity"]),
    ("Bridges that hold", "3-5", ["civil-engineering", "mechanical-engineering"]),
    ("Rockets and air pressure", "3-5", ["aerospace", "physics"]),
    ("Design a better backpack", "9-12", ["product-design", "manufacturing"]),
]


class Command(BaseCommand):
    help = "Seed a demo alliance (companies, schools, teachers, ~50 mentors, open requests) and print logins."

    def add_arguments(self, parser):
        parser.add_argument("--mentors", type=int, default=50)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--allow-production", action="store_true",
                            help="Seed even with DEBUG off (the demo logins share one known password).")

    def handle(self, *args, mentors, seed, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("DEBUG is off: this looks like a real deployment, and the demo accounts share one "
                               "known password. Run with --allow-production if you really mean it.")
        rng = random.Random(seed)
        if Alliance.objects.filter(slug="schenectady").exists():
            self.stdout.write("The demo alliance is already there.")
        else:
            with transaction.atomic():
                alliance = self._seed(rng, mentors)
            self._match(alliance)
        self._print_logins()

    def _user(self, username, first, last, email):
        user = get_user_model().objects.create_user(
            username=username, email=email, password=PASSWORD, first_name=first, last_name=last
        )
        Token.objects.get_or_create(user=user)
        return user

    def _seed(self, rng, mentor_count):
        alliance = Alliance.objects.create(
            name="Schenectady STEM Alliance", slug="schenectady", timezone="America/New_York",
            contact_email="hello@schenectadystem.example", contact_phone="+15185550100",
            calendar_email="calendar@schenectadystem.example",
        )
        get_user_model().objects.create_superuser(
            username="admin", email="admin@schenectadystem.example", password=PASSWORD, first_name="Site",
            last_name="Admin",
        )
        Coordinator.objects.create(
            user=self._user("coordinator", "Carmen", "Alvarez", "coordinator@schenectadystem.example"),
            alliance=alliance,
        )
        schools = [
            School.objects.create(alliance=alliance, name=n, address=a, zip_code=z, latitude=lat, longitude=lng,
                                  email_domain="schenectady.k12.example")
            for n, a, z, lat, lng in SCHOOLS
        ]
        teachers = self._teachers(schools)
        companies = [Company.objects.create(alliance=alliance, name=n, email_domain=d) for n, d, _ in COMPANIES]
        self._mentors(rng, mentor_count, companies)
        self._requests(rng, teachers)
        self._onboarding_queue(schools[0], companies[0])
        return alliance

    def _onboarding_queue(self, school, company):
        """Someone for the coordinator's onboarding pages: a teacher to verify, a volunteer to approve."""
        now = timezone.now()
        user = self._user("teacher-new", "Nina", "Brooks", "teacher-new@schenectady.k12.example")
        Teacher.objects.create(user=user, school=school, email_verified_at=now)
        user = self._user("volunteer-new", "Omar", "Haddad", f"volunteer-new@{company.email_domain}")
        Mentor.objects.create(user=user, company=company, status=Mentor.Status.PENDING, grade_bands=["6-8"],
                              formats=["virtual"], languages=["en", "ar"], email_verified_at=now,
                              bio="New volunteer waiting for approval.")

    def _teachers(self, schools):
        names = [("Teresa", "Lopez"), ("Marcus", "Green"), ("Helen", "Park"), ("David", "Osei"), ("Ruth", "Adler")]
        teachers = []
        for index, (first, last) in enumerate(names):
            username = "teacher" if index == 0 else f"teacher{index + 1}"
            user = self._user(username, first, last, f"{username}@schenectady.k12.example")
            teachers.append(Teacher.objects.create(
                user=user, school=schools[index % len(schools)], verified_at=timezone.now(),
                phone=f"+1518555{1000 + index:04d}",
            ))
        return teachers

    def _mentors(self, rng, count, companies):
        skills = {s.slug: s for s in Skill.objects.all()}
        for index in range(count):
            company = companies[index % len(companies)]
            first, last = rng.choice(FIRST), rng.choice(LAST)
            username = "volunteer" if index == 0 else f"volunteer{index + 1}"
            user = self._user(username, first, last, f"{username}@{company.email_domain}")
            cleared = index == 0 or rng.random() < 0.85
            mentor = Mentor.objects.create(
                user=user, company=company, status=Mentor.Status.APPROVED, bio=f"{first} works at {company.name}.",
                grade_bands=sorted(rng.sample(["K-2", "3-5", "6-8", "9-12"], rng.randint(1, 3))) if index else
                ["3-5", "6-8", "9-12"],
                formats=["in_person", "virtual"] if rng.random() < 0.7 else [rng.choice(["in_person", "virtual"])],
                languages=["en", "es"] if rng.random() < 0.2 else ["en"],
                zip_code="12305",
                latitude=42.81 + rng.uniform(-0.08, 0.08), longitude=-73.94 + rng.uniform(-0.1, 0.1),
                travel_km=rng.choice([10, 15, 25, 40]), timezone="America/New_York",
                phone=f"+1518555{2000 + index:04d}", sms_consent_at=timezone.now(),
                sms_consent_text="I agree to receive texts about mentoring sessions. Reply STOP to opt out.",
                background_check_status=Mentor.BackgroundCheck.CLEARED if cleared else Mentor.BackgroundCheck.PENDING,
                background_check_expires=date.today() + timedelta(days=rng.randint(200, 700)) if cleared else None,
                monthly_session_cap=rng.choice([1, 2, 2, 3]),
            )
            own = COMPANIES[companies.index(company)][2]
            mentor.skills.set([skills[s] for s in rng.sample(own, rng.randint(1, 3))])
            self._availability(rng, mentor)

    def _availability(self, rng, mentor):
        for weekday in rng.sample(range(5), rng.randint(2, 4)):
            start = rng.choice([8, 9, 10, 12, 13])
            end = min(start + rng.randint(3, 6), 18)
            AvailabilityWindow.objects.create(
                mentor=mentor, weekday=weekday, start_time=time(start), end_time=time(end)
            )

    def _requests(self, rng, teachers):
        today = timezone.localdate()
        skills = {s.slug: s for s in Skill.objects.all()}
        for index, (topic, band, wanted) in enumerate(TOPICS):
            teacher = teachers[index % len(teachers)]
            day = today + timedelta(days=3 + index * 2)
            while day.weekday() >= 5:
                day += timedelta(days=1)
            hour = rng.choice([9, 10, 13, 14])
            tz = ZoneInfo("America/New_York")
            weeks = 3 if index % 4 == 0 else 1
            intervals = [
                (datetime.combine(day + timedelta(weeks=w), time(hour), tz),
                 datetime.combine(day + timedelta(weeks=w), time(hour + 1), tz))
                for w in range(weeks)
            ]
            virtual = index % 3 == 2
            request_flow.create_request(
                teacher=teacher, topic=topic, grade_band=band, format="virtual" if virtual else "in_person",
                student_count=rng.randint(18, 30), intervals=intervals, skills=[skills[s] for s in wanted],
                mentors_needed=2 if index % 5 == 1 else 1,
                meeting_link="https://meet.example/mentorbridge-demo" if virtual else "",
                description="A hands-on session; the teacher stays in the room throughout.",
            )

    def _match(self, alliance):
        now = timezone.now()
        run = matching.propose_matches(alliance_id=alliance.pk, window_start=now, window_end=now + timedelta(weeks=8))
        stats = run.stats
        self.stdout.write(f"Matching proposed {stats.get('seats_filled')} of {stats.get('seats_wanted')} seats.")

    def _print_logins(self):
        users = get_user_model().objects.filter(username__in=["admin", "coordinator", "teacher", "volunteer"])
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {PASSWORD})"))
        for user in users.order_by("username"):
            token = Token.objects.get_or_create(user=user)[0].key
            self.stdout.write(f"  {user.username:<12} {user.email:<42} API token {token}")
        self.stdout.write(
            "\n  App and admin: http://127.0.0.1:8000/admin/   API: http://127.0.0.1:8000/api/   "
            "Docs: http://127.0.0.1:8000/api/docs/\n"
        )
