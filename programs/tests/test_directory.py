"""The public directory: no account, only published programs, words and filters, in English and Spanish."""
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from mentors.models import Skill
from programs.models import Program
from programs.search import summer

from .factories import MemberFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def titles(response):
    return [card["title"] for card in response.context["cards"]]


def test_anyone_finds_published_programs_without_an_account(client):
    ProgramFactory(title="Robot Club")
    ProgramFactory(title="Secret draft", status=Program.Status.DRAFT)
    ProgramFactory(title="Waiting for review", status=Program.Status.SUBMITTED)
    response = client.get("/programs/")
    assert response.status_code == 200
    assert titles(response) == ["Robot Club"]


def test_words_rank_a_title_match_above_a_description_match(client):
    ProgramFactory(title="Saturday science", description="We build robots from kits.")
    ProgramFactory(title="Robots after school", description="Hands-on engineering.")
    ProgramFactory(title="Poetry", description="Words and rhyme.")
    response = client.get("/programs/", {"q": "robot"})
    assert titles(response) == ["Robots after school", "Saturday science"]


def test_spanish_words_find_the_spanish_description(client):
    ProgramFactory(title="Coding club", description="Learn Python.", description_es="Aprende programación "
                   "y construye videojuegos con tus amigos.")
    ProgramFactory(title="Garden lab", description="Plants and soil.")
    assert titles(client.get("/programs/", {"q": "videojuego"})) == ["Coding club"]


def test_filters_narrow_by_grade_subject_setting_cost_and_language(client):
    robotics = Skill.objects.get(slug="robotics")
    match = ProgramFactory(title="Match", grade_bands="|3-5|6-8|", setting=Program.Setting.SUMMER,
                           cost=Program.Cost.FREE, languages="|en|es|")
    match.subjects.add(robotics)
    for change in [{"grade_bands": "|9-12|"}, {"setting": Program.Setting.WEEKEND}, {"cost": Program.Cost.FEE},
                   {"languages": "|en|"}]:
        other = ProgramFactory(**{"title": f"Not {change}", "grade_bands": "|3-5|6-8|",
                                  "setting": Program.Setting.SUMMER, "languages": "|en|es|", **change})
        other.subjects.add(robotics)
    ProgramFactory(title="No subject", grade_bands="|6-8|", setting=Program.Setting.SUMMER, languages="|en|es|")
    response = client.get("/programs/", {"grade": "6-8", "subject": "robotics", "setting": "summer",
                                         "cost": "free", "language": "es"})
    assert titles(response) == ["Match"]


def test_distance_from_a_zip_keeps_nearby_programs_nearest_first(client):
    ProgramFactory(title="Downtown Schenectady", zip_code="12305", latitude=42.81, longitude=-73.95)
    ProgramFactory(title="Niskayuna", zip_code="12309", latitude=42.80, longitude=-73.87)
    ProgramFactory(title="Boston", zip_code="02119", latitude=42.3241, longitude=-71.0852)
    ProgramFactory(title="Online only", virtual=True, zip_code="", latitude=None, longitude=None)
    response = client.get("/programs/", {"zip": "12308", "within": "10"})
    assert titles(response) == ["Downtown Schenectady", "Niskayuna"]
    assert all(card["miles"] < 10 for card in response.context["cards"])


@pytest.mark.parametrize("bad", [{"zip": "1230"}, {"zip": "99999"}, {"grade": "13"}, {"within": "7"},
                                 {"setting": "<script>"}, {"q": "x" * 201}])
def test_bad_search_input_is_a_400_naming_the_field_never_a_500(client, bad):
    ProgramFactory()
    response = client.get("/programs/", bad)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == set(bad)


def test_open_now_and_this_summer(client):
    today = timezone.localdate()
    first, last = summer(today)
    ProgramFactory(title="Closed", apply_by=today - timedelta(days=1))
    ProgramFactory(title="Open", apply_by=today + timedelta(days=5))
    ProgramFactory(title="Summer camp", starts_on=first + timedelta(days=20), ends_on=first + timedelta(days=30))
    ProgramFactory(title="Fall club", starts_on=last + timedelta(days=30), ends_on=last + timedelta(days=90))
    assert titles(client.get("/programs/", {"when": "open"})) == ["Fall club", "Open", "Summer camp"]
    assert titles(client.get("/programs/", {"when": "summer"})) == ["Summer camp"]


def test_the_directory_speaks_spanish_to_a_spanish_browser(client):
    ProgramFactory(title="Robot Club", title_es="Club de robots")
    response = client.get("/programs/", HTTP_ACCEPT_LANGUAGE="es")
    body = response.content.decode()
    assert '<html lang="es">' in body
    assert "Buscar programas" in body and "Club de robots" in body
    assert "Find STEM programs" not in body


def test_a_program_page_has_schema_org_json_ld_a_map_link_and_its_calendar(client):
    start = timezone.localdate() + timedelta(days=30)
    program = ProgramFactory(title="Rocket week </script><b>", starts_on=start, ends_on=start + timedelta(days=4),
                             apply_by=start - timedelta(days=7), member=MemberFactory(name="Sky Club"))
    response = client.get(f"/programs/{program.pk}/")
    body = response.content.decode()
    raw = body.split('<script type="application/ld+json">')[1].split("</script>")[0]
    data = json.loads(raw)
    assert data["@type"] == "Event" and data["name"] == "Rocket week </script><b>"
    assert data["startDate"] == start.isoformat() and data["organizer"]["name"] == "Sky Club"
    assert "openstreetmap.org/?mlat=42.8200" in body
    cal = Calendar.from_ical(client.get(f"/programs/{program.pk}/calendar.ics").content)
    events = cal.walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [start, start - timedelta(days=7)]
    assert events[0].decoded("dtend") == start + timedelta(days=5)


