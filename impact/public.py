"""The alliance's public reach: what the open alliance page may show anyone (programs.views reads it through
the `PROGRAMS_PUBLIC_REACH` setting, so the two apps stay independent).

Aggregates only, for the current school year (the target's, else July to June): students reached, sessions
held, volunteers active, volunteer hours and schools served, each beside the year's goal where one was set.
No name, school or company is ever part of it, and a figure still at zero is left out.
"""
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import figures, scopes

ROWS = (("students", "students"), ("sessions", None), ("mentors", "mentors"), ("hours", "hours"),
        ("schools", "schools"))


def _labels():
    return {"students": _("Students reached"), "sessions": _("Sessions held"), "mentors": _("Volunteers"),
            "hours": _("Volunteer hours"), "schools": _("Schools served")}


def _number(value):
    return formats.number_format(int(round(value)), force_grouping=True)


def public_reach(alliance, *, today=None):
    """[(label, words), ...] of the alliance's reach this school year, in the visitor's language; [] when
    nothing was held yet (the page then hides the block)."""
    today = today or timezone.localdate(timezone=ZoneInfo(alliance.timezone))
    start, end = scopes.default_range(alliance, today)
    scope = figures.Scope(start=start, end=end, tz=alliance.timezone, alliance_id=alliance.pk)
    totals = figures.totals(scope)
    if not totals["sessions"]:
        return []
    target = figures.target_for(alliance.pk, today)
    labels, rows = _labels(), [(_("School year"), f"{start.year}-{end:%y}")]
    for key, goal_field in ROWS:
        if not totals[key]:
            continue
        goal = getattr(target, goal_field, 0) if target and goal_field else 0
        words = (_("%(reached)s of a goal of %(goal)s") % {"reached": _number(totals[key]), "goal": _number(goal)}
                 if goal else _number(totals[key]))
        rows.append((labels[key], words))
    return rows
