"""Offline ZIP geocoding from the centroid table shipped in programs/data/ (no network, no visitor data sent out).

Coverage: the demo alliances' areas only, the Capital Region of New York (Schenectady, Albany, Troy,
Saratoga) and Boston, Cambridge and Somerville; centroids are approximate (about a kilometre). A ZIP
outside the table is "unknown": programs there are listed without a distance, and a distance search
from it says so.
"""
import csv
import math
from functools import cache
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "zip_centroids.csv"
KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LNG_AT_EQUATOR = 111.320
KM_PER_MILE = 1.609344


@cache
def _centroids():
    with TABLE.open(newline="") as handle:
        return {row["zip"]: (float(row["latitude"]), float(row["longitude"])) for row in csv.DictReader(handle)}


def locate(zip_code):
    """(latitude, longitude) of a five-digit ZIP's centroid, or None when the table does not cover it."""
    return _centroids().get((zip_code or "").strip()[:5])


def bounding_box(center, miles):
    """(south, north, west, east) of a box that holds every point within `miles` of `center`."""
    lat, lng = center
    km = miles * KM_PER_MILE
    dlat = km / KM_PER_DEGREE_LAT
    dlng = km / (KM_PER_DEGREE_LNG_AT_EQUATOR * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def miles_between(a, b):
    """Great-circle distance in miles (haversine)."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h)) / KM_PER_MILE
