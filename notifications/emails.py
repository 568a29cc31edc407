"""Emails people are promised, as HTML with a plain-text alternative, through the outbox.

Each is rendered from `templates/emails/<name>.txt` and `.html`, which extend the one themed base
(`emails/base.html`, `emails/base.txt`): the alliance's name, logo and colour at the top (core.brand), and
a footer saying why the reader got it. The context must carry `why`; `alliance` is the alliance whose look
the email wears (None for the house look).
"""
from django.template.loader import render_to_string

from core.brand import email_look

from .services import queue_notification


def render(name, context, *, alliance=None):
    """(text, html) of emails/<name>, in `alliance`'s look."""
    brand = email_look(alliance)
    context = {"alliance_name": brand["name"], **context, "brand": brand}
    return (render_to_string(f"emails/{name}.txt", context).strip() + "\n",
            render_to_string(f"emails/{name}.html", context))


def queue_email(*, key, kind, to, subject, template, context, alliance, match=None):
    """Queue one email (once per key) with its HTML alternative, in `alliance`'s look."""
    text, html = render(template, context, alliance=alliance)
    return queue_notification(key=key, channel="email", kind=kind, to=to, subject=subject, body=text, html=html,
                              match=match)
