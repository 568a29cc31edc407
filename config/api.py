"""API plumbing shared by every app: errors as JSON with the right status, and who the caller is."""
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, permissions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from scheduling.services import MatchError, NotEntitled
from schools.services import RequestRefused


def exception_handler(exc, context):
    """403 for a change the caller is not entitled to, 409 for a transition no longer allowed,
    404 for an unknown id, 400 naming the field otherwise."""
    if isinstance(exc, NotEntitled):
        return Response({"detail": str(exc), "code": exc.code}, status=403)
    if isinstance(exc, MatchError):
        return Response({"detail": str(exc), "code": exc.code}, status=409)
    if isinstance(exc, RequestRefused):
        return Response({"detail": str(exc), "code": "not_allowed"}, status=403)
    if isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    return drf_exception_handler(exc, context)


def coordinator_of(user):
    return getattr(user, "coordinator", None) if user.is_authenticated else None


def teacher_of(user):
    return getattr(user, "teacher", None) if user.is_authenticated else None


def mentor_of(user):
    return getattr(user, "mentor", None) if user.is_authenticated else None


class IsCoordinator(permissions.BasePermission):
    message = "Only an alliance coordinator can do this."

    def has_permission(self, request, view):
        return coordinator_of(request.user) is not None


class IsTeacher(permissions.BasePermission):
    message = "Only a teacher can do this."

    def has_permission(self, request, view):
        return teacher_of(request.user) is not None


class IsMentor(permissions.BasePermission):
    message = "Only a volunteer can do this."

    def has_permission(self, request, view):
        return mentor_of(request.user) is not None
