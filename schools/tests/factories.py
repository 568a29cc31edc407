import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from alliances.models import Alliance, Coordinator
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
