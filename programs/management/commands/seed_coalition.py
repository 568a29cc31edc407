"""Seed the demo alliance's coalition: its mission and MOU, member nonprofits, a college and a city agency,
their programs in English and Spanish, a partner staff login and an application waiting for review.

Runs after seed_demo (`make run` calls both); a second run changes nothing.
"""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from alliances.models import Alliance, Member, MemberStaff, Mou
from mentors.models import Company, Skill
from programs import geo
from programs.models import Program
from scheduling import requests as request_flow
from scheduling.management.commands.seed_demo import PASSWORD
from schools.models import School

MISSION = ("STEM opportunities that are transparent and readily accessible to every student in Schenectady County: "
           "companies, nonprofits, schools, colleges and the city, working from one shared plan.")
MISSION_ES = ("Oportunidades STEM transparentes y al alcance de cada estudiante del condado de Schenectady: empresas, "
              "organizaciones sin fines de lucro, escuelas, colleges y la ciudad, con un mismo plan.")
MOU = """Members of the Schenectady STEM Alliance agree to:

1. Share what they offer students (programs, volunteers, space, funding, expertise) in the alliance's directory.
2. Keep students safe: screened adults, no student personal data shared outside the program that needs it.
3. Meet with the alliance twice a year and report the students they reached.
4. Welcome every student, whatever their background, language or ability."""
MOU_ES = """Los miembros de la Schenectady STEM Alliance se comprometen a:

1. Compartir en el directorio de la alianza lo que ofrecen (programas, voluntarios, espacios, fondos, saberes).
2. Proteger a los estudiantes: adultos evaluados, sin compartir datos de estudiantes fuera del programa.
3. Reunirse con la alianza dos veces al año e informar cuántos estudiantes alcanzaron.
4. Dar la bienvenida a todos los estudiantes, sean cuales sean su origen, su idioma o sus capacidades."""
# The partners' own sites: where their programmes meet when not at a school (geocoded offline by ZIP).
PARTNER_SITES = [
    ("Electric City Girls Code", "Girls Code community room, Electric City Library", "99 Clinton St, Schenectady, NY",
     "12305"),
]
MEMBERS = [
    ("Electric City Girls Code", Member.Kind.NONPROFIT, "Lucia Mendez", "lucia@ecgirlscode.example",
     ["programs", "volunteers"]),
    ("Schenectady Youth Robotics", Member.Kind.NONPROFIT, "Darnell Price", "darnell@syrobotics.example",
     ["programs", "space"]),
    ("Mohawk River Science Center", Member.Kind.NONPROFIT, "Grace Kim", "grace@mohawkscience.example",
     ["programs", "space", "expertise"]),
    ("Stockade College STEM Outreach", Member.Kind.COLLEGE, "Prof. Henry Adler", "outreach@stockade.example",
     ["programs", "expertise", "space"]),
    ("City of Schenectady Parks and Recreation", Member.Kind.AGENCY, "Maria Torres", "parks@schenectady.example",
     ["space", "funding"]),
]


