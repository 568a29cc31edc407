"""Impact pages: the one-tap answers, the coordinator's dashboard, targets and equity, the company statement
and the volunteer's own record. Every figure comes from `figures`; every table downloads as CSV."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.roles import role_required
from mentors.forms import apply_errors
from scheduling.services import MatchError
from schools.models import School

from . import charts, exports, feedback, figures, pdf, services
from .forms import CompanyLeadInviteForm, EquityForm, MentorAnswerForm, TargetForm, TeacherAnswerForm
from .models import CompanyLead, FeedbackRequest, Side, Target
from .scopes import company_scope, coordinator_scope

coordinator_required = role_required("coordinator", hidden=True, pass_role=True)
lead_required = role_required("company_lead", pass_role=True)
mentor_required = role_required("mentor", pass_role=True)

DASHBOARD_TABLES = {
    "month": "by month", "school": "by school", "grade_band": "by grade band", "setting": "by setting",
    "format": "by format", "kind": "by request kind", "company": "by company", "member": "by requesting member",
    "equity": "by school equity",
}


# --- the one-tap answer -------------------------------------------------------------------------------------

def _answer_form(feedback_request, data=None):
    interval = feedback_request.interval
    if feedback_request.side == Side.TEACHER:
        initial = {"happened": "yes", "students_reached": feedback_request.match.session.request.student_count}
        return TeacherAnswerForm(data, initial=initial)
    return MentorAnswerForm(data, initial={"happened": "yes", "hours": feedback.occurrence_hours(interval)
                                           .quantize(feedback.Decimal("0.01"))})


def _record_answer(request, feedback_request, *, actor, via):
    """Validate the answer and record it; returns the bound form (with errors) or None when recorded."""
    form = _answer_form(feedback_request, request.POST)
    if not form.is_valid():
        return form
    data = dict(form.cleaned_data)
    try:
        feedback.record_feedback(feedback_request_id=feedback_request.pk, actor=actor, via=via, **data)
    except ValidationError as error:
        apply_errors(form, error)
        return form
    return None


def answer(request, token):
    """The signed one-tap link: no sign-in, works once, expires."""
    try:
        feedback_request = feedback.open_link(token)
    except feedback.LinkProblem as problem:
        return render(request, "impact/link_problem.html", {"problem": problem}, status=problem.http_status)
    form = _answer_form(feedback_request)
    look = feedback_request.match.session.alliance  # the page wears the alliance's look, as its emails do
    if request.method == "POST":
        try:
            form = _record_answer(request, feedback_request, actor=None, via="link")
        except MatchError as refused:
            return render(request, "impact/link_problem.html", {"problem": refused}, status=refused.http_status)
        if form is None:
            return render(request, "impact/thanks.html", {"feedback_request": feedback_request, "look": look})
    return render(request, "impact/answer.html", {"fr": feedback_request, "form": form, "look": look},
                  status=400 if form.errors else 200)


@coordinator_required
def awaiting(request, coordinator):
    """Asks nobody answered yet; the coordinator can record an answer on the person's behalf."""
    asks = feedback.awaiting(coordinator.alliance_id)[:100]
    return render(request, "impact/awaiting.html", {"asks": asks})


@coordinator_required
def record_on_behalf(request, coordinator, request_id):
    fr = get_object_or_404(FeedbackRequest.objects.select_related(
        "match__session__request__school", "match__mentor__user", "interval"),
        pk=request_id, match__session__alliance_id=coordinator.alliance_id)
    if fr.answered_at is not None:
        messages.info(request, "This was already recorded.")
        return redirect("impact:awaiting")
    form = _answer_form(fr)
    if request.method == "POST":
        try:
            form = _record_answer(request, fr, actor=request.user, via="coordinator")
        except MatchError as refused:
            messages.error(request, str(refused))
            return redirect("impact:awaiting")
        if form is None:
            messages.success(request, "Recorded. Thank you!")
            return redirect("impact:awaiting")
    return render(request, "impact/answer.html", {"fr": fr, "form": form, "on_behalf": True},
                  status=400 if form.errors else 200)


# --- the coordinator's dashboard ----------------------------------------------------------------------------

@coordinator_required
def dashboard(request, coordinator):
    form, scope = coordinator_scope(request.GET, coordinator)
    if scope is None:
        return render(request, "impact/dashboard.html", {"filters": form}, status=400)
    data = figures.dashboard(scope, coordinator.alliance_id)
    return render(request, "impact/dashboard.html", {
        "filters": form, "scope": scope, "data": data, "query": request.GET.urlencode(),
        "tables": [(key, title, data[key]) for key, title in DASHBOARD_TABLES.items()],
        "charts": _charts(data)})


def _charts(data):
    return {
        "progress": charts.progress_bars("Progress toward this school year's targets", data["progress"]),
        "month": charts.columns("Students reached by month", data["month"]),
        "school": charts.horizontal_bars("Students reached by school", data["school"]),
    }


