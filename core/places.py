"""Where a US ZIP code is: the one ZIP lookup of the project, from the offline `zipcodes` table (every US ZIP
with its centroid and timezone, no network call, nothing about a visitor sent anywhere).

Volunteers' profiles (mentors.validation), programs' places and the directory's distance search
(programs.geo) all read it. Centroids are approximate (a ZIP is an area, not a point).
"""
import zoneinfo
from dataclasses import dataclass
from functools import cache

import zipcodes


@dataclass(frozen=True)
class ZipPlace:
    zip_code: str
    latitude: float
    longitude: float
    timezone: str
    city: str
    state: str


@cache
def _table():
    # zipcodes.matching scans its whole list (about 7 ms); one dict built once answers in microseconds.
    return {row["zip_code"]: row for row in zipcodes.list_all() if row["lat"] and row["long"]}


def zip_place(code):
    """The ZipPlace of a five-digit US ZIP code (ZIP+4 and spaces tolerated), or None when it is not one."""
    five = (code or "").strip().split("-", 1)[0]
    row = _table().get(five) if len(five) == 5 and five.isdigit() else None
    if row is None:
        return None
    return ZipPlace(five, float(row["lat"]), float(row["long"]), row.get("timezone") or "", row["city"], row["state"])


def zip_codes():
    """Every ZIP code the table places, in order."""
    return sorted(_table())


@cache
def zip_timezones():
    """The real timezones the ZIP table names (the US zones), in order; the table has a few that are not."""
    return tuple(sorted({row.get("timezone") for row in _table().values()} & zoneinfo.available_timezones()))
