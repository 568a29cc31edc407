from django.db import migrations


def move_content_type(apps, schema_editor):
    """Admin history and permissions of Skill follow it to its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="core", model="skill").exists():
        ContentType.objects.filter(app_label="mentors", model="skill").update(app_label="core")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="mentors", model="skill").exists():
        ContentType.objects.filter(app_label="core", model="skill").update(app_label="mentors")


class Migration(migrations.Migration):
    """The moved table takes the app's name (ALTER TABLE ... RENAME: rows, keys and constraints stay)."""

    dependencies = [
        ('core', '0001_initial'),
        ('mentors', '0007_skill_moved'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterModelTable(name='skill', table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
