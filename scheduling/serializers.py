from rest_framework import serializers

from core.roles import teacher_of

from .models import Match

CONTACT_VISIBLE = (Match.Status.CONFIRMED, Match.Status.COMPLETED)


class MatchSerializer(serializers.ModelSerializer):
    mentor = serializers.SerializerMethodField()
    session = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = ["id", "status", "score", "reasons", "mentor", "session", "respond_by", "status_changed_at",
                  "hours", "students_reached"]

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


class MatchingRunRequestSerializer(serializers.Serializer):
    window_start = serializers.DateTimeField()
    window_end = serializers.DateTimeField()

    def validate(self, attrs):
        if attrs["window_end"] <= attrs["window_start"]:
            raise serializers.ValidationError({"window_end": "The window must end after it starts."})
        return attrs
