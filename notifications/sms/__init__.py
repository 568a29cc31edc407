"""SMS backends, chosen by the SMS_BACKEND setting the way Django picks EMAIL_BACKEND."""
from django.conf import settings
from django.utils.module_loading import import_string

from .base import SentSms, SmsError


def get_backend(path=None):
    """An instance of the configured SMS backend (or of `path`)."""
    return import_string(path or settings.SMS_BACKEND)()


def send_sms(*, to, body, status_callback=None):
    """Send one text through the configured backend. Raises SmsError; says whether a retry could help."""
    return get_backend().send(to=to, body=body, status_callback=status_callback)


__all__ = ["SentSms", "SmsError", "get_backend", "send_sms"]
