"""Skill moved from mentors/ to core/ by migrations: every skill, and every volunteer's and request's choice of
skills, is the same row before and after, both ways."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.models import Skill
from mentors.tests.factories import MentorFactory
from scheduling.tests.factories import make_request
from schools.models import MentorRequest

BEFORE = [("mentors", "0006_vetting_changes"), ("schools", "0005_alliance_moved_out"), ("core", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _rows(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(cursor.fetchall())


def _tables():
    return set(connection.introspection.table_names())


@pytest.mark.django_db(transaction=True)
def test_skills_and_who_chose_them_survive_the_move_both_ways():
    extra = Skill.objects.create(slug="origami", name="Origami")
    mentor = MentorFactory(skills=["robotics", "origami"])
    request = make_request(skills=("origami", "physics"))
    skills = sorted(Skill.objects.values_list("pk", "slug", "name"))
    robotics = Skill.objects.get(slug="robotics")
    try:
        _migrate(BEFORE)
        assert "mentors_skill" in _tables() and "core_skill" not in _tables()
        assert _rows("SELECT id, slug, name FROM mentors_skill") == skills
        assert _rows(f"SELECT skill_id FROM mentors_mentor_skills WHERE mentor_id = {mentor.pk}") == sorted(
            [(robotics.pk,), (extra.pk,)])
        assert len(_rows(f"SELECT skill_id FROM schools_mentorrequest_skills WHERE mentorrequest_id = {request.pk}"))\
            == 2
    finally:
        _migrate(_latest())
    assert "core_skill" in _tables() and "mentors_skill" not in _tables()
    assert sorted(Skill.objects.values_list("pk", "slug", "name")) == skills
    assert set(mentor.skills.values_list("slug", flat=True)) == {"robotics", "origami"}
    assert set(MentorRequest.objects.get(pk=request.pk).skills.values_list("slug", flat=True)) == {"origami", "physics"}
    assert set(extra.mentors.all()) == {mentor} and set(extra.requests.values_list("pk", flat=True)) == {request.pk}
