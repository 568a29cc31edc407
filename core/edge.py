"""The one rule for NUL bytes at the edge: refused with a 400 naming the field, before any code sees them.

PostgreSQL cannot store a NUL character in text, so a NUL that reached a query or an INSERT used to be a
500. Query parameters and form bodies are checked by `NulByteMiddleware` (for every view, the Twilio
webhooks included); JSON and multipart API bodies by the parsers below, after parsing, so the field named
is the field the client sent.
"""
from django.http import JsonResponse
from django.shortcuts import render
from rest_framework import exceptions, parsers

MESSAGE = "Remove the NUL character (\\u0000); it is not allowed here."
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def nul_fields(data, prefix=""):
    """Dotted paths of every key or value in `data` (dicts, lists, QueryDicts, strings) holding a NUL."""
    found = []
    if hasattr(data, "lists"):  # a QueryDict: a parameter is named once, however often it repeats
        return [key for key, values in data.lists() if nul_fields([key, *values])]
    if isinstance(data, dict):
        for key, value in data.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            found += [path] if "\x00" in str(key) else nul_fields(value, path)
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            found += nul_fields(value, f"{prefix}.{index}" if prefix else str(index))
    elif isinstance(data, str) and "\x00" in data:
        found.append(prefix or "non_field_errors")
    return found


def errors_for(data):
    """{field: [message]} for each field holding a NUL (empty when there is none)."""
    return {path.replace("\x00", "\\u0000"): [MESSAGE] for path in nul_fields(data)}


class NulByteMiddleware:
    """Answer 400 JSON naming the parameter when the path, the query string or a form body holds a NUL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        errors = {"path": [MESSAGE]} if "\x00" in request.path else {}
        errors |= errors_for(request.GET)
        if request.content_type in FORM_TYPES and request.method == "POST":
            errors |= errors_for(request.POST)
        if errors:
            return self.refuse(request, errors)
        return self.get_response(request)

    @staticmethod
    def refuse(request, errors):
        """JSON for the API and the webhooks; for a page, a page that says which field was refused."""
        if request.path.startswith(("/api/", "/webhooks/")):
            return JsonResponse(errors, status=400)
        return render(request, "bad_input.html", {"fields": sorted(errors), "message": MESSAGE}, status=400)


def refuse_nul(data):
    if errors := errors_for(data):
        raise exceptions.ValidationError(errors)
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return refuse_nul(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return refuse_nul(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        refuse_nul(result.data)
        return result
