from rest_framework import serializers

from scheduling.engine import FORMATS, GRADE_BANDS

from .models import AvailabilityWindow, Mentor, Skill


class AvailabilityWindowSerializer(serializers.ModelSerializer):
    class Meta:
        model = AvailabilityWindow
        fields = ["weekday", "start_time", "end_time"]

    def validate(self, attrs):
        if attrs["end_time"] <= attrs["start_time"]:
            raise serializers.ValidationError({"end_time": "A block must end after it starts."})
        return attrs


class MentorProfileSerializer(serializers.ModelSerializer):
    """A volunteer's own profile. Background check and approval are the coordinator's, read-only here."""

    name = serializers.CharField(source="display_name", read_only=True)
    company = serializers.CharField(source="company.name", read_only=True)
    skills = serializers.SlugRelatedField(slug_field="slug", queryset=Skill.objects.all(), many=True)
    grade_bands = serializers.ListField(child=serializers.ChoiceField(choices=GRADE_BANDS), min_length=1)
    formats = serializers.ListField(child=serializers.ChoiceField(choices=FORMATS), min_length=1)
    languages = serializers.ListField(child=serializers.RegexField(r"^[a-z]{2}$"), min_length=1)
    availability = AvailabilityWindowSerializer(many=True)

    class Meta:
        model = Mentor
        fields = [
            "id", "name", "company", "status", "bio", "skills", "grade_bands", "formats", "languages", "zip_code",
            "latitude", "longitude", "travel_km", "timezone", "phone", "sms_consent_at", "monthly_session_cap",
            "background_check_status", "background_check_expires", "availability",
        ]
        read_only_fields = ["status", "background_check_status", "background_check_expires", "sms_consent_at",
                            "phone"]
        extra_kwargs = {"travel_km": {"min_value": 0, "max_value": 200},
                        "monthly_session_cap": {"min_value": 0, "max_value": 20}}

    def validate(self, attrs):
        if "in_person" in attrs.get("formats", []) and (attrs.get("latitude") is None) and self.instance is None:
            raise serializers.ValidationError({"latitude": "In-person mentoring needs a home base."})
        return attrs
