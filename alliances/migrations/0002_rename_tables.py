from django.db import migrations


def move_content_types(apps, schema_editor):
    """Admin history and permissions of the two models follow them to their new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("alliance", "coordinator"):
        if not ContentType.objects.filter(app_label="alliances", model=model).exists():
            ContentType.objects.filter(app_label="schools", model=model).update(app_label="alliances")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("alliance", "coordinator"):
        if not ContentType.objects.filter(app_label="schools", model=model).exists():
            ContentType.objects.filter(app_label="alliances", model=model).update(app_label="schools")


class Migration(migrations.Migration):
    """The moved tables take the app's name (ALTER TABLE ... RENAME: rows, keys and constraints stay)."""

    dependencies = [
        ('alliances', '0001_initial'),
        ('schools', '0005_alliance_moved_out'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterModelTable(name='alliance', table=None),
        migrations.AlterModelTable(name='coordinator', table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
