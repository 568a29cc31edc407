"""Joining the alliance (public), the coordinator's member pages, and the alliance's look as a stylesheet."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from core.roles import role_required
from core.throttles import throttle_page

from . import members
from .forms import JoinForm, ReviewForm, StaffInviteForm
from .models import Alliance, Member, MemberStaff


@throttle_page("join")
def join(request, slug):
    """The public application: refuses malformed contacts field by field; a filled honeypot writes nothing."""
    alliance = get_object_or_404(Alliance, slug=slug)
    mou = members.current_mou(alliance)
    if mou is None:
        raise Http404("This alliance takes no applications yet.")
    form = JoinForm(request.POST or None, mou=mou)
    if request.method == "POST" and form.is_valid():
        if not form.is_bot():
            data = form.cleaned_data
            members.apply_to_join(
                alliance=alliance, mou=mou, name=data["name"], kind=data["kind"], contact_name=data["contact_name"],
                contact_email=data["contact_email"], contact_phone=data["contact_phone"], website=data["website"],
                offers=data["offers"], about=data["about"])
        return redirect("join-thanks", slug=alliance.slug)
    language = get_language() or "en"
    mou_text, mou_language = mou.text_for(language)
    return render(request, "alliances/join.html", {
        "alliance": alliance, "mou": mou, "mou_text": mou_text, "form": form,
        # The English text on a Spanish page says so, and is marked as English for screen readers.
        "mou_language": None if language.startswith(mou_language) else mou_language,
    }, status=400 if form.errors else 200)


def join_thanks(request, slug):
    alliance = get_object_or_404(Alliance, slug=slug)
    return render(request, "alliances/join_thanks.html", {"alliance": alliance})


REVIEW_ORDER = Case(When(status=Member.Status.APPLIED, then=Value(0)),
                    When(status=Member.Status.MORE_INFO, then=Value(1)), default=Value(2), output_field=IntegerField())


@role_required("coordinator", hidden=True, pass_role=True)
def member_list(request, coordinator):
    """Applications to decide first, then every member with its contact and what it offers."""
    found = Member.objects.filter(alliance=coordinator.alliance).order_by(REVIEW_ORDER, "name")
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "alliances/member_list.html", {"page": page, "members": page.object_list})


@role_required("coordinator", hidden=True, pass_role=True)
def member_review(request, coordinator, pk):
    member = get_object_or_404(Member.objects.select_related("mou"), pk=pk, alliance=coordinator.alliance)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "alliances/member_review.html", _review_page(member, form), status=400)
        decide = {"approve": lambda: members.approve_member(member_id=member.pk, by=request.user),
                  "decline": lambda: members.decline_member(member_id=member.pk, by=request.user,
                                                            reason=form.cleaned_data["note"]),
                  "ask": lambda: members.ask_member_for_more(member_id=member.pk, by=request.user,
                                                             question=form.cleaned_data["note"])}
        try:
            decide[form.cleaned_data["decision"]]()
        except members.MemberError as exc:
            form.add_error(None, str(exc))
            return render(request, "alliances/member_review.html", _review_page(member, form),
                          status=exc.http_status)
        messages.success(request, f"{member.name}: done.")
        return redirect("coordinator-members")
    return render(request, "alliances/member_review.html", _review_page(member, form))


def _review_page(member, form, invite=None):
    return {"member": member, "form": form, "invite": invite or StaffInviteForm(),
            "staff": member.staff.select_related("user").order_by(F("verified_at").asc(nulls_first=True),
                                                                  "user__last_name")}


@role_required("coordinator", hidden=True, pass_role=True)
def invite_member_staff(request, coordinator, pk):
    """Invite a nonprofit's programme staff: they get an email with a link to set their password, and may then
    ask for mentors for their programmes (the invitation is the coordinator vouching for them)."""
    member = get_object_or_404(Member, pk=pk, alliance=coordinator.alliance)
    invite = StaffInviteForm(request.POST or None)
    if request.method == "POST" and invite.is_valid():
        try:
            staff = members.invite_partner_staff(member=member, email=invite.cleaned_data["email"],
                                                 name=invite.cleaned_data["name"], by=request.user)
        except members.MemberError as exc:
            invite.add_error("email" if exc.code == "staff_elsewhere" else None, str(exc))
        else:
            messages.success(request, f"Invited {staff.user.email}: they get an email to set their password.")
            return redirect("coordinator-member", pk=member.pk)
    return render(request, "alliances/member_review.html", _review_page(member, ReviewForm(), invite),
                  status=400 if invite.errors else 200)


@require_POST
@role_required("coordinator", hidden=True, pass_role=True)
def verify_member_staff(request, coordinator, pk, staff_id):
    """Vouch for a person a colleague invited: they may then ask for mentors for their organisation."""
    staff = get_object_or_404(MemberStaff, pk=staff_id, member_id=pk, member__alliance=coordinator.alliance)
    members.vouch_for_staff(staff_id=staff.pk, by=request.user)
    messages.success(request, f"{staff.user.get_full_name() or staff.user.email} is verified.")
    return redirect("coordinator-member", pk=pk)


# --- a member's people invite their colleagues ---------------------------------------------------------

@role_required("member_staff", pass_role=True)
def colleagues(request, staff):
    """The people acting for the caller's organisation, and (for verified people of an approved member) an
    invitation for one more; the colleague waits for a coordinator before asking for mentors."""
    may_invite = staff.is_verified and staff.member.status == Member.Status.APPROVED
    invite = StaffInviteForm(request.POST or None)
    if request.method == "POST":
        if not may_invite:
            raise PermissionDenied("A coordinator has to verify you before you can invite colleagues.")
        if invite.is_valid():
            try:
                colleague = members.invite_colleague(staff=staff, email=invite.cleaned_data["email"],
                                                     name=invite.cleaned_data["name"])
            except members.MemberError as exc:
                invite.add_error("email", str(exc))
            else:
                messages.success(request, f"Invited {colleague.user.email}: they get an email to set their "
                                          "password, and can ask for mentors once a coordinator verifies them.")
                return redirect("member-colleagues")
    people = staff.member.staff.select_related("user").order_by("verified_at", "user__last_name")
    return render(request, "alliances/colleagues.html",
                  {"member": staff.member, "people": people, "invite": invite, "may_invite": may_invite},
                  status=400 if invite.errors else 200)


@require_GET
@cache_control(public=True, max_age=300)
def look_css(request, slug):
    """`--brand` and `--brand-ink` for the alliance's header and buttons, after static/css/site.css."""
    alliance = get_object_or_404(Alliance, slug=slug)
    css = f":root {{ --brand: {alliance.brand_colour}; --brand-ink: {alliance.brand_ink()}; }}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")
