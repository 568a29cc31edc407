from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    """Company.alliance points at alliances.Alliance (moved from schools/, same table)."""

    dependencies = [
        ('mentors', '0004_onboarding'),
        ('alliances', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The column and its foreign key stay as they are: only the model they point to moved app.
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='company',
                    name='alliance',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='companies', to='alliances.alliance'),
                ),
            ],
        ),
    ]
