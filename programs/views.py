"""The public directory (no login, English and Spanish), members' own programs, and moderation."""
import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_POST

from alliances.models import Alliance, Member
from core.roles import role_required

from . import calendar, geo, services
from .forms import DirectoryForm, ProgramForm
from .models import Program
from .search import PAGE_SIZE, results_page
from .subjects import subject_name

FEED_SIZE = 500
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _language():
    return "es" if (get_language() or "").startswith("es") else "en"


@require_GET
def directory(request):
    """Search by words and filters with a plain GET form: no JavaScript, no account, nothing stored."""
    form = DirectoryForm(request.GET)
    valid = form.is_valid()
    page = (results_page(form.filters(), today=timezone.localdate(), language=_language(),
                         number=request.GET.get("page")) if valid
            else Paginator(Program.objects.none(), PAGE_SIZE).get_page(1))
    near = geo.locate(form.cleaned_data["zip"]) if valid and form.cleaned_data["zip"] else None
    cards = [_card(program, near) for program in page.object_list]
    return render(request, "programs/directory.html", {"form": form, "page": page, "cards": cards},
                  status=200 if valid else 400)


def _card(program, near):
    """A result card's words, put together here rather than by a dozen template lookups per card (twenty cards
    on every search)."""
    language = _language()
    miles = None
    facts = [program.member.name, program.get_setting_display(), program.get_cost_display()]
    if near and program.latitude is not None:
        miles = geo.miles_between(near, (program.latitude, program.longitude))
        facts.append(gettext("%(miles)s miles away") % {"miles": floatformat(miles, 1)})
    when = [gettext("Grades") + " " + ", ".join(program.band_list()), ", ".join(map(str, program.language_names()))]
    if program.starts_on:
        dates = date_format(program.starts_on)
        if program.ends_on and program.ends_on != program.starts_on:
            dates += " – " + date_format(program.ends_on)
        when.append(dates)
    description = program.description_in(language)
    return {"url": reverse("program", args=[program.pk]), "title": program.title_in(language), "miles": miles,
            "facts": " · ".join(facts), "when": " · ".join(when),
            "summary": description[:220] + ("…" if len(description) > 220 else "")}


def _published(pk):
    return get_object_or_404(Program.objects.select_related("member", "alliance"), pk=pk,
                             status=Program.Status.PUBLISHED)


@require_GET
def program_detail(request, pk):
    program = _published(pk)
    language = _language()
    url = request.build_absolute_uri(reverse("program", args=[program.pk]))
    context = {"program": program, "title": program.title_in(language),
               "description": program.description_in(language), "page_url": url,
               "json_ld": mark_safe(json.dumps(json_ld(program, url, language)).translate(JSON_ESCAPES)),  # noqa: S308
               "subjects": [subject_name(s.name) for s in program.subjects.all()]}
    return render(request, "programs/detail.html", context)


def json_ld(program, url, language):
    """schema.org for search engines: an Event when it has dates, else a Course."""
    data = {"@context": "https://schema.org", "name": program.title_in(language),
            "description": program.description_in(language), "url": url, "inLanguage": program.language_list(),
            "isAccessibleForFree": program.cost == Program.Cost.FREE,
            "organizer" if program.starts_on else "provider": {"@type": "Organization", "name": program.member.name}}
    if program.starts_on:
        data.update({"@type": "Event", "startDate": program.starts_on.isoformat(),
                     "eventAttendanceMode": "https://schema.org/" + (
                         "OnlineEventAttendanceMode" if program.virtual else "OfflineEventAttendanceMode"),
                     "eventStatus": "https://schema.org/EventScheduled"})
        if program.ends_on:
            data["endDate"] = program.ends_on.isoformat()
        data["location"] = ({"@type": "VirtualLocation", "url": program.join_url or url} if program.virtual else
                            {"@type": "Place", "name": program.member.name,
                             "address": program.address or program.zip_code})
    else:
        data["@type"] = "Course"
    return data


@require_GET
def program_calendar(request, pk):
    program = _published(pk)
    body = calendar.program_ics(program, url=request.build_absolute_uri(reverse("program", args=[program.pk])),
                                language=_language())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="program-{program.pk}.ics"'
    return response


