from django.utils import timezone
from rest_framework import serializers

from mentors.models import Skill
from scheduling.models import Session

from .models import MentorRequest

MAX_INTERVALS = 12


class IntervalField(serializers.ListField):
    child = serializers.DateTimeField()

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if len(value) != 2:
            raise serializers.ValidationError("An interval is [start, end].")
        if value[1] <= value[0]:
            raise serializers.ValidationError("An interval must end after it starts.")
        return tuple(value)


class SessionSerializer(serializers.ModelSerializer):
    intervals = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = ["id", "starts_at", "ends_at", "mentors_needed", "status", "intervals"]

    def get_intervals(self, session):
        return [[i.starts_at, i.ends_at] for i in session.intervals.all()]


class MentorRequestSerializer(serializers.ModelSerializer):
    skills = serializers.SlugRelatedField(slug_field="slug", queryset=Skill.objects.all(), many=True, required=False)
    intervals = serializers.ListField(child=IntervalField(), write_only=True, min_length=1, max_length=MAX_INTERVALS)
    sessions = SessionSerializer(many=True, read_only=True)
    school = serializers.StringRelatedField()

    class Meta:
        model = MentorRequest
        fields = [
            "id", "school", "topic", "description", "skills", "grade_band", "format", "language", "student_count",
            "mentors_needed", "meeting_link", "status", "created_at", "intervals", "sessions",
        ]
        read_only_fields = ["status", "created_at"]
        extra_kwargs = {"student_count": {"min_value": 1, "max_value": 500},
                        "mentors_needed": {"min_value": 1, "max_value": 10}}

    def validate_intervals(self, intervals):
        if min(start for start, _ in intervals) <= timezone.now():
            raise serializers.ValidationError("Sessions must be in the future.")
        ordered = sorted(intervals)
        if any(a[1] > b[0] for a, b in zip(ordered, ordered[1:], strict=False)):
            raise serializers.ValidationError("Sessions of one request must not overlap.")
        return ordered

    def validate(self, attrs):
        if attrs.get("format") == "virtual" and not attrs.get("meeting_link"):
            raise serializers.ValidationError({"meeting_link": "A virtual session needs a meeting link."})
        return attrs
