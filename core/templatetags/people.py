"""Filters for pages people read: times in the school's or the viewer's zone, never UTC; words for numbers.

    {% load people %}
    {{ session.starts_at|in_zone:school.timezone }}   -> Mon Dec 7, 10:00 AM EST
    {{ notification.created_at|local }}              -> in the viewer's own zone
    {{ start|span:end }} / {{ start|day }}
"""
from django import template

from core import localtime, words

register = template.Library()


@register.filter
def in_zone(moment, tz_name):
    """The moment in `tz_name` (a school's or programme site's zone) with the zone's abbreviation."""
    return localtime.moment_text(moment, tz_name) if moment else ""


@register.filter
def local(moment):
    """The moment in the viewer's own zone (activated per request) with its abbreviation."""
    return localtime.moment_text(moment) if moment else ""


@register.filter
def day(moment, tz_name=None):
    return localtime.day_text(moment, tz_name) if moment else ""


@register.simple_tag
def span(start, end, tz_name=None):
    """{% span start end school.timezone %} -> 'Mon Dec 7, 10:00 AM – 11:00 AM EST'."""
    return localtime.span_text(start, end, tz_name) if start and end else ""


@register.filter
def count_of(number, noun):
    """{{ 3|count_of:"session" }} -> '3 sessions'; {{ 1|count_of:"session" }} -> '1 session'."""
    number = int(number or 0)
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@register.filter
def phone(number):
    """'+15185550123' -> '(518) 555-0123' for a US number; other numbers as stored."""
    return words.phone_text(number)


@register.filter
def status_word(status):
    """A status as a word: 'no_show' -> 'no show'."""
    return (status or "").replace("_", " ")
