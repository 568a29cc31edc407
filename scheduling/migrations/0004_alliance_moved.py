from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    """Session.alliance and MatchingRun.alliance point at alliances.Alliance (moved from schools/, same table)."""

    dependencies = [
        ('scheduling', '0003_matching_weights'),
        ('alliances', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The column and its foreign key stay as they are: only the model they point to moved app.
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='session',
                    name='alliance',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sessions', to='alliances.alliance'),
                ),
                migrations.AlterField(
                    model_name='matchingrun',
                    name='alliance',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='matching_runs', to='alliances.alliance'),
                ),
            ],
        ),
    ]