@coordinator_required
def dashboard_csv(request, coordinator, table):
    _, scope = coordinator_scope(request.GET, coordinator)
    if scope is None:
        return render(request, "bad_input.html", status=400)
    if table == "sessions":
        return exports.stream("sessions-held.csv", exports.SESSION_COLUMNS,
                              exports.held_sessions(figures.matches(scope), scope.tz))
    if table == "totals":
        sums = figures.totals(scope)
        columns = [("students", "Students reached"), ("sessions", "Sessions held"), ("hours", "Mentor hours"),
                   ("mentors", "Mentors active"), ("schools", "Schools served")]
        return exports.stream("impact-totals.csv", columns, [sums])
    if table not in DASHBOARD_TABLES:
        raise Http404
    rows = figures.dashboard_table(scope, table)
    columns = exports.REACH_COLUMNS + ([("schools_served", "Schools")] if table == "equity" else [])
    return exports.stream(f"impact-{table}.csv", columns, rows)


@coordinator_required
def targets(request, coordinator):
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_target(alliance=coordinator.alliance, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Targets saved.")
            return redirect("impact:targets")
    return render(request, "impact/targets.html", {
        "form": form, "targets": Target.objects.filter(alliance=coordinator.alliance)},
        status=400 if form.errors else 200)


@coordinator_required
def schools(request, coordinator):
    rows = (School.objects.filter(alliance=coordinator.alliance, kind=School.Kind.SCHOOL)
            .select_related("equity").order_by("name"))
    return render(request, "impact/schools.html", {"schools": rows})


@coordinator_required
def school_equity(request, coordinator, school_id):
    school = get_object_or_404(School, pk=school_id, alliance=coordinator.alliance)
    form = EquityForm(request.POST or None, instance=getattr(school, "equity", None))
    if request.method == "POST" and form.is_valid():
        services.record_equity(school=school, **form.cleaned_data)
        messages.success(request, f"Saved for {school.name}.")
        return redirect("impact:schools")
    return render(request, "impact/school_equity.html", {"school": school, "form": form},
                  status=400 if form.errors else 200)


@coordinator_required
def company_leads(request, coordinator):
    form = CompanyLeadInviteForm(request.POST or None, alliance=coordinator.alliance)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_company_lead(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Invitation sent.")
            return redirect("impact:company-leads")
    leads = CompanyLead.objects.filter(company__alliance=coordinator.alliance).select_related("user", "company")
    return render(request, "impact/company_leads.html", {"form": form, "leads": leads},
                  status=400 if form.errors else 200)


# --- the company lead's statement ---------------------------------------------------------------------------

@lead_required
def company_statement(request, lead):
    form, scope = company_scope(request.GET, lead)
    if scope is None:
        return render(request, "impact/company.html", {"filters": form, "lead": lead}, status=400)
    data = figures.company_statement(scope)
    return render(request, "impact/company.html", {
        "filters": form, "lead": lead, "scope": scope, "data": data, "query": request.GET.urlencode(),
        "month_chart": charts.columns("Hours by month", data["month"], value="hours")})


@lead_required
def company_csv(request, lead, table):
    _, scope = company_scope(request.GET, lead)
    if scope is None:
        return render(request, "bad_input.html", status=400)
    if table == "sessions":
        return exports.stream("company-sessions.csv", exports.SESSION_COLUMNS,
                              exports.held_sessions(figures.matches(scope), scope.tz))
    data = figures.company_statement(scope)
    if table not in ("month", "volunteer", "school"):
        raise Http404
    return exports.stream(f"company-{table}.csv", exports.REACH_COLUMNS, data[table])


@lead_required
def company_pdf(request, lead):
    _, scope = company_scope(request.GET, lead)
    if scope is None:
        return render(request, "bad_input.html", status=400)
    body = pdf.company_statement(lead.company, scope, figures.company_statement(scope))
    return _pdf(body, f"statement-{scope.start}-{scope.end}.pdf")


def _pdf(body, filename):
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- the volunteer's own record -----------------------------------------------------------------------------

def _mentor_scope(mentor, request):
    """All of the volunteer's sessions, every year."""
    return figures.Scope(start=figures.EVER[0], end=figures.EVER[1], tz=mentor.timezone, mentor_id=mentor.pk)


@mentor_required
def my_impact(request, mentor):
    scope = _mentor_scope(mentor, request)
    data = figures.mentor_record(scope)
    return render(request, "impact/my_impact.html", {"mentor": mentor, "data": data,
                                                     "printed_on": timezone.localdate()})


@mentor_required
def my_impact_pdf(request, mentor):
    scope = _mentor_scope(mentor, request)
    today = timezone.localdate()
    return _pdf(pdf.hours_statement(mentor, figures.mentor_record(scope, recent=None), today),
                f"volunteer-hours-{today}.pdf")


@mentor_required
def my_impact_csv(request, mentor):
    scope = _mentor_scope(mentor, request)
    return exports.stream("my-volunteer-hours.csv", exports.SESSION_COLUMNS,
                          exports.held_sessions(figures.matches(scope), scope.tz))

