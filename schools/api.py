from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import IsTeacher, coordinator_of, teacher_of
from scheduling.services import cancel_request

from . import services
from .models import MentorRequest
from .serializers import MentorRequestSerializer


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class MentorRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Teachers ask for mentors; coordinators see their alliance's requests."""

    serializer_class = MentorRequestSerializer

    def get_queryset(self):
        requests = MentorRequest.objects.select_related("school").prefetch_related("skills", "sessions__intervals")
        if teacher := teacher_of(self.request.user):
            return requests.filter(school=teacher.school).order_by("-created_at")
        if coordinator := coordinator_of(self.request.user):
            return requests.filter(school__alliance=coordinator.alliance).order_by("-created_at")
        return requests.none()

    def get_permissions(self):
        if self.action == "create":
            return [IsTeacher()]
        return super().get_permissions()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.create_request(teacher=self.request.user.teacher, **data)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Call the request off: booked mentors are told and their calendar entries withdrawn."""
        mentor_request = self.get_object()
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        cancel_request(request_id=mentor_request.pk, actor=request.user, reason=body.validated_data["reason"])
        mentor_request.refresh_from_db()
        return Response(self.get_serializer(mentor_request).data, status=status.HTTP_200_OK)
