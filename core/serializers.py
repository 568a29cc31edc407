"""API pieces both front doors share: the sign-up body of a volunteer and of a teacher."""
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from .validation import normalize_email


class SignupSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, trim_whitespace=False)

    def validate_email(self, value):
        return normalize_email(value)

    def validate(self, attrs):
        probe = get_user_model()(username=attrs["email"], email=attrs["email"], first_name=attrs["first_name"],
                                 last_name=attrs["last_name"])
        try:
            validate_password(attrs["password"], probe)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": error.messages}) from error
        return attrs
