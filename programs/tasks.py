from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="programs.archive_past_programs")
def archive_past_programs():
    return services.archive_past_programs(today=timezone.localdate())
