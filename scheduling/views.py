"""Coordinator review pages and the completion pages for teachers and mentors."""
from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.roles import coordinator_of, mentor_of, partner_staff_of, role_required, teacher_of
from mentors.forms import apply_errors
from schools.models import School

from . import fillable, review_items, selectors, services, tasks
from .models import Match, Session

coordinator_required = role_required("coordinator", hidden=True, pass_role=True)
REVIEW_PAGE_SIZE = 50  # matches per page of the review queue
UNFILLED_PAGE_SIZE = 20  # sessions per page of the requests the engine could not fill


class QueueFilter(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), required=False, empty_label="All schools")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(choices=[("", "Any status"), *Match.Status.choices], required=False, initial="proposed")

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(alliance=alliance).order_by("name")


class RejectForm(forms.Form):
    reason = forms.CharField(max_length=500, label="Why not this volunteer?")


@coordinator_required
def review_queue(request, coordinator):
    """Proposed matches grouped by request with the score's parts, a page at a time, and how many requests
    the engine could not fill (listed on their own page)."""
    data = request.GET if set(request.GET) - {"page"} else {"status": "proposed"}
    filters = QueueFilter(data, alliance=coordinator.alliance)
    criteria = filters.cleaned_data if filters.is_valid() else {"status": "proposed"}
    page, groups = selectors.review_queue(
        coordinator.alliance, school_id=getattr(criteria.get("school"), "pk", None),
        date_from=criteria.get("date_from"), date_to=criteria.get("date_to"), status=criteria.get("status"),
        page=request.GET.get("page"), per_page=REVIEW_PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "scheduling/review_queue.html", {
        "filter_fields": review_items.filter_fields(filters), "cards": review_items.sections(request, groups),
        "page": page, "query": query.urlencode(),
        "unfilled": selectors.short_sessions(coordinator.alliance).count(),
    })


