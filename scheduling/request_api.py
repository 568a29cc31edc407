"""Teachers' and partner staff's requests over REST: the same services and rules as the request pages."""
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.pagination import RowPagination, rows_page
from core.roles import IsRequester, IsTeacher, coordinator_of, partner_staff_of, teacher_of
from schools import services
from schools.models import MentorRequest

from . import requests as request_flow
from .request_serializers import (
    REQUEST_COLUMNS,
    MentorRequestSerializer,
    RequestDetailsSerializer,
    RescheduleSerializer,
    request_rows,
)
from .services import cancel_request


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class MentorRequestViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Teachers and partner staff ask for mentors and see or cancel their own requests (never a colleague's);
    teachers also change theirs here; coordinators see and may cancel their alliance's."""

    pagination_class = RowPagination
    serializer_class = MentorRequestSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        requests = MentorRequest.objects.all()
        if teacher := teacher_of(self.request.user):
            return requests.filter(teacher=teacher).order_by("-created_at")
        if coordinator := coordinator_of(self.request.user):
            return requests.filter(school__alliance_id=coordinator.alliance_id).order_by("-created_at")
        if staff := partner_staff_of(self.request.user):  # their own requests only
            return requests.filter(partner_staff=staff).order_by("-created_at")
        return requests.none()

    def get_permissions(self):
        if self.action == "create":
            return [IsRequester()]
        if self.action in ("partial_update", "reschedule"):
            return [IsTeacher()]
        return super().get_permissions()

    def get_serializer_class(self):
        if self.action == "partial_update":
            return RequestDetailsSerializer
        return super().get_serializer_class()

    # A page read as rows (values, not model instances): a list's cost is its rows.
    def list(self, request, *args, **kwargs):
        rows = rows_page(self, self.get_queryset(), REQUEST_COLUMNS)
        return self.get_paginated_response(self.get_serializer(request_rows(rows), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        teacher = teacher_of(request.user)
        who = {"teacher": teacher} if teacher else {"partner_staff": partner_staff_of(request.user)}
        created = request_flow.create_teacher_request(**who, **dict(body.validated_data))
        return self._respond(created, status.HTTP_201_CREATED)

    def _own(self):
        mentor_request = self.get_object()
        if mentor_request.teacher_id != self.request.user.teacher.pk:
            raise PermissionDenied("Only the teacher who made this request can change it.")
        return mentor_request

    @extend_schema(request=RequestDetailsSerializer, responses=MentorRequestSerializer)
    def partial_update(self, request, *args, **kwargs):
        mentor_request = self._own()
        body = RequestDetailsSerializer(mentor_request, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.update_request_details(request_id=mentor_request.pk, **body.validated_data)
        return self._respond(mentor_request)

    @extend_schema(request=RescheduleSerializer, responses=MentorRequestSerializer)
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        """Move the session and/or change the meeting link; booked mentors get an updated calendar invite."""
        mentor_request = self._own()
        body = RescheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        request_flow.reschedule_request(request_id=mentor_request.pk, actor=request.user, **body.validated_data)
        return self._respond(mentor_request)

    @extend_schema(request=CancelSerializer, responses=MentorRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Call the request off: booked mentors are told and their calendar entries withdrawn."""
        mentor_request = self.get_object()
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        cancel_request(request_id=mentor_request.pk, actor=request.user, reason=body.validated_data["reason"])
        return self._respond(mentor_request)

    def _respond(self, mentor_request, code=status.HTTP_200_OK):
        [row] = request_rows(list(self.get_queryset().filter(pk=mentor_request.pk).values(*REQUEST_COLUMNS)))
        return Response(MentorRequestSerializer(row, context=self.get_serializer_context()).data, status=code)
