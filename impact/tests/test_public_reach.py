"""The alliance's public page shows this school year's reach from the recorded facts, beside its goals, in
the visitor's language; aggregates only (no school, company or person); a blank setting hides the block."""
import pytest
from django.utils import timezone

from impact.forms import school_year_of
from impact.models import Target
from impact.public import public_reach
from mentors.tests.factories import MentorFactory

from .helpers import completed

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_year(teacher, coordinator, mentor):
    other = MentorFactory(company__alliance=teacher.school.alliance)
    completed(teacher, coordinator, mentor, students=1200, hours="2", hour=9)
    completed(teacher, coordinator, other, students=24, hours="1.5", hour=13)
    start, end = school_year_of(timezone.localdate())
    Target.objects.create(alliance=teacher.school.alliance, starts_on=start, ends_on=end, students=2000,
                          mentors=40, hours=0, schools=5)
    return teacher.school.alliance


def test_the_figures_are_this_years_completed_sessions_beside_the_goals(held_year):
    start, end = school_year_of(timezone.localdate())
    assert public_reach(held_year) == [
        ("School year", f"{start.year}-{end:%y}"),
        ("Students reached", "1,224 of a goal of 2,000"),
        ("Sessions held", "2"),
        ("Volunteers", "2 of a goal of 40"),
        ("Volunteer hours", "4"),  # 2 + 1.5 rounded; no hours goal was set
        ("Schools served", "1 of a goal of 5"),
    ]


def test_the_alliance_page_shows_them_in_english_and_spanish_without_names(client, held_year, teacher, mentor):
    english = client.get(f"/alliances/{held_year.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Our reach" in english and "1,224 of a goal of 2,000" in english
    spanish = client.get(f"/alliances/{held_year.slug}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    # Spanish groups digits with a no-break space.
    assert "Estudiantes alcanzados" in spanish and "1\xa0224 de una meta de 2\xa0000" in spanish
    for private in (teacher.school.name, mentor.company.name, mentor.user.last_name, teacher.user.last_name):
        assert private not in english and private not in spanish


def test_a_blank_setting_hides_the_block(client, held_year, settings):
    settings.PROGRAMS_PUBLIC_REACH = ""
    assert "Our reach" not in client.get(f"/alliances/{held_year.slug}/").content.decode()


def test_an_alliance_with_nothing_held_yet_shows_no_block(client, held_year):
    other = MentorFactory().company.alliance
    assert public_reach(other) == []
    assert "Our reach" not in client.get(f"/alliances/{other.slug}/").content.decode()
