"""An alliance's matching weights: one service with one rule, the coordinator's page, the API and the admin."""
import math

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from alliances import services as alliance_services
from alliances.models import Alliance
from mentors.tests.factories import MentorFactory
from scheduling.engine import Weights
from schools import services
from schools.tests.factories import AllianceFactory, CoordinatorFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db

DEFAULTS = {"skills": 0.4, "distance": 0.2, "fairness": 0.2, "language": 0.05, "continuity": 0.15, "rating": 0.0}
TUNED = {"skills": 1.0, "distance": 3.5, "fairness": 0.0, "language": 0.5, "continuity": 10, "rating": 2.0}
API = "/api/alliance/matching-weights/"
PAGE = "/coordinator/matching-weights/"


@pytest.fixture
def coordinator():
    return CoordinatorFactory()


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator.user)
    return client


def weights_of(alliance):
    alliance.refresh_from_db()
    return alliance.matching_weights()


# --- the service -------------------------------------------------------------------

def test_a_new_alliance_scores_with_the_engines_defaults():
    assert AllianceFactory().matching_weights() == Weights().as_dict()


def test_setting_weights_records_who_changed_them_and_when(coordinator):
    alliance = alliance_services.set_matching_weights(alliance=coordinator.alliance, by=coordinator.user, **TUNED)
    assert weights_of(alliance) == TUNED
    assert alliance.weights_changed_by == coordinator.user
    assert alliance.weights_changed_at is not None


def test_the_bounds_themselves_are_allowed(coordinator):
    bounds = {**DEFAULTS, "skills": 10, "distance": 0}
    alliance_services.set_matching_weights(alliance=coordinator.alliance, by=coordinator.user, **bounds)
    assert weights_of(coordinator.alliance) == bounds


@pytest.mark.parametrize("part", list(DEFAULTS))
@pytest.mark.parametrize("value", [-0.01, 10.01, math.nan, math.inf, -math.inf, "0.4", None, True])
def test_each_weight_must_be_a_finite_number_from_0_to_10(coordinator, part, value):
    with pytest.raises(services.ValidationError) as refused:
        alliance_services.set_matching_weights(alliance=coordinator.alliance, by=coordinator.user,
                                      **{**DEFAULTS, part: value})
    assert list(refused.value.message_dict) == [part]
    assert weights_of(coordinator.alliance) == DEFAULTS


def test_all_weights_at_zero_are_refused(coordinator):
    with pytest.raises(services.ValidationError) as refused:
        alliance_services.set_matching_weights(alliance=coordinator.alliance, by=coordinator.user,
                                      **dict.fromkeys(DEFAULTS, 0))
    assert refused.value.code == "all_zero"
    assert coordinator.alliance.weights_changed_at is None


def test_reset_brings_back_the_engines_defaults_and_is_recorded(coordinator):
    alliance_services.set_matching_weights(alliance=coordinator.alliance, by=coordinator.user, **TUNED)
    alliance = alliance_services.reset_matching_weights(alliance=coordinator.alliance, by=coordinator.user)
    assert alliance.matching_weights() == Weights().as_dict()
    assert alliance.weights_changed_by == coordinator.user


@pytest.mark.parametrize("values", [
    {"weight_distance": -1}, {"weight_skills": 10.5}, {"weight_fairness": math.nan}, {"weight_language": math.inf},
    {f"weight_{part}": 0 for part in DEFAULTS},
])
def test_the_database_refuses_weights_that_bypass_the_service(values):
    alliance = AllianceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Alliance.objects.filter(pk=alliance.pk).update(**values)


# --- the API -----------------------------------------------------------------------

def test_a_coordinator_reads_the_alliances_weights_and_the_defaults(api, coordinator):
    body = api(coordinator.user).get(API).json()
    assert {part: body[part] for part in DEFAULTS} == DEFAULTS
    assert body["defaults"] == DEFAULTS
    assert (body["changed_at"], body["changed_by"]) == (None, None)


def test_a_coordinator_patches_one_weight_and_the_others_stay(api, coordinator):
    response = api(coordinator.user).patch(API, {"distance": 1.5}, format="json")
    assert response.status_code == 200
    assert response.json()["distance"] == 1.5
    assert response.json()["changed_by"] == coordinator.user.get_full_name()
    assert weights_of(coordinator.alliance) == {**DEFAULTS, "distance": 1.5}


