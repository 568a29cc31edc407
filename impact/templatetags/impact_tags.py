"""Figures in words a person reads: percentages, rounded hours, "not enough data yet" instead of None."""
from django import template

register = template.Library()


@register.filter
def percent(value):
    if value is None:
        return "not enough data yet"
    return f"{float(value) * 100:.0f}%"


@register.filter
def number(value):
    if value is None:
        return "—"
    value = float(value)
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


@register.filter
def rating(value):
    return "no ratings yet" if value is None else f"{float(value):.1f} of 5"
