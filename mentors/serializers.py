"""API shapes for volunteers and for the coordinator's onboarding tools.

Validation rules come from mentors/validation.py, the same functions the web forms use.
"""
from rest_framework import serializers

from core.models import Skill
from core.serializers import SignupSerializer
from core.vocabulary import FORMATS, GRADE_BANDS

from . import services, validation
from .models import AvailabilityWindow, Mentor


class AvailabilityWindowSerializer(serializers.ModelSerializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6)

    class Meta:
        model = AvailabilityWindow
        fields = ["weekday", "start_time", "end_time"]

    def validate(self, attrs):
        if attrs["end_time"] <= attrs["start_time"]:
            raise serializers.ValidationError({"end_time": "A block must end after it starts."})
        return attrs


def merged_blocks(windows):
    """Validated windows -> merged [(weekday, start, end)] (overlaps joined)."""
    return validation.merge_availability((w["weekday"], w["start_time"], w["end_time"]) for w in windows)


class BlackoutDatesField(serializers.ListField):
    """Days the volunteer is away: written as a list of dates, and read back the same way."""

    child = serializers.DateField()

    def get_attribute(self, mentor):
        return [b.date for b in mentor.blackout_dates.order_by("date")]


class MentorProfileSerializer(serializers.ModelSerializer):
    """A volunteer's own profile. Approval and background check are the coordinator's: read-only here."""

    name = serializers.CharField(source="display_name", read_only=True)
    company = serializers.CharField(source="company.name", read_only=True)
    skills = serializers.SlugRelatedField(slug_field="slug", queryset=Skill.objects.all(), many=True)
    grade_bands = serializers.ListField(child=serializers.ChoiceField(choices=GRADE_BANDS), min_length=1)
    formats = serializers.ListField(child=serializers.ChoiceField(choices=FORMATS), min_length=1)
    languages = serializers.ListField(child=serializers.RegexField(r"^[a-z]{2}$"), min_length=1)
    zip_code = serializers.CharField(max_length=10, allow_blank=True, required=False)
    timezone = serializers.CharField(max_length=64, required=False)
    phone = serializers.CharField(max_length=30, allow_blank=True, required=False)
    sms_consent = serializers.BooleanField(write_only=True, required=False,
                                           help_text=f"Agreement to: {validation.SMS_CONSENT_TEXT}")
    availability = AvailabilityWindowSerializer(many=True, required=False)
    blackout_dates = BlackoutDatesField(required=False, max_length=100)

    class Meta:
        model = Mentor
        fields = [
            "id", "name", "company", "status", "bio", "skills", "grade_bands", "formats", "languages", "zip_code",
            "latitude", "longitude", "travel_km", "timezone", "phone", "sms_consent", "sms_consent_at",
            "monthly_session_cap", "background_check_status", "background_check_expires", "email_verified_at",
            "availability", "blackout_dates",
        ]
        read_only_fields = ["status", "latitude", "longitude", "background_check_status", "background_check_expires",
                            "sms_consent_at", "email_verified_at"]
        extra_kwargs = {"travel_km": {"min_value": 0, "max_value": 200},
                        "monthly_session_cap": {"min_value": 0, "max_value": 20}}

    def validate_zip_code(self, value):
        return validation.geocode_zip(value) if value else None

    def validate_timezone(self, value):
        return validation.check_timezone(value)

    def validate_phone(self, value):
        return validation.phone_e164(value) if value else ""

    def validate_availability(self, windows):
        return merged_blocks(windows)

    def validate_blackout_dates(self, dates):
        return validation.parse_blackout_dates(dates)

    def validate(self, attrs):
        formats = attrs.get("formats", self.instance.formats if self.instance else [])
        place = attrs.get("zip_code", self.instance and self.instance.location)
        if "in_person" in formats and not place:
            raise serializers.ValidationError({"zip_code": "In-person visits need your ZIP code."})
        if attrs.get("sms_consent") and not attrs.get("phone", self.instance.phone if self.instance else ""):
            raise serializers.ValidationError({"phone": "Enter the number we may text."})
        if "sms_consent" in attrs and "phone" not in attrs and self.instance:
            attrs["phone"] = self.instance.phone
        return attrs

    def update(self, mentor, validated_data):
        request = self.context.get("request")
        ip = request.META.get("REMOTE_ADDR") if request else None
        return services.update_profile(mentor=mentor, data=validated_data, ip=ip)


class AvailabilitySerializer(serializers.Serializer):
    """Weekly blocks in the volunteer's own timezone, plus days away."""

    timezone = serializers.CharField(max_length=64, required=False)
    availability = AvailabilityWindowSerializer(many=True)
    blackout_dates = serializers.ListField(child=serializers.DateField(), required=False, max_length=100)

    def validate_timezone(self, value):
        return validation.check_timezone(value)

    def validate_availability(self, windows):
        return merged_blocks(windows)

    def validate_blackout_dates(self, dates):
        return validation.parse_blackout_dates(dates)


class VolunteerSignupSerializer(SignupSerializer):
    invite_code = serializers.CharField(max_length=32, required=False, allow_blank=True)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        validation.company_for(attrs["email"], attrs.get("invite_code", ""))
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=2000)


class CoordinatorMentorSerializer(serializers.ModelSerializer):
    """What a coordinator sees of a volunteer in their alliance."""

    name = serializers.CharField(source="display_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    company = serializers.CharField(source="company.name", read_only=True)

    class Meta:
        model = Mentor
        fields = ["id", "name", "email", "company", "status", "email_verified_at", "background_check_status",
                  "background_check_reference", "background_check_expires", "created_at"]
        read_only_fields = fields


class BackgroundCheckSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Mentor.BackgroundCheck.choices)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    expires = serializers.DateField(required=False, allow_null=True)


class CsvImportSerializer(serializers.Serializer):
    company = serializers.IntegerField()
    file = serializers.FileField(required=False)
    csv = serializers.CharField(required=False, trim_whitespace=False)

    def validate(self, attrs):
        if not attrs.get("file") and not attrs.get("csv"):
            raise serializers.ValidationError({"file": "Upload a CSV file (or send its text as `csv`)."})
        return attrs
