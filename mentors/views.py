"""Volunteer pages (sign-up, profile wizard) and the coordinator's volunteer onboarding pages.

The volunteer's sessions (they show matches) are in scheduling/mentor_views.py.
"""
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from core import accounts
from core.roles import coordinator_of, mentor_of, role_required
from core.throttles import throttle_page

from . import csv_import, forms, services
from .models import Mentor


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
    if request.user == user:
        return redirect("home")
    messages.success(request, "Thanks, your email is confirmed. Sign in to continue.")
    return redirect("login")


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


def _initial(mentor, step):
    if step == "skills":
        return {"skills": list(mentor.skills.all())}
    if step == "classes":
        return {"grade_bands": mentor.grade_bands, "formats": mentor.formats, "languages": mentor.languages}
    if step == "place":
        return {"zip_code": mentor.zip_code, "travel_km": mentor.travel_km, "timezone": mentor.timezone}
    if step == "time":
        dates = "\n".join(f"{b.date:%Y-%m-%d}" for b in mentor.blackout_dates.order_by("date"))
        return {"blackout_dates": dates, "monthly_session_cap": mentor.monthly_session_cap}
    return {"phone": mentor.phone, "sms_consent": mentor.sms_consent_at is not None, "bio": mentor.bio}


def _blocks_initial(mentor):
    return [{"weekday": w.weekday, "start": w.start_time, "end": w.end_time} for w in mentor.availability.all()]


def _step_data(step, form, formset):
    data = dict(form.cleaned_data)
    if step == "place":
        data["zip_code"] = data.pop("zip_code")
    if step == "time":
        data["availability"] = formset.blocks()
    if step == "contact":
        data["sms_consent"] = data.get("sms_consent", False)
    return data


@role_required("mentor")
def profile(request):
    return redirect("mentor-profile-step", step=STEPS[0])


@role_required("mentor")
def profile_step(request, step):
    if step not in STEPS:
        raise Http404
    mentor = request.user.mentor
    kwargs = {"formats": mentor.formats} if step == "place" else {}
    form = STEP_FORMS[step](request.POST or None, initial=_initial(mentor, step), **kwargs)
    formset = None
    if step == "time":
        formset = forms.BlockFormSet(request.POST or None, initial=_blocks_initial(mentor), prefix="blocks")
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        try:
            services.update_profile(mentor=mentor, data=_step_data(step, form, formset), ip=client_ip(request))
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            index = STEPS.index(step)
            if index + 1 < len(STEPS):
                return redirect("mentor-profile-step", step=STEPS[index + 1])
            messages.success(request, "Your profile is saved. We'll text or email you when a class needs you.")
            return redirect("my-sessions")
    return render(request, "mentors/profile_step.html", {
        "form": form, "formset": formset, "step": step, "steps": STEPS, "number": STEPS.index(step) + 1,
        "mentor": mentor, "previous": STEPS[STEPS.index(step) - 1] if STEPS.index(step) else None,
    })


# --- coordinator: volunteers ----------------------------------------------------------

def _alliance_mentors(request):
    return Mentor.objects.filter(company__alliance=coordinator_of(request.user).alliance).select_related(
        "user", "company")


@role_required("coordinator")
def coordinator_volunteers(request):
    mentors = _alliance_mentors(request)
    return render(request, "mentors/coordinator_volunteers.html", {
        "pending": mentors.filter(status=Mentor.Status.PENDING).order_by("created_at"),
        "approved": mentors.filter(status=Mentor.Status.APPROVED).order_by("user__last_name")[:200],
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
