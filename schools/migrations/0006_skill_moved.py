from django.db import migrations, models


class Migration(migrations.Migration):
    """MentorRequest.skills points at core.Skill (moved from mentors/, same table, same join table)."""

    dependencies = [
        ('schools', '0005_alliance_moved_out'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The join table and its foreign keys stay as they are: only the model they point to moved app.
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='mentorrequest',
                    name='skills',
                    field=models.ManyToManyField(blank=True, related_name='requests', to='core.skill'),
                ),
            ],
        ),
    ]
