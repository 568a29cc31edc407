"""python manage.py seed_impact: a believable school year for the demo alliance (after seed_demo).

Completed sessions since September with the teachers' and volunteers' answers, some from the school year
before (so returning volunteers and retention show), a few declines, cancellations and no-shows, the
alliance's targets, school equity attributes, a company lead, and one session that ended yesterday whose
one-tap links are waiting (printed by the console email backend). These are historical facts written as
rows, as a data import would write them: the services never book the past.
"""
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from alliances.models import Alliance
from impact import feedback
from impact.models import CompanyLead, Feedback, FeedbackRequest, SchoolEquity, Target
from mentors.models import Company, Mentor
from scheduling.models import Match, MatchTransition, Session, SessionInterval
from schools.models import MentorRequest, Teacher

PASSWORD = "mentorbridge-demo"
TOPICS = [("Build a line-following robot", "6-8", "classroom_visit"), ("How the power grid works", "9-12",
          "classroom_visit"), ("Coding games in Scratch", "3-5", "after_school"), ("Careers in biotech", "9-12",
          "career_day"), ("Kitchen chemistry", "K-2", "classroom_visit"), ("Data detectives", "6-8",
          "virtual_session"), ("Rockets and air pressure", "3-5", "after_school")]
COMMENTS = {
    "teacher": ["The students asked questions for twenty minutes afterwards.", "Great hands-on activity.",
                "Could use a little more time for the build.", "Our quietest students lit up.",
                "Please send the same volunteer again!"],
    "mentor": ["Lovely class, very curious.", "The projector did not work, we improvised.",
               "I would love to come back in the spring.", "They had better questions than my colleagues."],
}
EQUITY = {"Hamilton Elementary": (True, 88), "Mont Pleasant Middle School": (True, 76),
          "Schenectady High School": (True, 64), "Yates Arts in Education Magnet": (False, 38)}


