from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    """Alliance and Coordinator now live in alliances/: leave the schools app's state, keep every row."""

    dependencies = [
        ('schools', '0004_matching_weights'),
        ('alliances', '0001_initial'),
        ('mentors', '0005_alliance_moved'),
        ('scheduling', '0004_alliance_moved'),
        ('notifications', '0004_alliance_moved'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='school',
                    name='alliance',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='schools', to='alliances.alliance'),
                ),
                migrations.DeleteModel(name='Coordinator'),
                migrations.DeleteModel(name='Alliance'),
            ],
        ),
    ]
