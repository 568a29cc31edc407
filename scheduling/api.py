from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from config.api import IsCoordinator, coordinator_of, mentor_of, teacher_of

from . import services, tasks
from .models import Match, MatchingRun
from .serializers import CompletionSerializer, MatchingRunRequestSerializer, MatchSerializer, ReasonSerializer

# What MatchSerializer shows, and no more: building full rows of seven models was most of a list's time.
SHOWN = (
    "status", "score", "reasons", "respond_by", "status_changed_at", "hours", "students_reached",
    "mentor__phone", "mentor__background_check_status", "mentor__background_check_expires",
    "mentor__user__first_name", "mentor__user__last_name", "mentor__user__username", "mentor__user__email",
    "mentor__company__name", "session__request__topic", "session__request__grade_band", "session__request__format",
    "session__request__school__name",
)


def visible_matches(user):
    """Coordinators see their alliance, teachers their school's requests, mentors their own matches."""
    matches = Match.objects.select_related(
        "mentor__user", "mentor__company", "session__request__school"
    ).only(*SHOWN).prefetch_related("session__intervals")
    if coordinator := coordinator_of(user):
        return matches.filter(session__alliance=coordinator.alliance)
    if teacher := teacher_of(user):
        return matches.filter(session__request__school=teacher.school).exclude(
            status__in=[Match.Status.PROPOSED, Match.Status.REJECTED]
        )
    if mentor := mentor_of(user):
        return matches.filter(mentor=mentor).exclude(status__in=[Match.Status.PROPOSED, Match.Status.REJECTED])
    return matches.none()


class MatchViewSet(viewsets.ReadOnlyModelViewSet):
    """Matches and their lifecycle; every action calls the one service for that transition."""

    serializer_class = MatchSerializer

    def get_queryset(self):
        matches = visible_matches(self.request.user).order_by("session__starts_at", "-score", "pk")
        if status_filter := self.request.query_params.get("status"):
            matches = matches.filter(status=status_filter)
        return matches

    def _respond(self, match):
        match = self.get_queryset().get(pk=match.pk)
        return Response(self.get_serializer(match).data, status=status.HTTP_200_OK)

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
        match = self.get_object()
        body = CompletionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.complete_match(match_id=match.pk, actor=request.user, **body.validated_data))


class MatchingRunViewSet(viewsets.ViewSet):
    """Coordinators start a matching run for their alliance and a window, and see past runs."""

    permission_classes = [IsCoordinator]

    def list(self, request):
        runs = MatchingRun.objects.filter(alliance=request.user.coordinator.alliance).order_by("-started_at")[:20]
        return Response([
            {"id": r.pk, "window_start": r.window_start, "window_end": r.window_end, "finished_at": r.finished_at,
             "stats": r.stats, "unfilled": r.unfilled, "weights": r.weights}
            for r in runs
        ])

    @extend_schema(request=MatchingRunRequestSerializer, responses={202: None})
    def create(self, request):
        body = MatchingRunRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        window = body.validated_data
        queued = services.queue_task(
            tasks.run_matching, request.user.coordinator.alliance_id,
            window["window_start"].isoformat(), window["window_end"].isoformat(),
        )
        if not queued:
            return Response({"detail": "The task queue is unavailable; try again in a minute.", "code": "unavailable"},
                            status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response({"queued": True}, status=status.HTTP_202_ACCEPTED)
