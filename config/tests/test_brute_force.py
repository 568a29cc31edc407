"""Brute force and abuse are throttled (issue 11, point 4): lockout by username and IP, and per-IP rates."""
import pytest
from django.test import Client

from mentors.tests.factories import MentorFactory
from schools.tests.factories import CoordinatorFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests"


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def fail_login(client, username, times):
    for _ in range(times):
        client.post("/accounts/login/", {"username": username, "password": "wrong"})


def test_the_login_page_locks_a_username_after_the_limit_with_a_clear_message(limit):
    user = UserFactory(username="ada", email="ada@acme.example")
    client = Client()
    fail_login(client, "ada", limit)
    response = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert user.pk


def test_typing_the_email_instead_counts_against_the_same_account(limit):
    UserFactory(username="ada", email="ada@acme.example")
    client = Client()
    fail_login(client, "ADA@acme.example", limit)
    response = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 429


def test_the_lockout_is_per_username_and_ip_so_others_still_sign_in(limit):
    UserFactory(username="ada", email="ada@acme.example")
    UserFactory(username="grace", email="grace@acme.example")
    client = Client()
    fail_login(client, "ada", limit)
    assert client.post("/accounts/login/", {"username": "grace", "password": PASSWORD}).status_code == 302
    other_ip = Client(REMOTE_ADDR="10.0.0.9")
    assert other_ip.post("/accounts/login/", {"username": "ada", "password": PASSWORD}).status_code == 302


def test_the_lockout_ends_after_the_cool_off(limit, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt

    UserFactory(username="ada", email="ada@acme.example")
    client = Client()
    fail_login(client, "ada", limit)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(hours=1))
    assert client.post("/accounts/login/", {"username": "ada", "password": PASSWORD}).status_code == 302


def test_the_token_endpoint_is_locked_out_too(limit, api):
    UserFactory(username="ada", email="ada@acme.example")
    for _ in range(limit - 1):
        assert api().post("/api/auth/token/", {"username": "ada", "password": "wrong"}).status_code == 400
    assert api().post("/api/auth/token/", {"username": "ada", "password": "wrong"}).status_code == 429
    response = api().post("/api/auth/token/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


def test_the_token_endpoint_accepts_an_email(api):
    UserFactory(username="ada", email="ada@acme.example")
    response = api().post("/api/auth/token/", {"username": "Ada@acme.example", "password": PASSWORD})
    assert response.status_code == 200 and response.json()["token"]


def test_a_coordinator_unlocks_a_volunteer_of_their_alliance(limit, api):
    mentor = MentorFactory(user__username="ada", user__email="ada@acme.example")
    coordinator = CoordinatorFactory(alliance=mentor.company.alliance)
    client = Client()
    fail_login(client, "ada", limit)
    response = api(coordinator.user).post("/api/coordinator/unlock/", {"username": "ada@acme.example"})
    assert response.status_code == 200 and response.json()["unlocked"] >= 1
    assert client.post("/accounts/login/", {"username": "ada", "password": PASSWORD}).status_code == 302


def test_a_coordinator_cannot_unlock_someone_of_another_alliance(limit, api):
    MentorFactory(user__username="ada", user__email="ada@acme.example")
    stranger = CoordinatorFactory()
    client = Client()
    fail_login(client, "ada", limit)
    assert api(stranger.user).post("/api/coordinator/unlock/", {"username": "ada"}).status_code == 404
    assert client.post("/accounts/login/", {"username": "ada", "password": PASSWORD}).status_code == 429


def test_login_by_email_works_for_an_account_whose_username_is_not_its_email():
    UserFactory(username="coordinator", email="coordinator@alliance.example")
    client = Client()
    response = client.post("/accounts/login/", {"username": "Coordinator@alliance.example", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session


@pytest.fixture
def tight_rates(settings):
    rates = {"token": "2/min", "signup": "2/min", "invite-accept": "2/min", "password-reset": "2/min",
             "verify-email": "2/min", "join": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    original = SimpleRateThrottle.THROTTLE_RATES
    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = rates
    yield
    # The class attribute, not api_settings: those are still the tight rates until `settings` is restored.
    SimpleRateThrottle.THROTTLE_RATES = original


@pytest.mark.parametrize("path, body", [
    ("/api/auth/token/", {"username": "nobody", "password": "x"}),
    ("/api/signup/volunteer/", {"email": "x@nowhere.example"}),
    ("/api/signup/teacher/", {"email": "x@nowhere.example"}),
    ("/api/teacher-invites/accept/", {"token": "bad"}),
    ("/api/verify-email/", {"token": "bad"}),
])
def test_each_public_api_door_answers_429_past_its_rate(tight_rates, api, path, body):
    codes = [api().post(path, body, format="json").status_code for _ in range(3)]
    assert codes[:2] != [429, 429] and codes[2] == 429


@pytest.mark.parametrize("path, body", [
    ("/accounts/password_reset/", {"email": "x@nowhere.example"}),
    ("/volunteer/signup/", {"email": "x@nowhere.example"}),
    ("/teacher/signup/", {"email": "x@nowhere.example"}),
])
def test_each_public_page_answers_429_past_its_rate(tight_rates, path, body):
    client = Client()
    codes = [client.post(path, body).status_code for _ in range(3)]
    assert 429 not in codes[:2] and codes[2] == 429
    assert "Too many tries" in client.post(path, body).content.decode()


def test_throttle_counts_do_not_leak_between_tests_part_one(tight_rates, api):
    for _ in range(2):
        api().post("/api/verify-email/", {"token": "bad"}, format="json")


def test_throttle_counts_do_not_leak_between_tests_part_two(tight_rates, api):
    assert api().post("/api/verify-email/", {"token": "bad"}, format="json").status_code == 400


def test_a_forged_forwarded_for_header_does_not_dodge_a_throttle(tight_rates, api):
    codes = [api().post("/api/verify-email/", {"token": "bad"}, format="json",
                        HTTP_X_FORWARDED_FOR=f"10.9.9.{n}").status_code for n in range(3)]
    assert codes[2] == 429


def test_a_forged_forwarded_for_header_does_not_dodge_a_lockout(limit):
    UserFactory(username="ada", email="ada@acme.example")
    for n in range(limit):
        Client(HTTP_X_FORWARDED_FOR=f"10.9.9.{n}").post("/accounts/login/", {"username": "ada", "password": "x"})
    response = Client(HTTP_X_FORWARDED_FOR="10.9.9.99").post("/accounts/login/",
                                                              {"username": "ada", "password": PASSWORD})
    assert response.status_code == 429


def test_behind_one_proxy_the_address_it_appended_is_the_one_locked_out(limit, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    UserFactory(username="ada", email="ada@acme.example")

    def via_proxy(client_ip, forged="6.6.6.6"):
        return Client(HTTP_X_FORWARDED_FOR=f"{forged}, {client_ip}", REMOTE_ADDR="10.0.0.1")

    for n in range(limit):
        via_proxy("203.0.113.7", forged=f"6.6.6.{n}").post("/accounts/login/", {"username": "ada", "password": "x"})
    assert via_proxy("203.0.113.7", forged="1.2.3.4").post(
        "/accounts/login/", {"username": "ada", "password": PASSWORD}).status_code == 429
    assert via_proxy("198.51.100.2").post("/accounts/login/", {"username": "ada", "password": PASSWORD}
                                          ).status_code == 302
