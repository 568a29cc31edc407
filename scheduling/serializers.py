from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.roles import teacher_of
from core.schema import INTERVALS

from .models import Match, MatchingRun

CONTACT_VISIBLE = (Match.Status.CONFIRMED, Match.Status.COMPLETED)
_WHEN = serializers.DateTimeField()
_HOURS = serializers.DecimalField(max_digits=5, decimal_places=2)


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
    """A match as its viewer may see it: contact details only once confirmed, for a teacher.

    Rows are built in one pass each (`to_representation`), giving exactly what the declared fields
    would, which the OpenAPI schema is generated from.
    """

    mentor = serializers.SerializerMethodField()
    session = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = ["id", "status", "score", "reasons", "mentor", "session", "respond_by", "status_changed_at",
                  "hours", "students_reached"]

    def to_representation(self, match):
        when = _WHEN.to_representation
        return {
            "id": match.pk, "status": match.status, "score": match.score, "reasons": match.reasons,
            "mentor": self.get_mentor(match), "session": self.get_session(match),
            "respond_by": when(match.respond_by) if match.respond_by else None,
            "status_changed_at": when(match.status_changed_at) if match.status_changed_at else None,
            "hours": None if match.hours is None else _HOURS.to_representation(match.hours),
            "students_reached": match.students_reached,
        }

    def _viewer_is_teacher(self):
        if not hasattr(self, "_teacher_viewer"):
            self._teacher_viewer = teacher_of(self.context["request"].user) is not None
        return self._teacher_viewer

    @extend_schema_field(MatchMentorSerializer)
    def get_mentor(self, match):
        mentor = match.mentor
        data = {"id": mentor.pk, "name": mentor.display_name, "company": mentor.company.name}
        teacher = self._viewer_is_teacher()
        if not teacher:
            data["background_check_expires"] = mentor.cleared_through()
        if match.status in CONTACT_VISIBLE or not teacher:
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
