from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.pagination import RowPagination, rows_page
from core.roles import IsCoordinator, coordinator_of, mentor_of, partner_staff_of, teacher_of
from notifications.api import NotificationSerializer
from notifications.models import Notification

from . import services
from .filters import MatchFilter
from .models import Match, MatchingRun
from .serializers import (
    MATCH_COLUMNS,
    CompletionSerializer,
    HoursReportSerializer,
    MatchingRunRequestSerializer,
    MatchingRunSerializer,
    MatchSerializer,
    NoShowSerializer,
    ReasonSerializer,
    match_rows,
)


def visible_matches(user):
    """Coordinators see their alliance, teachers the matches of their own requests, mentors their own matches."""
    matches = Match.objects.all()
    if coordinator := coordinator_of(user):
        return matches.filter(session__alliance_id=coordinator.alliance_id)
    if teacher := teacher_of(user):
        return matches.filter(session__request__teacher=teacher).exclude(
            status__in=[Match.Status.PROPOSED, Match.Status.REJECTED]
        )
    if mentor := mentor_of(user):
        return matches.filter(mentor=mentor).exclude(status__in=[Match.Status.PROPOSED, Match.Status.REJECTED])
    if staff := partner_staff_of(user):
        return matches.filter(session__request__partner_staff=staff).exclude(
            status__in=[Match.Status.PROPOSED, Match.Status.REJECTED]
        )
    return matches.none()


class MatchViewSet(viewsets.ReadOnlyModelViewSet):
    """Matches and their lifecycle; every action calls the one service for that transition."""

    pagination_class = RowPagination
    serializer_class = MatchSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = MatchFilter

    def get_queryset(self):
        return visible_matches(self.request.user).order_by("session__starts_at", "-score", "pk")

    # A page read as rows (values, not model instances of five tables): a list's cost is its rows.
    def list(self, request, *args, **kwargs):
        rows = rows_page(self, self.filter_queryset(self.get_queryset()), MATCH_COLUMNS)
        return self.get_paginated_response(self.get_serializer(match_rows(rows), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    def _respond(self, match):
        [row] = match_rows(list(self.get_queryset().filter(pk=match.pk).values(*MATCH_COLUMNS)))
        return Response(self.get_serializer(row).data, status=status.HTTP_200_OK)

    def _require(self, check, message):
        if not check:
            raise PermissionDenied(message)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], permission_classes=[IsCoordinator])
    def approve(self, request, pk=None):
        match = self.get_object()
        return self._respond(services.approve_match(match_id=match.pk, actor=request.user))

    @extend_schema(request=ReasonSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsCoordinator])
    def reject(self, request, pk=None):
        match = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.reject_match(match_id=match.pk, actor=request.user, **body.validated_data))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        match = self.get_object()
        self._require(mentor_of(request.user) == match.mentor, "Only the invited volunteer can accept.")
        return self._respond(services.confirm_match(match_id=match.pk, actor=request.user))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        match = self.get_object()
        self._require(mentor_of(request.user) == match.mentor, "Only the invited volunteer can decline.")
        return self._respond(services.decline_match(match_id=match.pk, actor=request.user))

    @extend_schema(request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        match = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.cancel_match(match_id=match.pk, actor=request.user, **body.validated_data))

    @extend_schema(request=CompletionSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """The requesting teacher or a coordinator records that the session happened (once it has started)."""
        match = self.get_object()
        body = CompletionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.complete_match(match_id=match.pk, actor=request.user, **body.validated_data))

    @extend_schema(request=NoShowSerializer)
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, pk=None):
        """The requesting teacher or a coordinator records that the mentor did not come."""
        match = self.get_object()
        body = NoShowSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.mark_no_show(match_id=match.pk, actor=request.user, **body.validated_data))

    @extend_schema(request=None, responses=NotificationSerializer(many=True))
    @action(detail=True, methods=["get"], permission_classes=[IsCoordinator])
    def messages(self, request, pk=None):
        """Every message about this match: which are held and until when, which were withdrawn and why."""
        match = self.get_object()
        rows = Notification.objects.filter(match=match).order_by("created_at", "pk")
        return Response(NotificationSerializer(rows, many=True).data)

    @extend_schema(request=HoursReportSerializer)
    @action(detail=True, methods=["post"], url_path="report-hours")
    def report_hours(self, request, pk=None):
        """The mentor reports the hours they gave; the match stays as it is."""
        match = self.get_object()
        body = HoursReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.report_mentor_hours(match_id=match.pk, actor=request.user,
                                                          **body.validated_data))


class MatchingRunViewSet(viewsets.ViewSet):
    """Coordinators start a matching run for their alliance and a window, and see past runs."""

    permission_classes = [IsCoordinator]

    @extend_schema(responses=MatchingRunSerializer(many=True))
    def list(self, request):
        runs = MatchingRun.objects.filter(alliance=request.user.coordinator.alliance).order_by("-started_at")[:20]
        return Response(MatchingRunSerializer(runs, many=True).data)

    @extend_schema(request=MatchingRunRequestSerializer,
                   responses={202: inline_serializer("Queued", {"queued": serializers.BooleanField()})})
    def create(self, request):
        body = MatchingRunRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        queued = services.queue_matching_run(alliance_id=request.user.coordinator.alliance_id, **body.validated_data)
        if not queued:
            return Response({"detail": "The task queue is unavailable; try again in a minute.", "code": "unavailable"},
                            status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response({"queued": True}, status=status.HTTP_202_ACCEPTED)