def _programs(today):
    summer = today.replace(month=7, day=7) if today.month < 7 else today.replace(year=today.year + 1, month=7, day=7)
    return [
        ("Electric City Girls Code", dict(
            title="Girls Code after school", title_es="Chicas programadoras después de clases",
            description="Girls in grades 6-8 build their own games and websites with mentors from local tech "
                        "companies.\n\nLaptops provided. Snacks every week.",
            description_es="Chicas de 6.º a 8.º grado crean sus propios juegos y sitios web con mentoras de empresas "
                           "de tecnología locales.\n\nPrestamos computadoras. Merienda cada semana.",
            setting="after_school", grade_bands="|6-8|", cost="free", languages="|en|es|", zip_code="12307",
            address="Schenectady Public Library, 99 Clinton St, Schenectady, NY 12305",
            weekly_schedule="Tuesdays and Thursdays, 3:30-5:00 pm", starts_on=today + timedelta(days=14),
            ends_on=today + timedelta(days=120), apply_by=today + timedelta(days=10), capacity=24,
            accessibility="Step-free entrance and elevator; staff speak English and Spanish."), ["software"]),
        ("Electric City Girls Code", dict(
            title="Code your first app (online)", title_es="Programa tu primera app (en línea)",
            description="A virtual Saturday workshop series for high school students new to coding.",
            description_es="Talleres virtuales los sábados para estudiantes de secundaria que empiezan a programar.",
            setting="virtual", grade_bands="|9-12|", cost="free", languages="|en|es|", virtual=True,
            weekly_schedule="Saturdays, 10-11:30 am", starts_on=today + timedelta(days=21),
            ends_on=today + timedelta(days=63)), ["software", "product-design"]),
        ("Schenectady Youth Robotics", dict(
            title="Robotics team: build season", title_es="Equipo de robótica: temporada de construcción",
            description="Join a competition robotics team. Design, build and program a robot with engineers from "
                        "Erie Robotics and Mohawk Grid.",
            description_es="Únete a un equipo de robótica de competencia. Diseña, construye y programa un robot con "
                           "ingenieros de Erie Robotics y Mohawk Grid.",
            setting="after_school", grade_bands="|9-12|", cost="low", languages="|en|es|", zip_code="12308",
            address="Schenectady High School, 1445 The Plaza, Schenectady, NY 12308",
            weekly_schedule="Mondays, Wednesdays and Saturdays", starts_on=today + timedelta(days=30),
            ends_on=today + timedelta(days=150), apply_by=today + timedelta(days=20), capacity=30),
         ["robotics", "mechanical-engineering"]),
        ("Schenectady Youth Robotics", dict(
            title="LEGO robotics for young builders", title_es="Robótica con LEGO para pequeños constructores",
            description="Families welcome: children build and program LEGO robots together on Saturday mornings.",
            description_es="Familias bienvenidas: los niños construyen y programan robots LEGO los sábados por la "
                           "mañana.",
            setting="weekend", grade_bands="|K-2|3-5|", cost="free", languages="|en|es|", zip_code="12303",
            address="Mont Pleasant Branch Library, Schenectady, NY 12303", weekly_schedule="Saturdays, 10 am-noon",
            starts_on=today + timedelta(days=7), ends_on=today + timedelta(days=90)), ["robotics"]),
        ("Mohawk River Science Center", dict(
            title="River science summer camp", title_es="Campamento de verano: ciencia del río",
            description="A week by the Mohawk River: water testing, fish surveys, weather stations and a canoe "
                        "trip.\n\nScholarships cover the full fee for families who ask.",
            description_es="Una semana junto al río Mohawk: análisis del agua, conteo de peces, estaciones del "
                           "tiempo y un paseo en canoa.\n\nHay becas que cubren todo el costo para las familias "
                           "que las pidan.",
            setting="summer", grade_bands="|3-5|6-8|", cost="fee", languages="|en|es|", zip_code="12302",
            address="Collins Park, Scotia, NY 12302", weekly_schedule="Monday to Friday, 9 am-3 pm",
            starts_on=summer, ends_on=summer + timedelta(days=4), apply_by=summer - timedelta(days=30),
            capacity=40, accessibility="Accessible trail to the river; ask us about other needs."),
         ["environmental-science", "biology"]),
        ("Mohawk River Science Center", dict(
            title="Family science night", title_es="Noche de ciencia en familia",
            description="Hands-on chemistry and physics demos for the whole family. Free pizza.",
            description_es="Demostraciones prácticas de química y física para toda la familia. Pizza gratis.",
            setting="community", grade_bands="|K-2|3-5|6-8|", cost="free", languages="|en|es|", zip_code="12307",
            address="Hamilton Hill community center, Schenectady, NY 12307", starts_on=today + timedelta(days=12),
            ends_on=today + timedelta(days=12), weekly_schedule="6-8 pm"), ["chemistry", "physics"]),
        ("Stockade College STEM Outreach", dict(
            title="Engineering in your classroom",
            description="College engineering students bring a design challenge to your class for a morning. "
                        "Teachers book a visit.",
            setting="in_school", grade_bands="|6-8|9-12|", cost="free", languages="|en|", zip_code="12308",
            address="Schenectady City School District"), ["civil-engineering", "mechanical-engineering"]),
        ("Stockade College STEM Outreach", dict(
            title="Summer math academy", title_es="Academia de matemáticas de verano",
            description="Three weeks of problem solving, puzzles and statistics on campus, with lunch.",
            description_es="Tres semanas de resolución de problemas, acertijos y estadística en el campus, con "
                           "almuerzo.",
            setting="summer", grade_bands="|6-8|9-12|", cost="low", languages="|en|es|", zip_code="12308",
            address="Stockade College, Union St, Schenectady, NY 12308", starts_on=summer + timedelta(days=7),
            ends_on=summer + timedelta(days=28), apply_by=summer - timedelta(days=45), capacity=60),
         ["mathematics", "statistics"]),
    ]