class Command(BaseCommand):
    help = "Seed the demo alliance's school year: completed sessions with feedback, targets, a company lead."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--allow-production", action="store_true")

    def handle(self, *args, seed, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("DEBUG is off: this looks like a real deployment. Run with --allow-production if you "
                               "really mean it.")
        alliance = Alliance.objects.filter(slug="schenectady").first()
        if alliance is None:
            raise CommandError("Run seed_demo first: there is no demo alliance.")
        if Target.objects.filter(alliance=alliance).exists():
            self.stdout.write("The demo school year is already there.")
            return
        with transaction.atomic():
            held = self._seed(random.Random(seed), alliance)
        asked, _ = feedback.queue_feedback_requests()
        self.stdout.write(f"Seeded {held} completed sessions; {asked} one-tap links wait for yesterday's session.")
        self.stdout.write("  companylead  csr@mohawkgrid.example (company lead of Mohawk Grid Systems)")

    def _seed(self, rng, alliance):
        tz = ZoneInfo(alliance.timezone)
        today = timezone.localdate()
        year_start = date(today.year if today.month >= 7 else today.year - 1, 7, 1)
        Target.objects.create(alliance=alliance, starts_on=year_start, ends_on=date(year_start.year + 1, 6, 30),
                              students=1500, mentors=40, hours=240, schools=4)
        for school in alliance.schools.all():
            title_i, frl = EQUITY.get(school.name, (False, None))
            SchoolEquity.objects.create(school=school, title_i=title_i, frl_percent=frl)
        company = Company.objects.filter(alliance=alliance).order_by("pk").first()
        user = get_user_model().objects.create_user(username="companylead", email="csr@mohawkgrid.example",
                                                    password=PASSWORD, first_name="Morgan", last_name="Reyes")
        CompanyLead.objects.create(user=user, company=company)
        teachers = list(Teacher.objects.filter(school__alliance=alliance, verified_at__isnull=False).order_by("pk"))
        mentors = list(Mentor.objects.filter(company__alliance=alliance, status="approved").order_by("pk"))
        held = 0
        # Last school year (a lighter one), then this one from September to yesterday: two or three a school day.
        for first, last, per_day in ((date(year_start.year - 1, 9, 8), date(year_start.year, 6, 15), 0.8),
                                     (date(year_start.year, 9, 8), today - timedelta(days=2), 2.2)):
            day = first
            while day <= last:
                if day.weekday() < 5:
                    for _ in range(int(per_day) + (rng.random() < per_day % 1)):
                        held += self._session(rng, tz, day, rng.choice(teachers), rng.choice(mentors))
                day += timedelta(days=1)
        self._ended_yesterday(tz, today, teachers[0], mentors[0])
        return held

    def _session(self, rng, tz, day, teacher, mentor):
        topic, band, kind = rng.choice(TOPICS)
        hour = rng.choice([9, 10, 13, 14])
        starts = datetime.combine(day, time(hour), tz)
        ends = starts + timedelta(minutes=rng.choice([45, 60, 60, 90]))
        match = self._booked(teacher, mentor, topic, band, kind, starts, ends, students=rng.randint(16, 30))
        roll = rng.random()
        if roll < 0.06:
            self._move(match, "cancelled", starts - timedelta(days=3), teacher.user)
            return 0
        if roll < 0.09:
            self._move(match, "no_show", ends + timedelta(hours=2), teacher.user)
            return 0
        students = max(match.session.request.student_count - rng.randint(0, 4), 1)
        length = round((ends - starts).total_seconds() / 3600, 2)
        Match.objects.filter(pk=match.pk).update(
            hours=length, students_reached=students,
            mentor_hours=length + 0.5 if rng.random() < 0.6 else None,
            mentor_hours_reported_at=ends + timedelta(hours=5))
        self._move(match, "completed", ends + timedelta(hours=3), teacher.user)
        interval = match.session.intervals.get()
        for side, chance in (("teacher", 0.9), ("mentor", 0.7)):
            if rng.random() < chance:
                FeedbackRequest.objects.create(match=match, interval=interval, side=side,
                                               answered_at=ends + timedelta(hours=3))
                Feedback.objects.create(
                    match=match, interval=interval, side=side, happened=True, rating=rng.choice([3, 4, 4, 5, 5, 5]),
                    students_reached=students if side == "teacher" else None,
                    hours=length + 0.5 if side == "mentor" else None, via="link",
                    comment=rng.choice(COMMENTS[side]) if rng.random() < 0.3 else "")
        return 1

    def _booked(self, teacher, mentor, topic, band, kind, starts, ends, *, students, status="confirmed"):
        request = MentorRequest.objects.create(
            school=teacher.school, teacher=teacher, topic=topic, grade_band=band, kind=kind,
            format=MentorRequest.FORMAT_OF_KIND[kind], student_count=students, status="confirmed",
            meeting_link="https://meet.example/mentorbridge-demo" if kind == "virtual_session" else "")
        MentorRequest.objects.filter(pk=request.pk).update(created_at=starts - timedelta(days=18))
        session = Session.objects.create(request=request, alliance_id=teacher.school.alliance_id, starts_at=starts,
                                         ends_at=ends, status="open")
        SessionInterval.objects.create(session=session, starts_at=starts, ends_at=ends)
        match = Match.objects.create(session=session, mentor=mentor, score=0.7, status=status)
        MatchTransition.objects.create(match=match, from_status="invited", to_status="confirmed", via="sms")
        MatchTransition.objects.filter(match=match).update(at=starts - timedelta(days=rng_days(match.pk)))
        return match

    def _move(self, match, status, at, actor):
        Match.objects.filter(pk=match.pk).update(status=status, status_changed_at=at)
        transition = MatchTransition.objects.create(match=match, from_status="confirmed", to_status=status,
                                                    actor=actor, via="web")
        MatchTransition.objects.filter(pk=transition.pk).update(at=at)
        if status == "completed":
            Session.objects.filter(pk=match.session_id).update(status="completed")
            MentorRequest.objects.filter(pk=match.session.request_id).update(status="completed")

    def _ended_yesterday(self, tz, today, teacher, mentor):
        """The demo teacher's session that ended yesterday: confirmed, its one-tap links about to be sent."""
        day = today - timedelta(days=1)
        starts = datetime.combine(day, time(10), tz)
        self._booked(teacher, mentor, "Build a line-following robot", "6-8", "classroom_visit", starts,
                     starts + timedelta(hours=1), students=24)


def rng_days(pk):
    """Days between confirmation and the session: 5 to 14, spread by id."""
    return 5 + pk % 10
