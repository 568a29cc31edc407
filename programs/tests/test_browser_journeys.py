"""The coalition's journeys in real headless Chromium, axe on every page: a family searching the directory on
a phone in Spanish, and a nonprofit applying to join, approved, then adding its first program."""
import pytest
from playwright.sync_api import expect

from alliances.models import Member, MemberStaff
from mentors.models import Skill
from mentors.tests.browser import AxeAudit, browser_page, last_link
from programs.models import Program
from schools.tests.factories import CoordinatorFactory

from .factories import MemberFactory, MouFactory, ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "chalk-and-cheese-9"
SHOTS = "/tmp/coalition-shots"


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")


def test_a_family_searches_the_directory_on_a_phone_in_spanish(live_server):
    member = MemberFactory(name="Schenectady Youth Robotics")
    robots = ProgramFactory(member=member, title="LEGO robotics for young builders",
                            title_es="Robótica con LEGO para pequeños constructores",
                            description="Children build and program LEGO robots.",
                            description_es="Los niños construyen y programan robots LEGO los sábados.",
                            grade_bands="|K-2|3-5|", languages="|en|es|", setting=Program.Setting.WEEKEND,
                            zip_code="12303", latitude=42.77, longitude=-73.95)
    robots.subjects.add(Skill.objects.get(slug="robotics"))
    ProgramFactory(member=member, title="Robotics team", grade_bands="|9-12|", languages="|en|")
    ProgramFactory(member=member, title="Garden lab", title_es="Laboratorio del huerto", grade_bands="|3-5|")
    axe = AxeAudit()
    with browser_page(live_server.url, locale="es-US", width=375) as page:
        page.goto("/programs/")
        expect(page.get_by_role("heading", name="Buscar programas STEM")).to_be_visible()
        axe.check(page, "directorio")
        no_sideways_scroll(page)
        page.get_by_label("Palabras").fill("robótica")
        page.get_by_text("Filtros").click()
        page.get_by_label("Grado").select_option("3-5")
        page.get_by_label("Idioma").select_option("es")
        page.get_by_label("Cerca del código postal").fill("12308")
        page.get_by_role("button", name="Buscar", exact=True).click()
        expect(page.get_by_role("heading", name="1 programa encontrado")).to_be_visible()
        page.screenshot(path=f"{SHOTS}-directory-es.png", full_page=True)
        axe.check(page, "resultados")
        no_sideways_scroll(page)
        page.get_by_role("link", name="Robótica con LEGO para pequeños constructores").click()
        expect(page.get_by_role("heading", name="Robótica con LEGO para pequeños constructores")).to_be_visible()
        expect(page.get_by_text("Los niños construyen y programan robots LEGO")).to_be_visible()
        expect(page.get_by_role("link", name="Verlo en un mapa")).to_be_visible()
        assert page.locator('script[type="application/ld+json"]').count() == 1
        page.screenshot(path=f"{SHOTS}-program-es.png", full_page=True)
        axe.check(page, "programa")
        no_sideways_scroll(page)
        page.goto("/programs/?zip=123")
        expect(page.get_by_text("Escriba un código postal de cinco dígitos.")).to_be_visible()
        axe.check(page, "código postal incorrecto")
        page.goto(f"/alliances/{member.alliance.slug}/")
        axe.check(page, "alianza")
        no_sideways_scroll(page)
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("heading", name="Members")).to_be_visible()
    axe.assert_clean()


def test_a_nonprofit_applies_is_approved_and_adds_its_first_program(live_server, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    mou = MouFactory(version=2, text="We share what we run and keep students safe.")
    coordinator = CoordinatorFactory(alliance=mou.alliance, user__password=PASSWORD)
    axe = AxeAudit()
    with browser_page(live_server.url) as page:
        page.goto(f"/alliances/{mou.alliance.slug}/join/")
        expect(page.get_by_text("We share what we run")).to_be_visible()
        axe.check(page, "join")
        page.get_by_label("Organization name").fill("Girls Who Build")
        page.get_by_label("Kind of member").select_option("nonprofit")
        page.get_by_label("Contact person").fill("Ana Ruiz")
        page.get_by_label("Contact email").fill("not an email")
        page.get_by_label("Programs for students").check()
        page.get_by_label("We have read and accept").check()
        page.get_by_role("button", name="Send our application").click()
        expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
        axe.check(page, "join with an error")
        page.get_by_label("Contact email").fill("ana@gwb.example")
        page.get_by_label("We have read and accept").check()
        page.get_by_role("button", name="Send our application").click()
        expect(page.get_by_role("heading", name="Thank you: your application is in")).to_be_visible()
        axe.check(page, "application received")
        assert Member.objects.get().mou == mou

        sign_in(page, coordinator.user.username)
        page.get_by_role("link", name="Members").click()
        axe.check(page, "member list")
        page.get_by_role("link", name="Girls Who Build").click()
        axe.check(page, "member review")
        page.get_by_label("Approve").check()
        page.get_by_role("button", name="Record the decision").click()
        expect(page.get_by_text("Girls Who Build: done.")).to_be_visible()
        page.get_by_role("button", name="Sign out").click()

        page.goto(last_link("ana@gwb.example", live_server.url))
        page.locator("#id_new_password1").fill(PASSWORD)
        page.locator("#id_new_password2").fill(PASSWORD)
        page.get_by_role("button", name="Save password").click()
        sign_in(page, "ana@gwb.example")
        page.get_by_role("link", name="Our programs").click()
        axe.check(page, "our programs")
        page.get_by_role("link", name="Add a program").click()
        axe.check(page, "program form")
        page.get_by_label("Title:", exact=True).fill("Saturday bridges")
        page.get_by_label("Description:", exact=True).fill("Build bridges that hold.")
        page.get_by_label("Setting:", exact=True).select_option("weekend")
        page.get_by_label("grades 6-8", exact=True).check()
        page.get_by_label("English", exact=True).check()
        page.get_by_label("Zip code").fill("12308")
        page.get_by_label("Link to join").fill("https://gwb.example/join")
        page.get_by_role("button", name="Save").click()
        page.get_by_role("button", name="Send for review").click()
        page.screenshot(path=f"{SHOTS}-our-programs.png", full_page=True)
        axe.check(page, "sent for review")
    program = Program.objects.get()
    assert (program.status, program.member.name, MemberStaff.objects.get().user.email) == (
        Program.Status.SUBMITTED, "Girls Who Build", "ana@gwb.example")
    axe.assert_clean()
