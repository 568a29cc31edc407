"""Skill moves here from mentors/ without touching a row.

State only: the model is declared here on its old table (mentors_skill); schools/0006 and mentors/0007 point
their many-to-manys at it and mentors/0007 removes it from the mentors app's state; 0002 renames the table.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('mentors', '0006_vetting_changes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Skill',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.SlugField(unique=True)),
                        ('name', models.CharField(max_length=100)),
                    ],
                    options={'ordering': ['name'], 'db_table': 'mentors_skill'},
                ),
            ],
        ),
    ]
