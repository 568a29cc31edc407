"""API errors as JSON with the right status.

A refusal of the domain (`core.errors.DomainError`) answers its own status with its code; a Django
ValidationError answers 400 naming the field; only Http404 (get_object_or_404) is a 404. Anything else is
a bug: DRF leaves it to Django, which logs it and answers 500.
"""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


def exception_handler(exc, context):
    """A DomainError's status and code, 400 naming the field for a ValidationError, DRF's answer otherwise."""
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc), "code": exc.code}, status=exc.http_status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    return drf_exception_handler(exc, context)


def not_found(request, exception):
    """handler404: an API path that matches no route (say a negative id) answers JSON like every other API
    error; a page gets the site's 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)
