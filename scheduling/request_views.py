"""The home page, teachers' request pages and the coordinator's front page: they show a request's matches."""
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.forms import apply_errors
from core.roles import coordinator_of, mentor_of, requester_of, requester_required, teacher_of
from mentors.views import mentor_home
from schools import forms, services
from schools.models import MentorRequest

from . import requests as request_flow
from . import services as lifecycle
from .models import Match

STATUS_HELP = {
    "submitted": "We received it and will look for mentors shortly.",
    "matching": "We are looking for mentors who fit.",
    "proposed": "Mentors are proposed; your coordinator is checking them and inviting them.",
    "confirmed": "Every mentor you asked for has confirmed.",
    "completed": "The session took place. Thank you!",
    "cancelled": "This request was cancelled.",
}


def home(request):
    """Send each person to their own front page."""
    user = request.user
    if coordinator_of(user):
        return redirect("coordinator-home")
    if requester_of(user):
        return redirect("teacher-requests")
    if mentor_of(user):
        return mentor_home(request)
    if user.is_authenticated and user.is_staff:
        return redirect("admin:index")
    return render(request, "home.html")


# --- requests: teachers' and partner staff's own -----------------------------------
# A teacher and a nonprofit's programme staff use the same pages; each sees only the requests they made
# themselves (never a colleague's, never the other kind's).

def _teacher_requests(request):
    confirmed = Match.objects.filter(status__in=[Match.Status.CONFIRMED, Match.Status.COMPLETED]).select_related(
        "mentor__user", "mentor__company")
    mine = MentorRequest.asked_by(requester_of(request.user))
    return MentorRequest.objects.filter(mine).select_related("school").prefetch_related(
        "skills", "sessions__intervals", Prefetch("sessions__matches", queryset=confirmed, to_attr="confirmed"))


def _asker(user):
    """The requester, whether they may ask now, the zone their list reads in, and their own form."""
    if teacher := teacher_of(user):
        return teacher, teacher.is_verified, teacher.school.timezone
    staff = requester_of(user)
    return staff, staff.may_request_mentors, staff.member.alliance.timezone


@requester_required
def request_list(request):
    requests = list(_teacher_requests(request).order_by("-created_at"))
    for mentor_request in requests:
        mentor_request.status_help = STATUS_HELP[mentor_request.status]
    asker, can_ask, zone = _asker(request.user)
    return render(request, "schools/request_list.html", {"teacher": asker, "can_ask": can_ask, "zone": zone,
                                                         "requests": requests, "now": timezone.now()})


def _request_form(request, asker, earlier):
    if teacher_of(request.user):
        initial = forms.RequestForm.again(earlier) if earlier else {}
        return forms.RequestForm(request.POST or None, school=asker.school, initial=initial), {"teacher": asker}
    initial = forms.PartnerRequestForm.again(earlier) if earlier else {}
    form = forms.PartnerRequestForm(request.POST or None, sites=request_flow.partner_sites(asker), initial=initial)
    return form, {"partner_staff": asker}


@requester_required
def request_new(request):
    teacher, can_ask, _ = _asker(request.user)
    again = request.GET.get("again", "")
    mine = MentorRequest.asked_by(teacher)
    earlier = MentorRequest.objects.filter(mine, pk=again).first() if again.isdigit() else None
    form, who = _request_form(request, teacher, earlier)
    if can_ask and request.method == "POST" and form.is_valid():
        if sent := _already_sent(request, teacher, form.cleaned_data["submission_key"]):
            return sent
        try:
            created = request_flow.create_teacher_request(**who, **form.request_fields())
        except IntegrityError:  # the same form, submitted twice at once: the other submission made it
            return _already_sent(request, teacher, form.cleaned_data["submission_key"])
        except ValidationError as error:
            apply_errors(form, error)
        except services.RequestRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Request “{created.topic}” sent. We'll look for mentors now.")
            return redirect("teacher-requests")
    return render(request, "schools/request_form.html", {"form": form, "teacher": teacher, "can_ask": can_ask,
                                                         "again": earlier is not None, **who})


def _already_sent(request, teacher, key):
    """The request an earlier submission of this very form made, as a redirect to it (or None)."""
    earlier = MentorRequest.objects.filter(MentorRequest.asked_by(teacher), submission_key=key).first() if key else None
    if earlier is None:
        return None
    messages.info(request, "This request was already sent; here it is.")
    return redirect("teacher-request", pk=earlier.pk)


def _edit_initial(mentor_request, session):
    if session is None:
        return {}
    first = session.intervals.first()
    tz = ZoneInfo(mentor_request.school.timezone)
    start, end = first.starts_at.astimezone(tz), first.ends_at.astimezone(tz)
    return {"topic": mentor_request.topic, "description": mentor_request.description,
            "student_count": mentor_request.student_count, "date": start.date(), "start": start.time(),
            "end": end.time(), "meeting_link": mentor_request.meeting_link}


@requester_required
def request_detail(request, pk):
    mentor_request = get_object_or_404(_teacher_requests(request), pk=pk)
    session = mentor_request.sessions.exclude(status="cancelled").order_by("starts_at").first()
    editable = mentor_request.status not in ("cancelled", "completed")
    form = forms.RequestEditForm(request.POST or None, request=mentor_request,
                                 initial=_edit_initial(mentor_request, session))
    if editable and request.method == "POST" and form.is_valid():
        try:
            _save_edit(mentor_request, form, request.user)
        except ValidationError as error:
            apply_errors(form, error)
        except services.RequestRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Saved. Booked mentors get an updated calendar invitation if the time or "
                                      "link changed.")
            return redirect("teacher-request", pk=mentor_request.pk)
    return render(request, "schools/request_detail.html", {
        "req": mentor_request, "session": session, "form": form, "editable": editable,
        "cancel_form": forms.CancelRequestForm(), "status_text": STATUS_HELP[mentor_request.status],
        "alternatives": [(datetime.fromisoformat(s), datetime.fromisoformat(e))
                         for s, e in mentor_request.alternative_times],
        "booked": Match.objects.filter(session__request=mentor_request, status__in=Match.BOOKED).count(),
        "now": timezone.now(),
    })


def _save_edit(mentor_request, form, actor):
    data = form.cleaned_data
    details = {k: data[k] for k in ("topic", "description", "student_count")
               if data[k] != getattr(mentor_request, k)}
    with transaction.atomic():
        services.update_request_details(request_id=mentor_request.pk, **details)
        request_flow.reschedule_request(request_id=mentor_request.pk, actor=actor, intervals=form.intervals,
                                    meeting_link=data.get("meeting_link", ""))


@require_POST
@requester_required
def request_cancel(request, pk):
    mentor_request = get_object_or_404(_teacher_requests(request), pk=pk)
    form = forms.CancelRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tell us briefly why you are cancelling, so mentors understand.")
        return redirect("teacher-request", pk=pk)
    try:
        lifecycle.cancel_request(request_id=mentor_request.pk, actor=request.user,
                                 reason=form.cleaned_data["reason"])
        messages.success(request, "Request cancelled. Any booked mentors have been told.")
    except lifecycle.MatchError as error:
        messages.error(request, str(error))
    return redirect("teacher-requests")
