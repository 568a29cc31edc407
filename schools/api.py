"""Teacher onboarding and the alliance's matching weights over REST: the same services and rules as the pages."""
from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from alliances import services as alliance_services
from core import accounts
from core.roles import IsCoordinator, coordinator_of
from core.schema import MESSAGE
from core.vocabulary import DEFAULT_WEIGHTS

from . import services
from .models import Teacher
from .serializers import (
    AcceptInviteSerializer,
    CoordinatorTeacherSerializer,
    MatchingWeightsSerializer,
    TeacherInviteSerializer,
    TeacherSignupSerializer,
)


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
