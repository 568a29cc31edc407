"""The OpenAPI schema tells the truth about errors and formats (drf-spectacular postprocessing hooks).

Every operation documents the error bodies config/api.py's exception handler really sends; time-of-day
fields are "HH:MM[:SS]" (OpenAPI's `format: time` would demand an RFC 3339 offset we never send).
"""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

TIME_OF_DAY = r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"
FIELD_ERRORS = {
    "type": "object",
    "description": "Each field at fault, or `detail`/`non_field_errors`, with its messages.",
    # Messages, or for a list of objects one error object per item (nested the same way).
    "additionalProperties": {"anyOf": [
        {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}, {"type": "array"}]}},
        {"type": "string"},
        {"type": "object"},
    ]},
}
DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail"],
}
ERRORS = {
    "400": ("The input is refused; the body names each field at fault.", "FieldErrors"),
    "401": ("No valid credentials were given.", "Detail"),
    "403": ("You may not do this.", "Detail"),
    "404": ("Not found, or not yours.", "Detail"),
    "405": ("This method is not allowed here.", "Detail"),
    "409": ("The object changed meanwhile; the transition is no longer allowed.", "Detail"),
    "429": ("Too many requests (throttled or locked out); try again later.", "Detail"),
}


def document_errors(result, generator, request, public):
    """Add the shared error bodies to every operation, and give time-of-day fields a pattern."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    schemas.setdefault("Detail", DETAIL)
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, (description, name) in ERRORS.items():
                responses.setdefault(code, {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                })
    _time_of_day(result)
    return result


def _time_of_day(node):
    if isinstance(node, dict):
        if node.get("format") == "time" and node.get("type") == "string":
            del node["format"]
            node["pattern"] = TIME_OF_DAY
        for value in node.values():
            _time_of_day(value)
    elif isinstance(node, list):
        for value in node:
            _time_of_day(value)


@extend_schema_field({"type": "string", "description": "An https URL, or \"\" when there is none.",
                      "anyOf": [{"format": "uri"}, {"maxLength": 0}]})
class OptionalURLField(serializers.CharField):
    """A URL that may be blank: documented as such, since "" is not a URI. (The URL is checked here rather
    than by a URLValidator, which the schema generator would turn back into `format: uri`.)"""

    def __init__(self, **kwargs):
        super().__init__(allow_blank=True, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            URLValidator()(value) if value else None
        except DjangoValidationError as error:
            raise serializers.ValidationError("Enter a valid URL.") from error
        return value


# [[start, end], ...]: each occurrence of a session.
INTERVALS = serializers.ListField(
    child=serializers.ListField(child=serializers.DateTimeField(), min_length=2, max_length=2),
    help_text="Each occurrence as [start, end] (ISO 8601 with offset).",
)

# {"detail": "..."}: what a request that worked says to a person.
MESSAGE = inline_serializer("Message", {"detail": serializers.CharField()})
