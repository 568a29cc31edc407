"""What the plumbing tells the domain, or asks it, without knowing it: dotted paths in settings.

notifications/ knows no match, mentor or teacher. Like Django's EMAIL_BACKEND, each setting below names a
function of a higher layer, imported when first called (so tests may override the setting):

- NOTIFICATIONS_SENT_HANDLER(notification): a notification was sent (a worker, a status callback or the
  settling sweep got there first). Called once per notification, inside the transaction that records it.
- NOTIFICATIONS_BEFORE_SENT(notification): called inside the same transaction, before the outbox row is
  updated, so the domain can take its locks in its own order (request, session, match, then notification).
- NOTIFICATIONS_REPLY_HANDLER(*, phone, keyword, choice, body): an inbound text from a known number that is
  not STOP/START/HELP. `keyword` and `choice` are what `inbound.parse` read ("YES", 2); returns an
  `inbound.Outcome`, or None for "not understood" (the text goes to the coordinators' inbox).
- NOTIFICATIONS_ALLIANCE_OF_PHONE(phone): the alliance of the mentor or teacher with this number, or None for
  an unknown number. Used for the inbox and the HELP answer (its name, contact_phone, contact_email).
- NOTIFICATIONS_BAD_NUMBER_HANDLER(phone) and NOTIFICATIONS_BAD_NUMBER_CHECK(phone) -> bool: the provider says
  the number cannot get texts; is it already flagged so? (the profiles that hold phone numbers own the flag).
- NOTIFICATIONS_CALENDAR_FEED(user) -> [calendar.Invitation]: what a personal calendar feed contains.

A later question of the same shape ("does this held message still stand at send time?") gets its own
setting here in the same way.
"""
from django.conf import settings
from django.utils.module_loading import import_string


def call(setting, *args, **kwargs):
    """Call the function the setting names (a dotted path)."""
    return import_string(getattr(settings, setting))(*args, **kwargs)