class Command(BaseCommand):
    help = "Seed the demo alliance's coalition: members, MOU, programs in English and Spanish, a partner login."

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true")

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("DEBUG is off: the demo logins share one known password (--allow-production).")
        alliance = Alliance.objects.filter(slug="schenectady").first()
        if alliance is None:
            raise CommandError("Run seed_demo first: there is no demo alliance.")
        if Mou.objects.filter(alliance=alliance).exists():
            self.stdout.write("The demo coalition is already there.")
            return
        with transaction.atomic():
            self._seed(alliance)
        self.stdout.write(self.style.SUCCESS(
            f"Coalition: {Member.objects.filter(alliance=alliance).count()} members, "
            f"{Program.objects.filter(alliance=alliance, status='published').count()} published programs.\n"
            f"  partner      partner@ecgirlscode.example  (password {PASSWORD}) edits Electric City Girls Code's "
            "programs and asks for mentors (an after-school series at its own site)\n"
            f"  partner-darnell  darnell@syrobotics.example  (password {PASSWORD}) Schenectady Youth Robotics: "
            "a Saturday at a school\n"
            "  Directory: http://127.0.0.1:8000/programs/   Join: http://127.0.0.1:8000/alliances/schenectady/"
            "join/"))

    def _partner_requests(self, alliance, staff, members, today):
        """Partner staff ask for mentors too: an after-school weekly series at Electric City Girls Code's own
        site, and a Saturday robotics morning Schenectady Youth Robotics holds at a school."""
        zones = {"12305": "America/New_York", "12308": "America/New_York"}
        sites = {}
        for member_name, site_name, address, zip_code in PARTNER_SITES:
            lat, lng = geo.locate(zip_code)
            sites[member_name] = School.objects.create(
                alliance=alliance, kind=School.Kind.PARTNER_SITE, member=members[member_name], name=site_name,
                address=address, zip_code=zip_code, latitude=lat, longitude=lng, timezone=zones[zip_code])
        skills = {s.slug: s for s in Skill.objects.all()}
        tz = ZoneInfo(sites["Electric City Girls Code"].timezone)
        day = today + timedelta(days=(1 - today.weekday()) % 7 + 7)  # a Tuesday a week or more away
        series = [(datetime.combine(day + timedelta(weeks=w), time(15, 30), tz),
                   datetime.combine(day + timedelta(weeks=w), time(17), tz)) for w in range(4)]
        request_flow.create_request(
            partner_staff=staff, site=sites["Electric City Girls Code"], setting="after_school", kind="after_school",
            topic="Build a weather station with micro:bits", grade_band="6-8", format="in_person", student_count=16,
            intervals=series, skills=[skills[s] for s in ("software", "electrical-engineering") if s in skills],
            description="Our after-school club at the community room; program staff are in the room throughout.")
        robotics = MemberStaff.objects.get(member=members["Schenectady Youth Robotics"])
        school = School.objects.filter(alliance=alliance, kind=School.Kind.SCHOOL).order_by("name").first()
        saturday = today + timedelta(days=(5 - today.weekday()) % 7 + 14)
        request_flow.create_request(
            partner_staff=robotics, site=school, setting="weekend", kind="after_school",
            topic="Robot arena practice for the spring league", grade_band="9-12", format="in_person",
            student_count=20, intervals=[(datetime.combine(saturday, time(10), tz),
                                          datetime.combine(saturday, time(12), tz))],
            skills=[skills[s] for s in ("robotics",) if s in skills])

    def _seed(self, alliance):
        now, today = timezone.now(), timezone.localdate()
        Alliance.objects.filter(pk=alliance.pk).update(mission=MISSION, mission_es=MISSION_ES)
        mou = Mou.objects.create(alliance=alliance, version=1, text=MOU, text_es=MOU_ES)
        for row in [*Company.objects.filter(alliance=alliance, member=None),
                    *School.objects.filter(alliance=alliance, member=None)]:
            kind = Member.Kind.COMPANY if isinstance(row, Company) else Member.Kind.SCHOOL
            row.member = Member.objects.create(alliance=alliance, name=row.name, kind=kind,
                                               status=Member.Status.APPROVED, mou=mou, mou_accepted_at=now,
                                               offers=["volunteers"] if kind == Member.Kind.COMPANY else ["space"])
            row.save(update_fields=["member"])
        members = {}
        for name, kind, contact, email, offers in MEMBERS:
            members[name] = Member.objects.create(
                alliance=alliance, name=name, kind=kind, contact_name=contact, contact_email=email, offers=offers,
                status=Member.Status.APPROVED, mou=mou, mou_accepted_at=now, reviewed_at=now)
        Member.objects.create(alliance=alliance, name="Hudson Valley Makers", kind=Member.Kind.NONPROFIT,
                              contact_name="Sam Okafor", contact_email="sam@hvmakers.example",
                              offers=["programs", "space"], about="A makerspace with 3D printers and laser cutters.",
                              mou=mou, mou_accepted_at=now)
        user = get_user_model().objects.create_user(
            username="partner", email="partner@ecgirlscode.example", password=PASSWORD, first_name="Lucia",
            last_name="Mendez")
        staff = MemberStaff.objects.create(user=user, member=members["Electric City Girls Code"], phone="+15185550177",
                                           verified_at=now)
        for other, first, last in (("Schenectady Youth Robotics", "Darnell", "Price"),
                                   ("Mohawk River Science Center", "Grace", "Kim")):
            colleague = get_user_model().objects.create_user(
                username=f"partner-{first.lower()}", email=members[other].contact_email, password=PASSWORD,
                first_name=first, last_name=last)
            MemberStaff.objects.create(user=colleague, member=members[other], verified_at=now)
        self._partner_requests(alliance, staff, members, today)
        skills = {s.slug: s for s in Skill.objects.all()}
        for member_name, fields, subjects in _programs(today):
            place = geo.locate(fields.get("zip_code", ""))
            program = Program.objects.create(
                alliance=alliance, member=members[member_name], status=Program.Status.PUBLISHED, published_at=now,
                join_url="https://example.org/sign-up", join_email=members[member_name].contact_email,
                latitude=place[0] if place else None, longitude=place[1] if place else None, **fields)
            program.subjects.set([skills[s] for s in subjects])
        Program.objects.create(
            alliance=alliance, member=members["Electric City Girls Code"], status=Program.Status.SUBMITTED,
            title="Cyber safety for families", description="An evening on staying safe online, for parents and kids.",
            setting="community", grade_bands="|3-5|6-8|", languages="|en|", virtual=True,
            join_url="https://example.org/cyber")
