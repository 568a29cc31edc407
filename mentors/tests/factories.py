from datetime import date, time, timedelta

import factory
from django.utils.timezone import now

from core.models import Skill
from mentors.models import AvailabilityWindow, Company, Mentor
from schools.tests.factories import AllianceFactory, UserFactory


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    alliance = factory.SubFactory(AllianceFactory)
    name = factory.Sequence(lambda n: f"Acme Labs {n}")
    email_domain = factory.Sequence(lambda n: f"acme{n}.example")


class MentorFactory(factory.django.DjangoModelFactory):
    """An approved, vetted volunteer near Schenectady, free every weekday 8 am - 6 pm New York time."""

    class Meta:
        model = Mentor
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    status = Mentor.Status.APPROVED
    grade_bands = ["K-2", "3-5", "6-8", "9-12"]
    formats = ["in_person", "virtual"]
    languages = ["en"]
    latitude = 42.8142
    longitude = -73.9396
    travel_km = 25
    timezone = "America/New_York"
    phone = factory.Sequence(lambda n: f"+1518555{n % 10000:04d}")
    sms_consent_at = factory.LazyFunction(now)
    sms_consent_text = "I agree to receive texts about mentoring. Reply STOP to opt out."
    background_check_status = Mentor.BackgroundCheck.CLEARED
    background_check_expires = factory.LazyFunction(lambda: date.today() + timedelta(days=365))
    monthly_session_cap = 4

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        slugs = extracted if extracted is not None else ["robotics"]
        self.skills.set(Skill.objects.filter(slug__in=slugs))

    @factory.post_generation
    def weekdays(self, create, extracted, **kwargs):
        for weekday in extracted if extracted is not None else range(5):
            AvailabilityWindow.objects.create(mentor=self, weekday=weekday, start_time=time(8), end_time=time(18))
