"""Numbers said the way people say them: distances in the alliance's unit, counts with their noun, lists."""
import math

KM_PER_MILE = 1.609344


def distance_text(km, unit="mi"):
    """'6 miles' / '1 mile' / '10 km' / 'under 1 mile' for a distance in km, in `unit` ('mi' or 'km')."""
    value = km / KM_PER_MILE if unit == "mi" else km
    if value < 1:
        return "under 1 mile" if unit == "mi" else "under 1 km"
    whole = round(value)
    if unit == "mi":
        return f"{whole} mile" if whole == 1 else f"{whole} miles"
    return f"{whole} km"


def to_km(value, unit="mi"):
    """A distance a person typed in `unit`, in whole km (how it is stored)."""
    return round(value * KM_PER_MILE) if unit == "mi" else round(value)


def from_km(km, unit="mi"):
    return round(km / KM_PER_MILE) if unit == "mi" else km


def great_circle_km(a, b):
    """Distance in km between two (latitude, longitude) points in degrees."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(h, 1.0)))


def count(number, noun, plural=None):
    """'1 session', '3 sessions'."""
    return f"{number} {noun}" if number == 1 else f"{number} {plural or noun + 's'}"


def joined(items):
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def phone_text(number):
    """'+15185550123' -> '(518) 555-0123' for a US number; other numbers as stored."""
    number = number or ""
    if len(number) == 12 and number.startswith("+1") and number[1:].isdigit():
        return f"({number[2:5]}) {number[5:8]}-{number[8:]}"
    return number
