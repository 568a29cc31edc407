"""Impact reads one alliance's sessions over a date range (the dashboard, its CSVs, the API): an index on
(alliance, starts_at) lets PostgreSQL find a school year's sessions among millions and join their matches by
index. Created here, beside the reads that need it, as plain SQL: Django's state of scheduling's models is
unchanged."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("impact", "0001_impact"),
        ("scheduling", "0005_mentor_hours_report"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS impact_session_alliance_starts ON scheduling_session (alliance_id, starts_at)",
            "DROP INDEX IF EXISTS impact_session_alliance_starts",
        ),
    ]
