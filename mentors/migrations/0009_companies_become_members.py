"""Every existing company becomes an approved member of its alliance, linked one to one; nothing else changes.

Its contact is left blank (none was on record) and it accepted no versioned MOU; the coordinator's member
list says so. Backwards, the members this made are removed and the companys are as they were.
"""
from django.db import migrations

NOTE = "On record before the alliance kept a member list."


def forwards(apps, schema_editor):
    Member = apps.get_model("alliances", "Member")
    Model = apps.get_model("mentors", "Company")
    for row in Model.objects.filter(member__isnull=True).iterator():
        member = Member.objects.create(alliance_id=row.alliance_id, name=row.name[:200], kind="company",
                                       status="approved", review_note=NOTE)
        Model.objects.filter(pk=row.pk).update(member=member)


def backwards(apps, schema_editor):
    Member = apps.get_model("alliances", "Member")
    Member.objects.filter(kind="company", review_note=NOTE, company__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [("mentors", "0008_company_member"), ("alliances", "0005_members_and_mou")]

    operations = [migrations.RunPython(forwards, backwards)]
