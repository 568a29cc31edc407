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
- NOTIFICATIONS_BAD_NUMBER_HANDLER(phone): the provider says the number cannot get texts (the profiles that
  hold phone numbers own the flag). NOTIFICATIONS_INVALID_NUMBERS() -> a query of the phone values flagged so
  (`.values("phone")`); the outbox's claim embeds it as a subquery, so no text goes to them. Its SQL is
  compiled once per process: the query may not embed values that change (it is evaluated at each claim).
- NOTIFICATIONS_STILL_STANDS(notification) -> reason or None: asked at send time, for a row the domain wrote
  with a `stands_for`, whether the message is still true (the match is still in the state it was written
  for, the session has not started). A reason withdraws the row, recorded, instead of sending it.
- NOTIFICATIONS_CALENDAR_FEED(user) -> [calendar.Invitation]: what a personal calendar feed contains.
"""
from django.conf import settings
from django.utils.module_loading import import_string


def call(setting, *args, **kwargs):
    """Call the function the setting names (a dotted path)."""
    return import_string(getattr(settings, setting))(*args, **kwargs)