@require_GET
def feed(request):
    """A JSON Feed (https://jsonfeed.org/version/1.1) of published programs, newest change first, for partners
    to embed; `?alliance=<slug>` keeps one alliance's. Readable from any site (CORS)."""
    programs = Program.objects.filter(status=Program.Status.PUBLISHED).select_related("member", "alliance")
    if request.GET.get("alliance"):
        programs = programs.filter(alliance__slug=request.GET["alliance"][:50])
    items = [_feed_item(request, program) for program in
             programs.prefetch_related("subjects").order_by("-updated_at", "pk")[:FEED_SIZE]]
    response = JsonResponse({"version": "https://jsonfeed.org/version/1.1", "title": "STEM programs",
                             "home_page_url": request.build_absolute_uri(reverse("directory")),
                             "feed_url": request.build_absolute_uri(request.get_full_path()), "items": items})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _feed_item(request, program):
    url = request.build_absolute_uri(reverse("program", args=[program.pk]))
    return {"id": url, "url": url, "title": program.title, "content_text": program.description,
            "date_modified": program.updated_at.isoformat(),
            "_program": {"title_es": program.title_es, "description_es": program.description_es,
                         "provider": program.member.name, "alliance": program.alliance.slug,
                         "setting": program.setting, "grade_bands": program.band_list(),
                         "subjects": [s.slug for s in program.subjects.all()], "cost": program.cost,
                         "languages": program.language_list(), "virtual": program.virtual,
                         "zip_code": program.zip_code,
                         "starts_on": program.starts_on and program.starts_on.isoformat(),
                         "ends_on": program.ends_on and program.ends_on.isoformat(),
                         "apply_by": program.apply_by and program.apply_by.isoformat(),
                         "weekly_schedule": program.weekly_schedule, "join_url": program.join_url}}


@require_GET
def alliance_page(request, slug):
    """The alliance's mission, its approved members and (when the impact figures exist) its public reach."""
    alliance = get_object_or_404(Alliance, slug=slug)
    members = Member.objects.filter(alliance=alliance, status=Member.Status.APPROVED).order_by("kind", "name")
    mission = alliance.mission_es if _language() == "es" and alliance.mission_es else alliance.mission
    return render(request, "programs/alliance.html", {
        "alliance": alliance, "mission": mission, "members": members, "reach": _reach(alliance),
        "program_count": Program.objects.filter(alliance=alliance, status=Program.Status.PUBLISHED).count()})


def _reach(alliance):
    """The impact app's public figures through `PROGRAMS_PUBLIC_REACH` (a dotted path); None hides the block."""
    path = getattr(settings, "PROGRAMS_PUBLIC_REACH", "")
    if not path:
        return None
    try:
        return import_string(path)(alliance)
    except ImportError:
        return None


# --- the member's own programs ------------------------------------------------------------------------

def _approved_member(staff):
    if staff.member.status != Member.Status.APPROVED:
        raise Http404
    if not staff.is_verified:  # a colleague's invitee waits for a coordinator before acting for the member
        raise PermissionDenied("A coordinator has to verify you before you can edit your organization's programs.")
    return staff.member


@role_required("member_staff", pass_role=True)
def my_programs(request, staff):
    member = _approved_member(staff)
    return render(request, "programs/my_programs.html",
                  {"member": member, "programs": member.programs.order_by("-updated_at")})


@role_required("member_staff", pass_role=True)
def edit_program(request, staff, pk=None):
    member = _approved_member(staff)
    program = get_object_or_404(Program, pk=pk, member=member) if pk else None
    if program and program.status == Program.Status.ARCHIVED:
        raise Http404
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        saved = services.save_program(form=form, member=member)
        messages.success(request, f"Saved {saved.title}.")
        return redirect("my-programs")
    return render(request, "programs/program_form.html", {"form": form, "program": program},
                  status=400 if form.errors else 200)


@require_POST
@role_required("member_staff", pass_role=True)
def submit_program(request, staff, pk):
    program = get_object_or_404(Program, pk=pk, member=_approved_member(staff))
    return _move(request, program, "submit", "my-programs")


# --- the coordinator's moderation ---------------------------------------------------------------------

@role_required("coordinator", hidden=True, pass_role=True)
def moderation(request, coordinator):
    programs = (Program.objects.filter(alliance=coordinator.alliance).exclude(status=Program.Status.ARCHIVED)
                .select_related("member").order_by("status", "title"))
    page = Paginator(programs, 50).get_page(request.GET.get("page"))
    return render(request, "programs/moderation.html", {"page": page, "programs": page.object_list})


@require_POST
@role_required("coordinator", hidden=True, pass_role=True)
def moderate(request, coordinator, pk, action):
    if action not in ("publish", "return", "archive"):
        raise Http404
    program = get_object_or_404(Program, pk=pk, alliance=coordinator.alliance)
    return _move(request, program, action, "program-moderation", by=request.user)


def _move(request, program, action, back, by=None):
    try:
        services.move_program(program_id=program.pk, action=action, by=by)
    except services.ProgramError as exc:
        return render(request, "programs/refused.html", {"message": str(exc)}, status=exc.http_status)
    messages.success(request, f"{program.title}: {action} done.")
    return redirect(back)