@coordinator_required
def unfilled(request, coordinator):
    """Every open request the engine could not fill, soonest first, a page at a time, with the engine's
    latest reason and a link to what would make each fillable."""
    short = selectors.short_sessions(coordinator.alliance).select_related("request__school")
    page = Paginator(short, UNFILLED_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_engine_reasons(coordinator.alliance, list(page.object_list))
    return render(request, "scheduling/unfilled.html", {"page": page})


def _coordinator_match(coordinator, match_id):
    return get_object_or_404(Match.objects.select_related("session"), pk=match_id,
                             session__alliance=coordinator.alliance)


def _act(request, action, *, success):
    """Run a lifecycle service; answer the review queue's in-place request with JSON, a form with a redirect."""
    try:
        match = action()
    except services.MatchError as exc:
        if _inplace(request):
            return JsonResponse({"ok": False, "message": str(exc), "code": exc.code}, status=exc.http_status)
        messages.error(request, str(exc))
    else:
        if _inplace(request):
            status = Match.Status(match.status) if isinstance(match, Match) else None
            return JsonResponse({"ok": True, "message": success, "status": status,
                                 "status_label": status.label.capitalize() if status else ""})
        messages.success(request, success)
    return _back(request)


def _inplace(request):
    return request.headers.get("X-Inplace") == "1"


def _back(request):
    """Back to the page the form came from when it is on this site, else to the review queue."""
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("scheduling:review-queue")


@require_POST
@coordinator_required
def approve(request, coordinator, match_id):
    match = _coordinator_match(coordinator, match_id)
    return _act(request, lambda: services.approve_match(match_id=match.pk, actor=request.user),
                success=f"Approved {match.mentor}; the invitation is on its way.")


@require_POST
@coordinator_required
def reject(request, coordinator, match_id):
    match = _coordinator_match(coordinator, match_id)
    form = RejectForm(request.POST)
    if not form.is_valid():
        message = "Say why, so the next coordinator knows: the reason is required."
        if _inplace(request):
            return JsonResponse({"ok": False, "message": message, "field": "reason"}, status=400)
        messages.error(request, message)
        return _back(request)
    return _act(request, lambda: services.reject_match(match_id=match.pk, actor=request.user,
                                                       reason=form.cleaned_data["reason"]),
                success=f"Rejected {match.mentor}; they will not be proposed for this session again.")


@require_POST
@coordinator_required
def bulk_approve(request, coordinator):
    ids = [int(i) for i in request.POST.getlist("match") if i.isdigit()]
    if not ids:
        messages.error(request, "Nothing was ticked: tick the proposals to approve, then press Approve selected.")
        return _back(request)
    approved, refused = 0, []
    for match in Match.objects.filter(pk__in=ids, session__alliance=coordinator.alliance):
        try:
            services.approve_match(match_id=match.pk, actor=request.user)
            approved += 1
        except services.MatchError as exc:
            refused.append(f"{match.mentor}: {exc}")
    if approved:
        messages.success(request, f"Approved {approved} match(es).")
    for line in refused:
        messages.error(request, line)
    return redirect("scheduling:review-queue")


@require_POST
@coordinator_required
def queue_matching_now(request, coordinator):
    """Match the alliance's coming weeks now rather than at the next hourly plan (e.g. after new weights)."""
    if services.queue_alliance_matching(alliance_id=coordinator.alliance_id):
        messages.success(request, f"Matching is queued for the next {tasks.HORIZON_WEEKS} weeks; new proposals "
                                  "appear under Review matches within a few minutes.")
    else:
        messages.error(request, "The task queue is unavailable; try again in a minute.")
    return _back(request)


@coordinator_required
def candidates(request, coordinator, match_id):
    """The ranked feasible volunteers for a proposal's session, to swap one in."""
    match = _coordinator_match(coordinator, match_id)
    if request.method == "POST":
        mentor_id = request.POST.get("mentor", "")
        if not mentor_id.isdigit():
            messages.error(request, "Pick a volunteer to swap in.")
            return redirect("scheduling:candidates", match_id=match.pk)
        return _act(request, lambda: services.swap_match(match_id=match.pk, mentor_id=int(mentor_id),
                                                         actor=request.user),
                    success="Swapped; the new proposal is in the queue.")
    ranked = [row for row in selectors.ranked_candidates(match.session) if row[0].pk != match.mentor_id]
    words = selectors.candidate_words(match.session, [mentor for mentor, _, _ in ranked],
                                      unit=coordinator.alliance.distance_unit)
    rows = [(mentor, score, parts, words[mentor.pk]) for mentor, score, parts in ranked]
    return render(request, "scheduling/candidates.html", {"match": match, "ranked": rows})


@coordinator_required
def unfilled_help(request, coordinator, session_id):
    """An unfilled request: the engine's reason and what would make it fillable, with who would then fit."""
    session = get_object_or_404(Session.objects.select_related("request__school"), pk=session_id,
                                alliance=coordinator.alliance)
    return render(request, "scheduling/unfilled_help.html", {
        "session": session, "lines": fillable.what_would_help(session, unit=coordinator.alliance.distance_unit),
    })


class CompletionForm(forms.Form):
    hours = forms.DecimalField(min_value=0, max_value=100, decimal_places=2, label="Hours mentored")
    students_reached = forms.IntegerField(min_value=0, max_value=1000, label="Students reached (a number)")


class HoursReportForm(forms.Form):
    hours = forms.DecimalField(min_value=0, max_value=100, decimal_places=2, label="Hours you mentored")


def _completion_match(user, match_id):
    """The match as its mentor, its requesting teacher or a coordinator of its alliance may open it."""
    matches = Match.objects.select_related("session__request__school", "mentor__user")
    if mentor := mentor_of(user):
        return get_object_or_404(matches, pk=match_id, mentor=mentor)
    if teacher := teacher_of(user):
        return get_object_or_404(matches, pk=match_id, session__request__teacher=teacher)
    if staff := partner_staff_of(user):
        return get_object_or_404(matches, pk=match_id, session__request__partner_staff=staff)
    if coordinator := coordinator_of(user):
        return get_object_or_404(matches, pk=match_id, session__alliance=coordinator.alliance)
    raise Http404


def _record(request, form, action, *, template, context, success):
    """Run a completion service on a valid form: field errors on the form, refusals as a message."""
    if request.method == "POST" and form.is_valid():
        try:
            action(**form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        except services.MatchError as error:
            form.add_error(None, str(error))
        else:
            return success()
    return render(request, template, {**context, "form": form})


@login_required
def complete(request, match_id):
    """The requesting teacher (or a coordinator) confirms the session happened: hours and students reached.
    The mentor, on the same link, reports their hours instead; that never completes the match."""
    match = _completion_match(request.user, match_id)
    if mentor_of(request.user):
        form = HoursReportForm(request.POST or None)
        action = partial(services.report_mentor_hours, match_id=match.pk, actor=request.user)
        message = "Thank you! Your hours are recorded."
    else:
        form = CompletionForm(request.POST or None, initial={"students_reached": match.session.request.student_count})
        action = partial(services.complete_match, match_id=match.pk, actor=request.user)
        message = "Thank you! The session is recorded."

    def done():
        messages.success(request, message)
        if coordinator_of(request.user):
            return _back(request)
        if teacher_of(request.user):
            return redirect("teacher-request", pk=match.session.request_id)
        return redirect("my-sessions")

    return _record(request, form, action, template="scheduling/complete.html", success=done,
                   context={"match": match, "reporting_hours": isinstance(form, HoursReportForm)})


@require_POST
@login_required
def no_show(request, match_id):
    match = _completion_match(request.user, match_id)
    if mentor_of(request.user):
        raise Http404
    return _act(request, lambda: services.mark_no_show(match_id=match.pk, actor=request.user,
                                                       reason="marked by the teacher"),
                success="Recorded as a no-show. Your coordinator will follow up.")

