import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from alliances.models import Alliance, Coordinator, Member, MemberStaff
from schools.models import School, Teacher


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw-for-tests")


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alliance

    name = factory.Sequence(lambda n: f"STEM Alliance {n}")
    slug = factory.Sequence(lambda n: f"alliance-{n}")
    contact_email = "hello@alliance.example"
    contact_phone = "+15185550100"
    calendar_email = "calendar@alliance.example"


class CoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coordinator

    user = factory.SubFactory(UserFactory)
    alliance = factory.SubFactory(AllianceFactory)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    alliance = factory.SubFactory(AllianceFactory)
    name = factory.Sequence(lambda n: f"Lincoln Middle School {n}")
    address = "1121 Forest Rd, Schenectady, NY 12303"
    zip_code = "12303"
    latitude = 42.8142
    longitude = -73.9396


class TeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Teacher

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    verified_at = factory.LazyFunction(timezone.now)
    phone = "+15185559000"


class PartnerMemberFactory(factory.django.DjangoModelFactory):
    """An approved nonprofit member of the alliance (no MOU needed for the tests that ask for mentors)."""

    class Meta:
        model = Member

    alliance = factory.SubFactory(AllianceFactory)
    name = factory.Sequence(lambda n: f"Girls Code Club {n}")
    kind = Member.Kind.NONPROFIT
    contact_name = "Rosa Silva"
    contact_email = factory.Sequence(lambda n: f"rosa{n}@code-club.example")
    status = Member.Status.APPROVED


class PartnerSiteFactory(SchoolFactory):
    """A partner's own site: an address, a geocode and a timezone, like a school."""

    kind = School.Kind.PARTNER_SITE
    name = factory.Sequence(lambda n: f"Code Club Community Room {n}")
    address = "432 State St, Schenectady, NY 12305"
    zip_code = "12305"
    latitude = 42.8125
    longitude = -73.9429
    member = factory.SubFactory(PartnerMemberFactory, alliance=factory.SelfAttribute("..alliance"))


class PartnerStaffFactory(factory.django.DjangoModelFactory):
    """A nonprofit's programme staff, vouched for by a coordinator, with their organisation's own site."""

    class Meta:
        model = MemberStaff

    user = factory.SubFactory(UserFactory)
    member = factory.LazyAttribute(lambda staff: PartnerSiteFactory().member)
    verified_at = factory.LazyFunction(timezone.now)
    phone = "+15185559100"
