"""Distances for the directory: ZIP codes placed offline through `core.places` (every US ZIP, no network, no
visitor data sent out), a box the index narrows and the great-circle distance.

A ZIP the table does not know (not a US ZIP) is "unknown": a distance search from it says so, and a
program there is listed without a distance.
"""
import math

from core.places import zip_place

KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LNG_AT_EQUATOR = 111.320
KM_PER_MILE = 1.609344


def locate(zip_code):
    """(latitude, longitude) of a five-digit US ZIP's centroid, or None when it is not a known ZIP."""
    found = zip_place(zip_code)
    return (found.latitude, found.longitude) if found else None


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
