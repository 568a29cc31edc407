"""The language switch: a plain form on every page that needs no CSRF token, so public pages set no cookie."""
import pytest
from django.test import Client

from programs.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_a_public_page_sets_no_cookie():
    program = ProgramFactory()
    for path in ("/programs/", f"/programs/{program.pk}/", f"/alliances/{program.member.alliance.slug}/"):
        response = Client().get(path)
        assert response.status_code == 200 and response.cookies == {}, path
        assert 'name="csrfmiddlewaretoken"' not in response.content.decode(), path


def test_the_switch_works_without_a_csrf_token_and_stays_on_the_site():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/programs/"})
    assert response.status_code == 302 and response["Location"] == "/programs/"
    assert response.cookies["django_language"].value == "es"
    assert "csrftoken" not in response.cookies
    page = client.get("/programs/")
    assert page.content.decode().count('<html lang="es"') == 1
    away = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert away.status_code == 302 and away["Location"] == "/"


def test_the_switch_refuses_a_language_the_site_does_not_speak():
    response = Client().post("/i18n/setlang/", {"language": "xx", "next": "/programs/"})
    assert response.status_code == 302 and "django_language" not in response.cookies
