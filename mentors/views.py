"""Volunteer pages (sign-up, profile wizard) and the coordinator's volunteer onboarding pages.

The volunteer's sessions (they show matches) are in scheduling/mentor_views.py.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core import accounts
from core.roles import coordinator_of, mentor_of, role_required
from core.throttles import throttle_page
from core.words import from_km

from . import csv_import, forms, services, validation
from .filters import VolunteerSearch
from .models import Mentor

VOLUNTEER_PAGE = 200  # rows per table of the coordinator's volunteer list


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


# --- sign-up and verification ----------------------------------------------------

@throttle_page("signup")
def volunteer_signup(request):
    form = forms.VolunteerSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_up_volunteer(**form.cleaned_data)
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            return render(request, "accounts/check_email.html", {"message": accounts.SIGNUP_SENT_MESSAGE})
    return render(request, "mentors/signup.html", {"form": form})


def verify_email(request, token):
    try:
        user = accounts.verify_email(token=token)
    except accounts.VerificationFailed as failure:
        return render(request, "accounts/verify_failed.html", {"reason": str(failure)}, status=400)
    if request.user != user:
        # Following the emailed link proves the mailbox: the person goes straight on, signed in.
        login(request, user, backend="config.auth.RoleBackend")
    messages.success(request, "Thanks, your email is confirmed.")
    return redirect("home")


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Django's set-password page; choosing a password through the emailed link also proves the mailbox,
    which is what activates an imported volunteer whose company has no email domain."""

    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.mailbox_proven(user=form.user)
        return response


# --- profile wizard ---------------------------------------------------------------

STEPS = ["skills", "classes", "place", "time", "contact"]
STEP_FORMS = {"skills": forms.SkillsStep, "classes": forms.ClassesStep, "place": forms.PlaceStep,
              "time": forms.TimeStep, "contact": forms.ContactStep}


def _initial(mentor, step, unit):
    if step == "skills":
        return {"skills": list(mentor.skills.all())}
    if step == "classes":
        return {"grade_bands": mentor.grade_bands, "formats": mentor.formats, "languages": mentor.languages}
    if step == "place":
        return {"zip_code": mentor.zip_code, "travel": from_km(mentor.travel_km, unit), "timezone": mentor.timezone}
    if step == "time":
        return {"blackout_dates": [b.date for b in mentor.blackout_dates.order_by("date")],
                "monthly_session_cap": mentor.monthly_session_cap}
    return {"phone": mentor.phone, "sms_consent": mentor.sms_consent_at is not None, "bio": mentor.bio}


def _blocks_initial(mentor):
    return [{"weekday": w.weekday, "start": w.start_time, "end": w.end_time} for w in mentor.availability.all()]


def _step_data(step, form, formset):
    data = dict(form.cleaned_data)
    if step == "place":
        data["zip_code"] = data.pop("zip_code")
        data["travel_km"] = data.pop("travel")
    if step == "time":
        data["availability"] = formset.blocks()
        data.pop("no_hours_ok", None)
    if step == "contact":
        data["sms_consent"] = data.get("sms_consent", False)
    return data


def _started(mentor):
    """Whether the volunteer has been through the wizard once (later visits edit one section at a time)."""
    return bool(mentor.grade_bands)


@role_required("mentor")
def profile(request):
    """The profile as the volunteer reads it, a section per step with its own Edit link."""
    mentor = request.user.mentor
    if not _started(mentor):
        return redirect(f"{reverse('mentor-profile-step', args=[STEPS[0]])}?then=next")
    alliance = mentor.company.alliance
    languages = dict(validation.LANGUAGE_CHOICES)
    return render(request, "mentors/profile.html", {
        "mentor": mentor, "alliance": alliance, "steps": STEP_TITLES,
        "languages": [languages.get(code, code) for code in mentor.languages],
        "formats": [dict(forms.FORMAT_CHOICES).get(f, f) for f in mentor.formats],
        "travel": f"{from_km(mentor.travel_km, alliance.distance_unit)} {alliance.get_distance_unit_display()}",
        "timezone": dict(validation.TIMEZONE_CHOICES).get(mentor.timezone, mentor.timezone),
        "away": [b.date for b in mentor.blackout_dates.filter(date__gte=timezone.localdate()).order_by("date")],
    })


STEP_TITLES = {step: form.title for step, form in STEP_FORMS.items()}


