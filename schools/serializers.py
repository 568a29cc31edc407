"""API shapes for teacher onboarding and the alliance's weights. Time and place rules come from schools/services.py."""
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from alliances.models import Alliance
from core.serializers import SignupSerializer
from core.validation import phone_e164
from core.vocabulary import MAX_WEIGHT, PARTS

from . import services
from .models import School, Teacher


class TeacherSignupSerializer(SignupSerializer):
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.filter(kind=School.Kind.SCHOOL))
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)

    def validate_phone(self, value):
        return phone_e164(value) if value else ""


class AcceptInviteSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=2000)
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    password = serializers.CharField(write_only=True, trim_whitespace=False)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)

    def validate_phone(self, value):
        return phone_e164(value) if value else ""

    def validate(self, attrs):
        try:
            _, email, _ = services.read_teacher_invite(attrs["token"])
        except services.RequestRefused as refusal:
            raise serializers.ValidationError({"token": str(refusal)}) from refusal
        probe = Teacher.user.field.related_model(username=email, email=email, first_name=attrs["first_name"])
        try:
            validate_password(attrs["password"], probe)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": error.messages}) from error
        return attrs


class TeacherInviteSerializer(serializers.Serializer):
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.filter(kind=School.Kind.SCHOOL))
    email = serializers.EmailField(max_length=services.MAX_EMAIL_LENGTH)


class CoordinatorTeacherSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    school = serializers.CharField(source="school.name", read_only=True)

    class Meta:
        model = Teacher
        fields = ["id", "name", "email", "school", "email_verified_at", "verified_at"]
        read_only_fields = fields


def _weight(part):
    # Range and "not all zero" are checked by alliances.services.set_matching_weights, the one rule for pages and API.
    return serializers.FloatField(help_text=f"{Alliance.weight_meaning(part)} From 0 to {MAX_WEIGHT:g}.")


class WeightsSerializer(serializers.Serializer):
    skills = _weight("skills")
    distance = _weight("distance")
    fairness = _weight("fairness")
    language = _weight("language")
    continuity = _weight("continuity")
    rating = _weight("rating")


class MatchingWeightsSerializer(WeightsSerializer):
    """An alliance's score weights (PATCH any of them), who changed them last, and the defaults to reset to."""

    changed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    changed_by = serializers.CharField(read_only=True, allow_null=True)
    defaults = WeightsSerializer(read_only=True)

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: f"Not a weight; the weights are {', '.join(PARTS)}." for name in unknown})
        return attrs
