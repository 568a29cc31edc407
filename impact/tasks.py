"""Thin Celery adapters: the periodic "how did it go?" sweep."""
from celery import shared_task

from . import feedback


@shared_task(name="impact.queue_feedback_requests")
def queue_feedback_requests():
    """Ask about occurrences that ended, remind once those who did not answer (Celery beat, every 10 minutes)."""
    asked, reminded = feedback.queue_feedback_requests()
    return {"asked": asked, "reminded": reminded}