@pytest.mark.parametrize("status", [Program.Status.DRAFT, Program.Status.SUBMITTED, Program.Status.ARCHIVED])
def test_the_public_never_sees_an_unpublished_program(client, status):
    program = ProgramFactory(status=status)
    assert client.get(f"/programs/{program.pk}/").status_code == 404
    assert client.get(f"/programs/{program.pk}/calendar.ics").status_code == 404
    assert client.get("/programs/feed.json").json()["items"] == []
    assert f"/programs/{program.pk}/" not in client.get("/sitemap.xml").content.decode()


def test_the_feed_and_sitemap_list_published_programs(client):
    program = ProgramFactory(title="Robot Club", title_es="Club de robots")
    feed = client.get("/programs/feed.json")
    assert feed["Access-Control-Allow-Origin"] == "*"
    item = feed.json()["items"][0]
    assert item["title"] == "Robot Club" and item["_program"]["title_es"] == "Club de robots"
    assert "contact_email" not in json.dumps(item)
    assert f"/programs/{program.pk}/" in client.get("/sitemap.xml").content.decode()


def test_descriptions_are_plain_text_never_html(client):
    program = ProgramFactory(description='<img src=x onerror="alert(1)">\n\nSecond paragraph')
    body = client.get(f"/programs/{program.pk}/").content.decode()
    assert "<img src=x" not in body and "&lt;img src=x" in body


def test_the_alliance_page_shows_approved_members_only_and_hides_absent_reach(client, settings):
    approved = MemberFactory(name="Approved Club")
    MemberFactory(alliance=approved.alliance, name="Applicant Club", status="applied")
    approved.alliance.mission = "STEM for every student."
    approved.alliance.save()
    response = client.get(f"/alliances/{approved.alliance.slug}/")
    body = response.content.decode()
    assert "Approved Club" in body and "Applicant Club" not in body and "STEM for every student." in body
    assert "Our reach" not in body
    assert approved.contact_email not in body
    settings.PROGRAMS_PUBLIC_REACH = "programs.tests.test_directory.reach_figures"
    assert "Our reach" in client.get(f"/alliances/{approved.alliance.slug}/").content.decode()


def reach_figures(alliance):
    return [("Students reached", "1,200")]


def test_no_cookie_or_personal_data_is_taken_from_a_searching_visitor(client):
    ProgramFactory()
    response = client.get("/programs/", {"q": "robot", "zip": "12308"})
    assert response.cookies == {} or "sessionid" not in response.cookies


def test_a_zip_that_is_not_a_us_zip_says_so_on_the_field(client):
    ProgramFactory()
    response = client.get("/programs/", {"zip": "00000"})
    assert response.status_code == 400
    assert response.context["form"].errors["zip"] == [
        "That is not a US ZIP code we know; check the five digits, or search without a distance."]
    spanish = client.get("/programs/", {"zip": "00000"}, HTTP_ACCEPT_LANGUAGE="es")
    assert "No conocemos ese código postal" in spanish.content.decode()


def test_a_search_costs_a_fixed_few_queries_whatever_it_finds_and_pages_past_the_end_show_the_last(
        client, django_assert_num_queries):
    member = MemberFactory()
    for n in range(45):
        ProgramFactory(member=member, title=f"Robot lab {n:02d}")
    with django_assert_num_queries(2):  # the subjects of the filter, then the page's cards with the total
        response = client.get("/programs/", {"q": "robot", "grade": "6-8"})
    with django_assert_num_queries(3):  # in title order: the subjects, the count, the page from the title index
        in_title_order = client.get("/programs/", {"grade": "6-8"}, HTTP_ACCEPT_LANGUAGE="es")
    assert titles(in_title_order)[:2] == ["Robot lab 00", "Robot lab 01"]
    assert in_title_order.context["page"].paginator.count == 45
    page = response.context["page"]
    assert (page.paginator.count, page.paginator.num_pages, len(titles(response))) == (45, 3, 20)
    assert "45 programs found" in response.content.decode()
    last = client.get("/programs/", {"q": "robot", "page": "9"})
    assert (last.context["page"].number, titles(last)) == (3, [f"Robot lab {n}" for n in range(40, 45)])
    assert client.get("/programs/", {"q": "robot", "page": "x"}).context["page"].number == 1
    assert client.get("/programs/", {"q": "zzzz"}).context["page"].paginator.count == 0


def test_the_sitemap_is_valid_xml_and_the_feed_a_valid_json_feed(client):
    from xml.etree import ElementTree

    program = ProgramFactory(title="Robot Club")
    ProgramFactory(title="Draft", status=Program.Status.DRAFT, member=program.member)
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert root.tag == f"{namespace}urlset"
    locations = sorted(url.find(f"{namespace}loc").text for url in root.iter(f"{namespace}url"))
    assert locations == sorted(["http://testserver/programs/", f"http://testserver/programs/{program.pk}/",
                                f"http://testserver/alliances/{program.alliance.slug}/"])
    feed = client.get("/programs/feed.json")
    assert feed["Content-Type"] == "application/json"
    data = feed.json()
    assert data["version"] == "https://jsonfeed.org/version/1.1" and data["title"]
    assert [item["id"] for item in data["items"]] == [f"http://testserver/programs/{program.pk}/"]
    assert all(item["url"].startswith("http") and item["content_text"] for item in data["items"])
