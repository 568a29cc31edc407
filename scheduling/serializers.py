from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.roles import teacher_of
from core.schema import INTERVALS

from .models import Match, MatchingRun

CONTACT_VISIBLE = (Match.Status.CONFIRMED, Match.Status.COMPLETED)


class MatchMentorSerializer(serializers.Serializer):
    """The mentor as a match shows them; contact details only once confirmed (always for coordinators)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    company = serializers.CharField()
    background_check_expires = serializers.DateField(required=False, allow_null=True,
                                                     help_text="Not shown to teachers.")
    email = serializers.EmailField(required=False)
    phone = serializers.CharField(required=False, allow_blank=True)


class MatchSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    request = serializers.IntegerField()
    topic = serializers.CharField()
    school = serializers.CharField()
    grade_band = serializers.CharField()
    format = serializers.CharField()
    intervals = INTERVALS


class MatchSerializer(serializers.ModelSerializer):
    mentor = serializers.SerializerMethodField()
    session = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = ["id", "status", "score", "reasons", "mentor", "session", "respond_by", "status_changed_at",
                  "hours", "students_reached"]

    @extend_schema_field(MatchMentorSerializer)
    def get_mentor(self, match):
        mentor = match.mentor
        data = {"id": mentor.pk, "name": mentor.display_name, "company": mentor.company.name}
        user = self.context["request"].user
        if teacher_of(user) is None:
            data["background_check_expires"] = mentor.cleared_through()
        if match.status in CONTACT_VISIBLE or teacher_of(user) is None:
            data["email"] = mentor.user.email
            data["phone"] = mentor.phone
        return data

    @extend_schema_field(MatchSessionSerializer)
    def get_session(self, match):
        session = match.session
        request = session.request
        return {
            "id": session.pk, "request": request.pk, "topic": request.topic, "school": request.school.name,
            "grade_band": request.grade_band, "format": request.format,
            "intervals": [[i.starts_at, i.ends_at] for i in session.intervals.all()],
        }


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class CompletionSerializer(serializers.Serializer):
    hours = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    students_reached = serializers.IntegerField(min_value=0, max_value=1000)


class HoursReportSerializer(serializers.Serializer):
    hours = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)


class NoShowSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MatchingRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatchingRun
        fields = ["id", "window_start", "window_end", "finished_at", "stats", "unfilled", "weights"]


class MatchingRunRequestSerializer(serializers.Serializer):
    window_start = serializers.DateTimeField()
    window_end = serializers.DateTimeField()

    def validate(self, attrs):
        if attrs["window_end"] <= attrs["window_start"]:
            raise serializers.ValidationError({"window_end": "The window must end after it starts."})
        return attrs
