"""The one ZIP lookup: every US ZIP offline, with its centroid and timezone; anything else is None."""
import pytest

from core.places import zip_place


@pytest.mark.parametrize(("code", "city", "state", "tz"), [
    ("12308", "Schenectady", "NY", "America/New_York"),
    ("90012", "Los Angeles", "CA", "America/Los_Angeles"),
    ("99501", "Anchorage", "AK", "America/Anchorage"),
    (" 02139-4307 ", "Cambridge", "MA", "America/New_York"),
])
def test_a_zip_anywhere_in_the_us_is_placed_offline(code, city, state, tz):
    place = zip_place(code)
    assert (place.city, place.state, place.timezone) == (city, state, tz)
    assert -90 <= place.latitude <= 90 and -180 <= place.longitude <= 180


@pytest.mark.parametrize("code", ["", None, "00000", "99999", "1230", "123456", "12a45", "ABCDE"])
def test_what_is_not_a_us_zip_is_none(code):
    assert zip_place(code) is None
