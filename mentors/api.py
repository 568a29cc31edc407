"""Volunteer sign-up and profile, and the coordinator's volunteer onboarding, over REST.

Same services and validation as the pages; errors are 400 with the field named.
"""
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core import accounts
from core.edge import FormParser, JSONParser, MultiPartParser
from core.roles import IsCoordinator, IsMentor, coordinator_of
from core.schema import MESSAGE

from . import csv_import, services
from .filters import VolunteerFilter
from .models import Company, Mentor
from .serializers import (
    AvailabilitySerializer,
    CoordinatorMentorSerializer,
    CsvImportSerializer,
    MentorProfileSerializer,
    TokenSerializer,
    VolunteerSignupSerializer,
)


class MyMentorProfile(generics.RetrieveUpdateAPIView):
    """The signed-in volunteer's profile."""

    serializer_class = MentorProfileSerializer
    permission_classes = [IsMentor]

    def get_object(self):
        return self.request.user.mentor


class MyAvailability(APIView):
    """Weekly blocks in the volunteer's own timezone (overlaps merged) and days away."""

    permission_classes = [IsMentor]

    def _body(self, mentor):
        return {
            "timezone": mentor.timezone,
            "availability": [{"weekday": w.weekday, "start_time": f"{w.start_time:%H:%M:%S}",
                              "end_time": f"{w.end_time:%H:%M:%S}"} for w in mentor.availability.all()],
            "blackout_dates": [f"{b.date:%Y-%m-%d}" for b in mentor.blackout_dates.order_by("date")],
        }

    @extend_schema(responses=AvailabilitySerializer)
    def get(self, request):
        return Response(self._body(request.user.mentor))

    @extend_schema(request=AvailabilitySerializer, responses=AvailabilitySerializer)
    def put(self, request):
        body = AvailabilitySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mentor = services.update_profile(mentor=request.user.mentor, data=body.validated_data)
        return Response(self._body(mentor))


class VolunteerSignup(APIView):
    """Anyone may sign up; the answer is the same whether or not the address already has an account."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "signup"

    @extend_schema(request=VolunteerSignupSerializer, responses={202: MESSAGE})
    def post(self, request):
        body = VolunteerSignupSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.sign_up_volunteer(**body.validated_data)
        return Response({"detail": accounts.SIGNUP_SENT_MESSAGE}, status=status.HTTP_202_ACCEPTED)


class VerifyEmail(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "verify-email"

    @extend_schema(request=TokenSerializer, responses={200: MESSAGE})
    def post(self, request):
        body = TokenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            accounts.verify_email(token=body.validated_data["token"])
        except accounts.VerificationFailed as failure:
            return Response({"token": [str(failure)]}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": "Email confirmed. You can sign in now."})


def alliance_mentors(request):
    return Mentor.objects.filter(company__alliance=coordinator_of(request.user).alliance).select_related(
        "user", "company")


class CoordinatorVolunteers(generics.ListAPIView):
    """Volunteers of the coordinator's alliance; `?status=pending` for the ones awaiting approval."""

    serializer_class = CoordinatorMentorSerializer
    permission_classes = [IsCoordinator]
    filter_backends = [DjangoFilterBackend]
    filterset_class = VolunteerFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no coordinator
            return Mentor.objects.none()
        return alliance_mentors(self.request).order_by("created_at")


class ImportVolunteers(APIView):
    """Dry run: every bad row and why, and a token to confirm the good ones. Imports nothing."""

    permission_classes = [IsCoordinator]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=CsvImportSerializer, responses={200: None})
    def post(self, request):
        body = CsvImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        company = Company.objects.filter(pk=body.validated_data["company"],
                                         alliance=coordinator_of(request.user).alliance).first()
        if company is None:
            return Response({"company": ["Pick a company in your alliance."]}, status=status.HTTP_400_BAD_REQUEST)
        upload = body.validated_data.get("file") or body.validated_data["csv"]
        try:
            preview = csv_import.preview(company=company, upload=upload)
        except csv_import.ImportRefused as error:
            return Response({"file": [str(error)]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(preview.as_dict())


class ConfirmImport(APIView):
    """Import every good row of a dry run in one transaction (or none, if anything changed since)."""

    permission_classes = [IsCoordinator]

    @extend_schema(request=TokenSerializer, responses={201: None})
    def post(self, request):
        body = TokenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            imported = csv_import.confirm(token=body.validated_data["token"],
                                          alliance=coordinator_of(request.user).alliance, actor=request.user)
        except csv_import.StalePreview as stale:
            return Response({"token": [str(stale)], "preview": stale.preview.as_dict()},
                            status=status.HTTP_409_CONFLICT)
        except csv_import.ImportRefused as error:
            return Response({"token": [str(error)]}, status=status.HTTP_400_BAD_REQUEST)
        volunteers = CoordinatorMentorSerializer(imported, many=True).data
        return Response({"imported": len(imported), "volunteers": volunteers}, status=status.HTTP_201_CREATED)
