from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    """InboundMessage.alliance points at alliances.Alliance (moved from schools/, same table)."""

    dependencies = [
        ('notifications', '0003_longer_notification_keys'),
        ('alliances', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The column and its foreign key stay as they are: only the model they point to moved app.
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='inboundmessage',
                    name='alliance',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='inbound_messages', to='alliances.alliance'),
                ),
            ],
        ),
    ]