def _step_forms(request, mentor, step, alliance):
    data = request.POST or None
    if step == "time" and request.POST.get("add_block"):
        data = request.POST.copy()  # one more empty row, nothing saved yet
        data["blocks-TOTAL_FORMS"] = str(min(int(data.get("blocks-TOTAL_FORMS") or 0) + 1, 21))
    kwargs = {"place": {"formats": mentor.formats, "unit": alliance.distance_unit},
              "contact": {"country": alliance.country}}.get(step, {})
    form = STEP_FORMS[step](data, initial=_initial(mentor, step, alliance.distance_unit), **kwargs)
    formset = forms.block_formset(data, initial=_blocks_initial(mentor)) if step == "time" else None
    return form, formset


def _valid(step, form, formset):
    if not form.is_valid() or (formset is not None and not formset.is_valid()):
        return False
    if step == "time":
        form.require_hours_or_confirmation(formset.blocks())
    return form.is_valid() and not form.errors


@role_required("mentor")
def profile_step(request, step):
    if step not in STEPS:
        raise Http404
    mentor = request.user.mentor
    alliance = mentor.company.alliance
    editing = _started(mentor)
    form, formset = _step_forms(request, mentor, step, alliance)
    saving = request.method == "POST" and not request.POST.get("add_block")
    if saving and _valid(step, form, formset):
        try:
            services.update_profile(mentor=mentor, data=_step_data(step, form, formset), ip=client_ip(request))
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            return _after_step(request, step, editing)
    return render(request, "mentors/profile_step.html", {
        "form": form, "formset": formset, "step": step, "steps": STEPS, "number": STEPS.index(step) + 1,
        "mentor": mentor, "editing": editing,
        "previous": STEPS[STEPS.index(step) - 1] if STEPS.index(step) and not editing else None,
    })


def _after_step(request, step, editing):
    """The first time through, on to the next step; afterwards, back to the profile."""
    index = STEPS.index(step)
    if editing and request.GET.get("then") != "next":
        messages.success(request, f"Saved: {STEP_TITLES[step].lower()}.")
        return redirect("mentor-profile")
    if index + 1 < len(STEPS):
        return redirect(f"{reverse('mentor-profile-step', args=[STEPS[index + 1]])}?then=next")
    messages.success(request, "Your profile is saved. We'll text or email you when a class needs you.")
    return redirect("my-sessions")


# --- coordinator: volunteers ----------------------------------------------------------

def _alliance_mentors(request):
    return Mentor.objects.filter(company__alliance=coordinator_of(request.user).alliance).select_related(
        "user", "company")


@role_required("coordinator")
def coordinator_volunteers(request):
    mentors = _alliance_mentors(request)
    search = VolunteerSearch(request.GET, queryset=mentors)
    found = search.qs if search.is_valid() else mentors.none()
    return render(request, "mentors/coordinator_volunteers.html", {
        "search": search, "searching": bool(request.GET),
        "pending": found.filter(status=Mentor.Status.PENDING).order_by("created_at")[:VOLUNTEER_PAGE],
        "others": found.exclude(status=Mentor.Status.PENDING).order_by("user__last_name", "pk")[:VOLUNTEER_PAGE],
    })


@role_required("coordinator")
def import_volunteers(request):
    alliance = coordinator_of(request.user).alliance
    if request.method == "POST" and "confirm_token" in request.POST:
        return _confirm_import(request, alliance)
    form = forms.CsvUploadForm(request.POST or None, request.FILES or None, alliance=alliance)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            preview = csv_import.preview(company=form.cleaned_data["company"], upload=form.cleaned_data["file"])
        except csv_import.ImportRefused as error:
            form.add_error("file", str(error))
    return render(request, "mentors/import_volunteers.html", {"form": form, "preview": preview})


def _confirm_import(request, alliance):
    try:
        imported = csv_import.confirm(token=request.POST["confirm_token"], alliance=alliance, actor=request.user)
    except csv_import.StalePreview as stale:
        messages.error(request, str(stale))
        form = forms.CsvUploadForm(alliance=alliance, initial={"company": stale.preview.company})
        return render(request, "mentors/import_volunteers.html", {"form": form, "preview": stale.preview})
    except csv_import.ImportRefused as error:
        messages.error(request, str(error))
        return redirect("import-volunteers")
    messages.success(request, f"Imported {len(imported)} volunteers; each was emailed a link to set a password.")
    return redirect("coordinator-volunteers")


def mentor_home(request):
    mentor = mentor_of(request.user)
    if not services.profile_is_complete(mentor):
        return redirect("mentor-profile")
    return redirect("my-sessions")