@pytest.mark.parametrize("value", [-1, 10.5, "NaN", "Infinity", "lots", None])
def test_a_bad_weight_gets_400_naming_the_field_and_changes_nothing(api, coordinator, value):
    response = api(coordinator.user).patch(API, {"fairness": value}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["fairness"]
    assert weights_of(coordinator.alliance) == DEFAULTS


def test_all_zero_through_the_api_is_400_and_changes_nothing(api, coordinator):
    response = api(coordinator.user).patch(API, dict.fromkeys(DEFAULTS, 0), format="json")
    assert response.status_code == 400
    assert "at least one weight" in response.json()["detail"][0]
    assert weights_of(coordinator.alliance) == DEFAULTS


def test_a_misspelled_weight_is_400_not_silently_ignored(api, coordinator):
    response = api(coordinator.user).patch(API, {"distnace": 2}, format="json")
    assert response.status_code == 400 and "distnace" in response.json()


@pytest.mark.parametrize("who", ["anonymous", "teacher", "volunteer"])
def test_only_coordinators_reach_the_weights(api, coordinator, who):
    user = {"anonymous": None, "teacher": lambda: TeacherFactory().user,
            "volunteer": lambda: MentorFactory().user}[who]
    client = api(user() if user else None)
    assert client.get(API).status_code in (401, 403)
    assert client.patch(API, {"distance": 5}, format="json").status_code in (401, 403)
    assert weights_of(coordinator.alliance) == DEFAULTS


def test_a_coordinator_never_sees_or_changes_another_alliances_weights(api, coordinator):
    alliance_services.set_matching_weights(alliance=coordinator.alliance, by=coordinator.user, **TUNED)
    outsider = CoordinatorFactory()
    assert api(outsider.user).get(API).json()["distance"] == DEFAULTS["distance"]
    api(outsider.user).patch(API, {"distance": 7}, format="json")
    assert weights_of(coordinator.alliance) == TUNED
    assert weights_of(outsider.alliance) == {**DEFAULTS, "distance": 7}


def test_the_weights_are_in_the_openapi_schema(api):
    schema = api(UserFactory()).get("/api/schema/?format=json").json()
    operations = schema["paths"][API]
    assert set(operations) >= {"get", "patch"}
    assert "distance" in schema["components"]["schemas"]["MatchingWeights"]["properties"]


def test_past_runs_in_the_api_say_which_weights_they_used(api, coordinator):
    from scheduling.models import MatchingRun

    MatchingRun.objects.create(alliance=coordinator.alliance, window_start="2027-03-01T00:00Z",
                               window_end="2027-03-08T00:00Z", weights=DEFAULTS)
    assert api(coordinator.user).get("/api/matching-runs/").json()[0]["weights"] == DEFAULTS


# --- the page ----------------------------------------------------------------------

def test_the_page_shows_each_weight_with_what_it_means_and_its_default(signed_in):
    page = signed_in.get(PAGE).content.decode()
    for meaning in ("Share of the session's asked skills the volunteer has.",
                    "Share of the volunteer's travel radius left unused (in-person sessions only).",
                    "so quieter volunteers come first", "which the volunteer speaks",
                    "The volunteer has worked with this teacher before."):
        assert meaning in page
    assert 'name="distance" value="0.2"' in page and "Default 0.2." in page
    assert "Reset to the defaults" in page and "Re-run matching now" in page


def test_the_coordinators_navigation_links_to_the_page(signed_in):
    assert f'href="{PAGE}"' in signed_in.get(reverse("coordinator-home")).content.decode()


def test_saving_the_form_changes_the_weights_and_says_the_next_run_uses_them(signed_in, coordinator):
    response = signed_in.post(PAGE, {part: str(v) for part, v in TUNED.items()}, follow=True)
    assert weights_of(coordinator.alliance) == TUNED
    assert "The next matching run scores volunteers with these weights." in response.content.decode()
    assert 'name="distance" value="3.5"' in response.content.decode()


def test_a_bad_weight_is_an_error_on_its_own_field_and_saves_nothing(signed_in, coordinator):
    response = signed_in.post(PAGE, {**DEFAULTS, "continuity": "12"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["continuity"]
    assert "Give a number from 0 to 10." in response.content.decode()
    assert weights_of(coordinator.alliance) == DEFAULTS


def test_all_zero_on_the_page_is_an_error_for_the_whole_form(signed_in, coordinator):
    response = signed_in.post(PAGE, dict.fromkeys(DEFAULTS, "0"))
    assert response.context["form"].non_field_errors()
    assert "at least one weight above zero" in response.content.decode()
    assert weights_of(coordinator.alliance) == DEFAULTS


def test_reset_to_defaults_from_the_page(signed_in, coordinator):
    alliance_services.set_matching_weights(alliance=coordinator.alliance, by=coordinator.user, **TUNED)
    response = signed_in.post(reverse("reset-matching-weights"), follow=True)
    assert weights_of(coordinator.alliance) == DEFAULTS
    assert "Back to the default weights." in response.content.decode()


def test_other_people_cannot_open_the_page(client):
    assert client.get(PAGE).status_code == 302
    client.force_login(TeacherFactory().user)
    assert client.get(PAGE).status_code == 403
    assert client.post(reverse("reset-matching-weights")).status_code == 403


def test_re_running_from_the_page_queues_the_alliances_coming_weeks_as_one_task(signed_in, coordinator,
                                                                                  monkeypatch):
    from scheduling import tasks

    queued = []
    monkeypatch.setattr("scheduling.tasks.match_alliance.delay", lambda *args, **kwargs: queued.append((args, kwargs)))
    response = signed_in.post(reverse("scheduling:run-matching"), {"next": PAGE}, follow=True)
    assert response.redirect_chain[-1][0] == PAGE
    assert queued == [((coordinator.alliance_id, [list(week) for week in tasks.horizon_weeks()]), {})]
    assert len(tasks.horizon_weeks()) == tasks.HORIZON_WEEKS
    assert "Matching is queued" in response.content.decode()


def test_re_running_says_so_when_the_queue_is_down(signed_in, monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("scheduling.tasks.match_alliance.delay", broker_down)
    response = signed_in.post(reverse("scheduling:run-matching"), {"next": "https://evil.example/"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("scheduling:review-queue")
    assert "The task queue is unavailable" in response.content.decode()


# --- the admin ---------------------------------------------------------------------

def test_the_admin_shows_the_weights_and_who_changed_them(client, coordinator):
    alliance_services.set_matching_weights(alliance=coordinator.alliance, by=coordinator.user, **TUNED)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:alliances_alliance_change", args=[coordinator.alliance.pk])).content.decode()
    assert "Matching weights" in page and "Distance weight" in page and "3.5" in page
    assert str(coordinator.user) in page or coordinator.user.username in page
