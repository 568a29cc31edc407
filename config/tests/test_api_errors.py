"""The API answers a refusal with its own status and code; a missing row that is not a 404 is a bug (500)."""
from django.core.exceptions import ValidationError
from django.http import Http404

from config.api import exception_handler
from core.errors import DomainError
from scheduling.models import Match
from scheduling.services import MatchError
from schools.services import RequestRefused


def answer(exc):
    return exception_handler(exc, {})


def test_a_stale_transition_is_409_with_its_code():
    response = answer(MatchError("This match is confirmed.", code="transition_not_allowed"))
    assert response.status_code == 409
    assert response.data == {"detail": "This match is confirmed.", "code": "transition_not_allowed"}


def test_a_refused_request_is_403_as_its_docstring_says():
    response = answer(RequestRefused("Not verified yet."))
    assert response.status_code == 403 and response.data["code"] == "not_allowed"
    assert "403" in RequestRefused.__doc__


def test_any_domain_error_answers_the_status_it_carries():
    class Gone(DomainError):
        code, http_status = "gone", 410

    response = answer(Gone("That programme closed."))
    assert response.status_code == 410 and response.data == {"detail": "That programme closed.", "code": "gone"}


def test_a_validation_error_is_400_naming_the_field():
    response = answer(ValidationError({"expires": "That date has passed."}))
    assert response.status_code == 400 and "expires" in response.data


def test_only_http404_is_a_404():
    assert answer(Http404()).status_code == 404


def test_a_missing_row_escaping_a_view_is_left_to_django_as_a_500():
    assert answer(Match.DoesNotExist("Match matching query does not exist.")) is None


def test_an_api_path_that_matches_no_route_answers_json_404(client):
    response = client.post("/api/coordinator/volunteers/-5/suspend/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_a_page_that_matches_no_route_answers_the_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
