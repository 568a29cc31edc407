"""Teachers' requests and teacher onboarding over REST: the same services and rules as the pages."""
from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from alliances import services as alliance_services
from core import accounts
from core.pagination import RowPagination
from core.roles import IsCoordinator, IsTeacher, coordinator_of, teacher_of
from core.schema import MESSAGE
from core.vocabulary import DEFAULT_WEIGHTS
from scheduling import requests as request_flow
from scheduling.services import cancel_request

from . import services
from .models import MentorRequest, Teacher
from .serializers import (
    REQUEST_COLUMNS,
    AcceptInviteSerializer,
    CoordinatorTeacherSerializer,
    MatchingWeightsSerializer,
    MentorRequestSerializer,
    RequestDetailsSerializer,
    RescheduleSerializer,
    TeacherInviteSerializer,
    TeacherSignupSerializer,
    request_rows,
)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class MentorRequestViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Teachers ask for mentors and see, change or cancel their own requests (never a colleague's);
    coordinators see and may cancel their alliance's."""

    pagination_class = RowPagination
    serializer_class = MentorRequestSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        requests = MentorRequest.objects.all()
        if teacher := teacher_of(self.request.user):
            return requests.filter(teacher=teacher).order_by("-created_at")
        if coordinator := coordinator_of(self.request.user):
            return requests.filter(school__alliance_id=coordinator.alliance_id).order_by("-created_at")
        return requests.none()

    def get_permissions(self):
        if self.action in ("create", "partial_update", "reschedule"):
            return [IsTeacher()]
        return super().get_permissions()

    def get_serializer_class(self):
        if self.action == "partial_update":
            return RequestDetailsSerializer
        return super().get_serializer_class()

    # A page read as rows (values, not model instances): a list's cost is its rows.
    def list(self, request, *args, **kwargs):
        rows = self.paginate_queryset(self.get_queryset().values(*REQUEST_COLUMNS))
        return self.get_paginated_response(self.get_serializer(request_rows(rows), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        created = request_flow.create_teacher_request(teacher=request.user.teacher, **dict(body.validated_data))
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


class TeacherSignup(APIView):
    """A teacher signs up with their school email; same answer whether or not the address has an account."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "signup"

    @extend_schema(request=TeacherSignupSerializer, responses={202: MESSAGE})
    def post(self, request):
        body = TeacherSignupSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.sign_up_teacher(**body.validated_data)
        return Response({"detail": accounts.SIGNUP_SENT_MESSAGE}, status=status.HTTP_202_ACCEPTED)


class AcceptTeacherInvite(APIView):
    """Create the invited teacher's account from a coordinator's signed invitation."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "invite-accept"

    @extend_schema(request=AcceptInviteSerializer, responses={201: CoordinatorTeacherSerializer})
    def post(self, request):
        body = AcceptInviteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        teacher = services.join_by_invite(**body.validated_data)
        return Response(CoordinatorTeacherSerializer(teacher).data, status=status.HTTP_201_CREATED)


class CreateTeacherInvite(APIView):
    permission_classes = [IsCoordinator]

    @extend_schema(request=TeacherInviteSerializer, responses={201: None})
    def post(self, request):
        body = TeacherInviteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if body.validated_data["school"].alliance_id != coordinator_of(request.user).alliance_id:
            return Response({"school": ["Pick a school in your alliance."]}, status=status.HTTP_400_BAD_REQUEST)
        with transaction.atomic():
            link = services.invite_teacher(actor=request.user, **body.validated_data)
        return Response({"invite_url": link}, status=status.HTTP_201_CREATED)


def alliance_teachers(request):
    return Teacher.objects.filter(school__alliance=coordinator_of(request.user).alliance).select_related(
        "user", "school")


class CoordinatorTeachers(generics.ListAPIView):
    """Teachers of the coordinator's alliance; `?verified=false` for the ones waiting."""

    serializer_class = CoordinatorTeacherSerializer
    permission_classes = [IsCoordinator]

    def get_queryset(self):
        teachers = alliance_teachers(self.request).order_by("pk")
        verified = self.request.query_params.get("verified")
        if verified in ("true", "false"):
            teachers = teachers.filter(verified_at__isnull=verified == "false")
        return teachers


class VerifyTeacher(APIView):
    permission_classes = [IsCoordinator]

    @extend_schema(request=None, responses=CoordinatorTeacherSerializer)
    def post(self, request, pk):
        teacher = get_object_or_404(alliance_teachers(request), pk=pk)
        return Response(CoordinatorTeacherSerializer(services.verify_teacher(teacher=teacher, actor=request.user)).data)


def _weights_body(alliance):
    by = alliance.weights_changed_by
    return MatchingWeightsSerializer({
        **alliance.matching_weights(),
        "changed_at": alliance.weights_changed_at,
        "changed_by": (by.get_full_name() or by.username) if by else None,
        "defaults": dict(DEFAULT_WEIGHTS),
    }).data


class AllianceMatchingWeights(APIView):
    """The score weights of the coordinator's own alliance: every later matching run scores with them."""

    permission_classes = [IsCoordinator]

    @extend_schema(responses=MatchingWeightsSerializer)
    def get(self, request):
        return Response(_weights_body(coordinator_of(request.user).alliance))

    @extend_schema(request=MatchingWeightsSerializer, responses=MatchingWeightsSerializer)
    def patch(self, request):
        alliance = coordinator_of(request.user).alliance
        body = MatchingWeightsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        alliance = alliance_services.update_matching_weights(alliance=alliance, by=request.user, **body.validated_data)
        return Response(_weights_body(alliance))
