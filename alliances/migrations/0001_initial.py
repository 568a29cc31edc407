"""Alliance and Coordinator move here from schools/ without touching a row.

State only: the models are declared here on their old tables (schools_alliance, schools_coordinator);
schools/0005 removes them from the schools app's state, and 0002 renames the tables.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('schools', '0004_matching_weights'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Alliance',
                    options={'db_table': 'schools_alliance'},
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('slug', models.SlugField(unique=True)),
                        ('timezone', models.CharField(default='America/New_York', max_length=64)),
                        ('contact_email', models.EmailField(max_length=254)),
                        ('contact_phone', models.CharField(blank=True, max_length=20)),
                        ('calendar_email', models.EmailField(blank=True, max_length=254)),
                        ('weight_skills', models.FloatField(default=0.4, help_text="Share of the session's asked skills the volunteer has.", verbose_name='skills weight')),
                        ('weight_distance', models.FloatField(default=0.2, help_text="Share of the volunteer's travel radius left unused (in-person sessions only).", verbose_name='distance weight')),
                        ('weight_fairness', models.FloatField(default=0.2, help_text='1 / (1 + sessions in the last 90 days), so quieter volunteers come first.', verbose_name='fairness weight')),
                        ('weight_language', models.FloatField(default=0.05, help_text='The session asks for a language, which the volunteer speaks.', verbose_name='language weight')),
                        ('weight_continuity', models.FloatField(default=0.15, help_text='The volunteer has worked with this teacher before.', verbose_name='continuity weight')),
                        ('weights_changed_at', models.DateTimeField(blank=True, null=True)),
                        ('weights_changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                ),
                migrations.CreateModel(
                    name='Coordinator',
                    options={'db_table': 'schools_coordinator'},
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('alliance', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='coordinators', to='alliances.alliance')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='coordinator', to=settings.AUTH_USER_MODEL)),
                    ],
                ),
                migrations.AddConstraint(
                    model_name='alliance',
                    constraint=models.CheckConstraint(condition=models.Q(('weight_skills__gte', 0), ('weight_skills__lte', 10.0)), name='alliance_weight_skills_range'),
                ),
                migrations.AddConstraint(
                    model_name='alliance',
                    constraint=models.CheckConstraint(condition=models.Q(('weight_distance__gte', 0), ('weight_distance__lte', 10.0)), name='alliance_weight_distance_range'),
                ),
                migrations.AddConstraint(
                    model_name='alliance',
                    constraint=models.CheckConstraint(condition=models.Q(('weight_fairness__gte', 0), ('weight_fairness__lte', 10.0)), name='alliance_weight_fairness_range'),
                ),
                migrations.AddConstraint(
                    model_name='alliance',
                    constraint=models.CheckConstraint(condition=models.Q(('weight_language__gte', 0), ('weight_language__lte', 10.0)), name='alliance_weight_language_range'),
                ),
                migrations.AddConstraint(
                    model_name='alliance',
                    constraint=models.CheckConstraint(condition=models.Q(('weight_continuity__gte', 0), ('weight_continuity__lte', 10.0)), name='alliance_weight_continuity_range'),
                ),
                migrations.AddConstraint(
                    model_name='alliance',
                    constraint=models.CheckConstraint(condition=models.Q(('weight_skills__gt', 0), ('weight_distance__gt', 0), ('weight_fairness__gt', 0), ('weight_language__gt', 0), ('weight_continuity__gt', 0), _connector='OR'), name='alliance_weights_not_all_zero'),
                ),
            ],
        ),
    ]
