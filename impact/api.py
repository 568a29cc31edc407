"""Every impact figure over REST: the same scopes and figures as the pages; bad filters are a 400 naming the field."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import IsCoordinator, IsMentor

from . import figures
from .scopes import company_scope, coordinator_scope

FILTERS = [OpenApiParameter(name, OpenApiTypes.DATE if name in ("start", "end") else OpenApiTypes.STR,
                            required=False) for name in ("start", "end", "school", "company", "grade_band",
                                                         "setting", "format", "kind")]


class IsCompanyLead(permissions.BasePermission):
    message = "Only a company lead can do this."

    def has_permission(self, request, view):
        return request.user.is_authenticated and getattr(request.user, "company_lead", None) is not None


def _plain(scope, data):
    target = data.pop("target", None)
    data["range"] = {"start": scope.start, "end": scope.end, "timezone": scope.tz}
    data["target"] = None if target is None else {
        "starts_on": target.starts_on, "ends_on": target.ends_on, "students": target.students,
        "mentors": target.mentors, "hours": target.hours, "schools": target.schools}
    return data


def _refuse(form):
    raise serializers.ValidationError({field: [e["message"] for e in errors]
                                       for field, errors in form.errors.get_json_data().items()})


class Dashboard(APIView):
    """The coordinator dashboard's figures for the caller's alliance, a date range and filters."""

    permission_classes = [IsCoordinator]

    @extend_schema(parameters=FILTERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        form, scope = coordinator_scope(request.query_params, request.user.coordinator)
        if scope is None:
            _refuse(form)
        return Response(_plain(scope, figures.dashboard(scope, scope.alliance_id)))


class CompanyStatement(APIView):
    """The caller's own company's contribution: totals, by month, by volunteer, by school."""

    permission_classes = [IsCompanyLead]

    @extend_schema(parameters=FILTERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        form, scope = company_scope(request.query_params, request.user.company_lead)
        if scope is None:
            _refuse(form)
        return Response(_plain(scope, figures.company_statement(scope)))


class MyImpact(APIView):
    """The signed-in volunteer's own record: sessions, hours, students reached, schools."""

    permission_classes = [IsMentor]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        mentor = request.user.mentor
        scope = figures.Scope(start=figures.EVER[0], end=figures.EVER[1], tz=mentor.timezone, mentor_id=mentor.pk)
        return Response(_plain(scope, figures.mentor_record(scope)))
