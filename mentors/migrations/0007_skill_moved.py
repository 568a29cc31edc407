from django.db import migrations, models


class Migration(migrations.Migration):
    """Skill now lives in core/: Mentor.skills points there and the mentors app's state lets it go; every row stays."""

    dependencies = [
        ('mentors', '0006_vetting_changes'),
        ('core', '0001_initial'),
        ('schools', '0006_skill_moved'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='mentor',
                    name='skills',
                    field=models.ManyToManyField(blank=True, related_name='mentors', to='core.skill'),
                ),
                migrations.DeleteModel(name='Skill'),
            ],
        ),
    ]
