"""Sign-in lockout (django-axes), shared by the login page and the API token endpoint.

A username and IP pair that fails AXES_FAILURE_LIMIT times in a row is refused for the cool-off time,
with a message saying so. An admin (Django admin, "Access attempts") or a coordinator of the person's
alliance (POST /api/coordinator/unlock/) can lift it early.
"""
from axes.backends import AxesStandaloneBackend
from axes.helpers import get_lockout_message
from axes.utils import reset
from django.http import JsonResponse
from django.shortcuts import render
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from core.accounts import find_user_by_email
from core.roles import IsCoordinator, coordinator_of


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, for every sign-in that comes with a request (the login page, the token endpoint,
    DRF's authentication). A call without a request (a script, the test client's login) has no client to
    lock out, so it is left to the next backend instead of raising."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request):
    """The client's IP as DRF's throttles read it: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in
    front, the address the nearest of them appended to X-Forwarded-For (earlier entries can be forged)."""
    return BaseThrottle().get_ident(request)


def canonical_username(request, credentials=None):
    """The account's username for whatever was typed (email or username, any case); else the typed text."""
    typed = str((credentials or {}).get("username") or request.POST.get("username", "")).strip()
    user = find_user_by_email(typed) if typed else None
    return user.username if user is not None else typed.lower()


def lockout_response(request, original_response=None, credentials=None):
    """429 with the cool-off message: JSON for the API, a page for people."""
    message = get_lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)


class TokenRequestSerializer(AuthTokenSerializer):
    """Username or email, and password; the account is found either way."""

    def validate(self, attrs):
        if attrs.get("username"):
            attrs["username"] = canonical_username(self.context["request"], {"username": attrs["username"]})
        return super().validate(attrs)


class ObtainToken(APIView):
    """An API token for a username (or email) and password; throttled, and locked out like the login page."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer,
                   responses=inline_serializer("ApiToken", {"token": serializers.CharField()}))
    def post(self, request):
        body = TokenRequestSerializer(data=request.data, context={"request": request})
        if not body.is_valid():
            if getattr(request, "axes_locked_out", False):  # set on DRF's request by the axes backend
                return lockout_response(request)
            return Response(body.errors, status=400)
        token, _ = Token.objects.get_or_create(user=body.validated_data["user"])
        return Response({"token": token.key})


class UnlockSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=254, help_text="The person's email or username.")


def member_of(alliance, user):
    mentor, teacher = getattr(user, "mentor", None), getattr(user, "teacher", None)
    return (mentor is not None and mentor.company.alliance_id == alliance.pk) or \
        (teacher is not None and teacher.school.alliance_id == alliance.pk)


class Unlock(APIView):
    """A coordinator lifts the sign-in lockout of a volunteer or teacher of their alliance."""

    permission_classes = [IsCoordinator]

    @extend_schema(request=UnlockSerializer,
                   responses=inline_serializer("Unlocked", {"unlocked": serializers.IntegerField()}))
    def post(self, request):
        body = UnlockSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = find_user_by_email(body.validated_data["username"].strip())
        if user is None or not member_of(coordinator_of(request.user).alliance, user):
            raise NotFound("No volunteer or teacher of your alliance has that email or username.")
        return Response({"unlocked": reset(username=user.username)})
