"""Emails people are promised, as HTML with a plain-text alternative, through the outbox.

Each is rendered from `templates/emails/<name>.txt` and `.html`, which extend the one themed base
(`emails/base.html`, `emails/base.txt`): the alliance's name at the top, and a footer saying why the
reader got it. The context must carry `alliance_name` and `why`.
"""
from django.template.loader import render_to_string

from .services import queue_notification


def render(name, context):
    """(text, html) of emails/<name>."""
    return (render_to_string(f"emails/{name}.txt", context).strip() + "\n",
            render_to_string(f"emails/{name}.html", context))


def queue_email(*, key, kind, to, subject, template, context, match=None):
    """Queue one email (once per key) with its HTML alternative."""
    text, html = render(template, context)
    return queue_notification(key=key, channel="email", kind=kind, to=to, subject=subject, body=text, html=html,
                              match=match)
