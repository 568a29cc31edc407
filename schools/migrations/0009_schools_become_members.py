"""Every existing school becomes an approved member of its alliance, linked one to one; nothing else changes.

Its contact is left blank (none was on record) and it accepted no versioned MOU; the coordinator's member
list says so. Backwards, the members this made are removed and the schools are as they were.
"""
from django.db import migrations

NOTE = "On record before the alliance kept a member list."


def forwards(apps, schema_editor):
    Member = apps.get_model("alliances", "Member")
    Model = apps.get_model("schools", "School")
    for row in Model.objects.filter(member__isnull=True).iterator():
        member = Member.objects.create(alliance_id=row.alliance_id, name=row.name[:200], kind="school",
                                       status="approved", review_note=NOTE)
        Model.objects.filter(pk=row.pk).update(member=member)


def backwards(apps, schema_editor):
    Member = apps.get_model("alliances", "Member")
    Member.objects.filter(kind="school", review_note=NOTE, school__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [("schools", "0008_school_member"), ("alliances", "0005_members_and_mou")]

    operations = [migrations.RunPython(forwards, backwards)]
