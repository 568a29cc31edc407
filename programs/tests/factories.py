import factory
from django.utils import timezone

from alliances.models import Member, MemberStaff, Mou
from programs.models import Program
from schools.tests.factories import AllianceFactory, UserFactory


class MouFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mou
        django_get_or_create = ["alliance", "version"]

    alliance = factory.SubFactory(AllianceFactory)
    version = 1
    text = "Members share what they run, keep students safe and meet twice a year."
    text_es = "Los miembros comparten lo que ofrecen, protegen a los estudiantes y se reúnen dos veces al año."


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    alliance = factory.SubFactory(AllianceFactory)
    name = factory.Sequence(lambda n: f"Youth Science Club {n}")
    kind = Member.Kind.NONPROFIT
    contact_name = "Rosa Silva"
    contact_email = factory.Sequence(lambda n: f"rosa{n}@club.example")
    offers = ["programs"]
    status = Member.Status.APPROVED
    mou = factory.LazyAttribute(lambda m: MouFactory(alliance=m.alliance))
    mou_accepted_at = factory.LazyFunction(timezone.now)


class MemberStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberStaff

    user = factory.SubFactory(UserFactory)
    member = factory.SubFactory(MemberFactory)
    verified_at = factory.LazyFunction(timezone.now)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    member = factory.SubFactory(MemberFactory)
    alliance = factory.LazyAttribute(lambda p: p.member.alliance)
    title = factory.Sequence(lambda n: f"Program {n}")
    description = "Students build and test things together."
    setting = Program.Setting.AFTER_SCHOOL
    grade_bands = "|6-8|"
    languages = "|en|"
    zip_code = "12308"
    latitude = 42.82
    longitude = -73.92
    join_url = "https://club.example/join"
    status = Program.Status.PUBLISHED
