"""The look an email wears: the alliance's name, logo and colour, as its people's pages show them.

Mail clients fetch images by address, so the logo is an absolute URL on the public site (PUBLIC_BASE_URL),
never a path. It is always a PNG: Gmail and Outlook show no SVG, so an SVG logo is swapped for the PNG of
the same name beside it under static/, or left out (the name alone) when there is none. The alliance is
read by attribute (name, brand_colour, brand_ink(), logo), so core imports no app.
"""
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static

HOUSE = {"name": "Mentorbridge", "colour": "#0b5394", "ink": "#ffffff", "logo": "img/logo.png"}


def email_look(alliance=None):
    """{name, colour, ink, logo_url} of `alliance`'s emails, or the house look when there is no alliance."""
    if alliance is None:
        return {**HOUSE, "logo_url": logo_url(HOUSE["logo"])}
    return {"name": alliance.name, "colour": alliance.brand_colour, "ink": alliance.brand_ink(),
            "logo_url": logo_url(alliance.logo or HOUSE["logo"])}


def logo_url(path):
    """The absolute URL of the PNG for a static `path` (an .svg's .png sibling), or None when there is none."""
    if path.endswith(".svg"):
        path = path[:-len(".svg")] + ".png"
    if not finders.find(path):
        return None
    return urljoin(settings.PUBLIC_BASE_URL.rstrip("/") + "/", static(path))
