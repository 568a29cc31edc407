"""Which figures a caller asked for: the filter form read into a `figures.Scope`, for pages and the API alike."""
from zoneinfo import ZoneInfo

from django.utils import timezone

from . import figures
from .forms import ImpactFilter, school_year_of


def default_range(alliance, today):
    """The school year of the alliance's target holding `today`, else July to June around it."""
    target = figures.target_for(alliance.pk, today)
    return (target.starts_on, target.ends_on) if target else school_year_of(today)


def _read(query, alliance):
    """(form, (start, end, filters)) or (form, None) when the query is not valid."""
    today = timezone.localdate(timezone=ZoneInfo(alliance.timezone))
    form = ImpactFilter(query or None, alliance=alliance, default_range=lambda: default_range(alliance, today))
    if not query:
        return form, (*form.default_range, {})
    if not form.is_valid():
        return form, None
    return form, (form.cleaned_data["start"], form.cleaned_data["end"], form.criteria())


def coordinator_scope(query, coordinator):
    """(filter form, Scope of the coordinator's alliance, or None when the filters are not valid)."""
    alliance = coordinator.alliance
    form, read = _read(query, alliance)
    if read is None:
        return form, None
    start, end, criteria = read
    return form, figures.Scope(start=start, end=end, tz=alliance.timezone, alliance_id=alliance.pk, filters=criteria)


def company_scope(query, lead):
    """(filter form, Scope of the lead's own company only, or None). Other filters narrow within it."""
    alliance = lead.company.alliance
    form, read = _read(query, alliance)
    if read is None:
        return form, None
    start, end, criteria = read
    criteria.pop("company", None)
    return form, figures.Scope(start=start, end=end, tz=alliance.timezone, company_id=lead.company_id,
                               filters=criteria)
