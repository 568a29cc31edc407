from django.db import migrations

from mentors.skills import CURATED_SKILLS


def add_skills(apps, schema_editor):
    Skill = apps.get_model("mentors", "Skill")
    for slug, name in CURATED_SKILLS:
        Skill.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("mentors", "0002_initial")]
    operations = [migrations.RunPython(add_skills, migrations.RunPython.noop)]
