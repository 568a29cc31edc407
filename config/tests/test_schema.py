"""The OpenAPI schema tells the truth (issue 11, point 6)."""
import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def component(schema, name):
    return schema["components"]["schemas"][name]


def resolved(schema, prop):
    ref = prop.get("$ref") or prop.get("allOf", [{}])[0].get("$ref")
    return component(schema, ref.rsplit("/", 1)[-1]) if ref else prop


def test_a_match_documents_its_mentor_and_session_as_objects(schema):
    match = component(schema, "Match")["properties"]
    mentor, session = resolved(schema, match["mentor"]), resolved(schema, match["session"])
    assert mentor["type"] == "object" and {"id", "name", "company"} <= set(mentor["properties"])
    assert session["type"] == "object" and session["properties"]["intervals"]["type"] == "array"


def test_session_intervals_are_pairs_of_datetimes(schema):
    intervals = component(schema, "Session")["properties"]["intervals"]
    assert intervals["items"]["type"] == "array" and intervals["items"]["items"]["format"] == "date-time"


def test_meeting_link_may_be_blank(schema):
    link = component(schema, "MentorRequest")["properties"]["meeting_link"]
    assert {"maxLength": 0} in link["anyOf"]


def test_blackout_dates_are_read_back(schema):
    blackout = component(schema, "MentorProfile")["properties"]["blackout_dates"]
    assert not blackout.get("writeOnly")


def test_times_of_day_have_a_pattern_not_an_rfc3339_format(schema):
    start = component(schema, "AvailabilityWindow")["properties"]["start_time"]
    assert "format" not in start and start["pattern"].startswith("^")


def test_every_operation_documents_its_error_bodies(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "403", "404", "409"} <= set(operation["responses"]), (method, path)
    assert component(schema, "FieldErrors")["type"] == "object"


@pytest.mark.parametrize("path, method", [("/api/me/calendar-feed/", "get"), ("/api/matching-runs/", "get"),
                                          ("/api/matching-runs/", "post")])
def test_the_calendar_feed_and_matching_run_views_are_schemad(schema, path, method):
    responses = schema["paths"][path][method]["responses"]
    ok = next(code for code in responses if code.startswith("2"))
    assert "content" in responses[ok]
