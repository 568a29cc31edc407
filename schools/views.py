"""Teacher pages for joining (sign-up, invitation) and the coordinator's teacher onboarding and weights pages."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alliances import services as alliance_services
from core import accounts
from core.forms import apply_errors
from core.roles import role_required
from core.throttles import throttle_page

from . import forms, services, sites
from .models import Teacher

# --- teachers joining -----------------------------------------------------------

@throttle_page("signup")
def teacher_signup(request):
    form = forms.TeacherSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sign_up_teacher(email=data["email"], password=data["password"], first_name=data["first_name"],
                                     last_name=data["last_name"], school=data["school"], phone=data["phone"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return render(request, "accounts/check_email.html", {
                "message": accounts.SIGNUP_SENT_MESSAGE + " A coordinator then checks that you teach at the "
                "school; we email you when you can request mentors."})
    return render(request, "schools/signup.html", {"form": form})


@throttle_page("invite-accept")
def teacher_join(request, token):
    try:
        school, email, inviter = services.read_teacher_invite(token)
    except services.RequestRefused as refusal:
        return render(request, "accounts/verify_failed.html", {"reason": str(refusal)}, status=400)
    form = forms.TeacherJoinForm(request.POST or None, email=email)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_by_invite(token=token, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Welcome! Your account for {school.name} is ready. Sign in with {email}.")
            return redirect("login")
    return render(request, "schools/join.html", {"form": form, "school": school, "email": email,
                                                 "inviter": inviter})


# --- coordinator ------------------------------------------------------------------

def _alliance_teachers(request):
    return Teacher.objects.filter(school__alliance=request.user.coordinator.alliance).select_related("user", "school")


@role_required("coordinator")
def coordinator_teachers(request):
    teachers = _alliance_teachers(request)
    return render(request, "schools/coordinator_teachers.html", {
        "unverified": teachers.filter(verified_at__isnull=True).order_by("school__name", "user__last_name"),
        "verified": teachers.filter(verified_at__isnull=False).order_by("school__name", "user__last_name")[:200],
    })


@require_POST
@role_required("coordinator")
def verify_teacher(request, teacher_id):
    teacher = get_object_or_404(_alliance_teachers(request), pk=teacher_id)
    services.verify_teacher(teacher=teacher, actor=request.user)
    messages.success(request, f"{teacher} can now request mentors.")
    return redirect("coordinator-teachers")


@role_required("coordinator")
def invite_teacher(request):
    form = forms.TeacherInviteForm(request.POST or None, alliance=request.user.coordinator.alliance)
    link = None
    if request.method == "POST" and form.is_valid():
        link = services.invite_teacher(actor=request.user, **form.invitation())
        messages.success(request, f"Invitation emailed to {form.cleaned_data['email']}.")
    return render(request, "schools/invite_teacher.html", {"form": form, "link": link})


@role_required("coordinator")
def matching_weights(request):
    """The alliance's score weights: what the engine favours when several volunteers could take a seat."""
    alliance = request.user.coordinator.alliance
    form = forms.MatchingWeightsForm(request.POST or None, initial=alliance.matching_weights())
    if request.method == "POST" and form.is_valid():
        try:
            alliance_services.set_matching_weights(alliance=alliance, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Saved. The next matching run scores volunteers with these weights.")
            return redirect("matching-weights")
    return render(request, "schools/matching_weights.html", {"alliance": alliance, "form": form})


@require_POST
@role_required("coordinator")
def reset_matching_weights(request):
    alliance_services.reset_matching_weights(alliance=request.user.coordinator.alliance, by=request.user)
    messages.success(request, "Back to the default weights. The next matching run scores volunteers with them.")
    return redirect("matching-weights")


# --- a nonprofit's own sites, kept by its staff ----------------------------------------------------------

@role_required("member_staff", pass_role=True)
def partner_sites(request, staff):
    member = sites.site_keeper(staff)
    return render(request, "schools/partner_sites.html", {"member": member, "sites": sites.sites_of(member)})


# Adding or changing a site: scheduling.site_views (a moved site moves the sessions booked there).
