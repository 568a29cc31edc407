"""The coordinator's home ("Today": what needs doing, each a link to where it is done) and the alliance's
and schools' calendar of closed days."""
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from alliances.models import ClosedDay, MemberStaff
from core import localtime
from core.roles import role_required
from mentors.models import Mentor
from notifications import inbound
from notifications.models import InboundMessage, Notification
from schools.models import School, SchoolClosedDay, Teacher

from . import selectors
from .models import Match

coordinator_page = role_required("coordinator", hidden=True, pass_role=True)
EXPIRY_SOON = timedelta(hours=24)  # an invitation that expires within this is "about to expire"
CHECK_WARNING_DAYS = 30  # background checks expiring within this many days are listed


@coordinator_page
def today(request, coordinator):
    """What needs doing today, most urgent first; every line links to the page where it is done."""
    alliance = coordinator.alliance
    waiting_staff = MemberStaff.objects.filter(member__alliance=alliance, verified_at__isnull=True)
    now = timezone.now()
    local_today = localtime.local_date(now, alliance.timezone)
    unfilled, unfilled_total = selectors.unfilled_sessions(alliance, limit=50)
    soon = [s for s in unfilled if s.starts_at < now + timedelta(days=7)]
    return render(request, "scheduling/today.html", {
        "alliance": alliance,
        "proposals": Match.objects.filter(session__alliance=alliance, status=Match.Status.PROPOSED).count(),
        "unfilled_soon": soon, "unfilled_later": unfilled_total - len(soon),
        "expiring": Match.objects.filter(session__alliance=alliance, status=Match.Status.INVITED,
                                         respond_by__lte=now + EXPIRY_SOON).select_related(
            "mentor__user", "session__request__school").order_by("respond_by")[:20],
        "texts": InboundMessage.objects.filter(alliance=alliance, needs_review=True, reviewed_at__isnull=True)
        .order_by("-received_at")[:20],
        "failed": Notification.objects.filter(
            Q(status=Notification.Status.FAILED) | Q(status=Notification.Status.NEEDS_ATTENTION),
            match__session__alliance=alliance, created_at__gte=now - timedelta(days=14)).count(),
        "checks": Mentor.objects.filter(
            company__alliance=alliance, status=Mentor.Status.APPROVED,
            background_check_status=Mentor.BackgroundCheck.CLEARED,
            background_check_expires__lte=local_today + timedelta(days=CHECK_WARNING_DAYS),
        ).select_related("user", "company").order_by("background_check_expires")[:20],
        "check_days": CHECK_WARNING_DAYS,
        "teachers": Teacher.objects.filter(school__alliance=alliance, verified_at__isnull=True).count(),
        # People a colleague invited to act for a member: like teachers, they wait for a coordinator.
        "member_staff": list(waiting_staff.select_related("user", "member").order_by("member__name", "pk")[:20]),
        "member_staff_count": waiting_staff.count(),
        "volunteers": Mentor.objects.filter(company__alliance=alliance, status=Mentor.Status.PENDING).count(),
    })


class ClosedDayForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(max_length=120, label="What is it", help_text="e.g. Thanksgiving, state testing")
    school = forms.ModelChoiceField(queryset=School.objects.none(), required=False,
                                    empty_label="Every school of the alliance",
                                    help_text="Leave as every school for a holiday; pick one for its own closure.")

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(alliance=alliance).order_by("name")


@coordinator_page
def closed_days(request, coordinator):
    """The alliance's and its schools' closed days: no request is taken and no match proposed on them."""
    alliance = coordinator.alliance
    form = ClosedDayForm(request.POST or None, alliance=alliance)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if data["school"]:
                    SchoolClosedDay.objects.create(school=data["school"], date=data["date"], name=data["name"])
                else:
                    ClosedDay.objects.create(alliance=alliance, date=data["date"], name=data["name"])
        except IntegrityError:
            form.add_error("date", "That day is already closed.")
        else:
            messages.success(request, f"Closed on {data['date']:%a %b} {data['date'].day}: {data['name']}.")
            return redirect("closed-days")
    today_local = localtime.local_date(timezone.now(), alliance.timezone)
    return render(request, "scheduling/closed_days.html", {
        "form": form,
        "alliance_days": ClosedDay.objects.filter(alliance=alliance, date__gte=today_local),
        "school_days": SchoolClosedDay.objects.filter(school__alliance=alliance, date__gte=today_local)
        .select_related("school"),
    })


@require_POST
@coordinator_page
def reopen_alliance_day(request, coordinator, day_id):
    return _reopen(request, get_object_or_404(ClosedDay, pk=day_id, alliance=coordinator.alliance))


@require_POST
@coordinator_page
def reopen_school_day(request, coordinator, day_id):
    return _reopen(request, get_object_or_404(SchoolClosedDay, pk=day_id, school__alliance=coordinator.alliance))


def _reopen(request, day):
    day.delete()
    messages.success(request, f"{day.name} is open again.")
    return redirect("closed-days")


@require_POST
@coordinator_page
def text_handled(request, coordinator, message_id):
    """A text that needed a person is dealt with (the inbox API's resolve, from the Today page)."""
    inbound.mark_reviewed(message_id=message_id, alliance=coordinator.alliance, actor=request.user)
    messages.success(request, "Marked as handled.")
    return redirect("coordinator-home")
