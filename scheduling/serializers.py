from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.roles import teacher_of
from core.schema import INTERVALS
from mentors.models import Mentor

from .models import Match, MatchingRun
from .request_serializers import session_intervals

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


# The columns of a match that MatchSerializer shows, as `.values()` rows (see `match_rows`).
MATCH_COLUMNS = (
    "pk", "session_id", "mentor_id", "status", "score", "reasons", "respond_by", "status_changed_at", "hours",
    "students_reached", "mentor__phone", "mentor__background_check_status", "mentor__background_check_expires",
    "mentor__user__first_name", "mentor__user__last_name", "mentor__user__username", "mentor__user__email",
    "mentor__company__name", "session__request_id", "session__request__topic", "session__request__grade_band",
    "session__request__format", "session__request__school__name",
)


def match_rows(rows):
    """Complete `.values(*MATCH_COLUMNS)` rows with their sessions' intervals (one query however many rows)."""
    intervals = session_intervals({row["session_id"] for row in rows})
    for row in rows:
        row["intervals"] = intervals[row["session_id"]]
    return rows


def _full_name(row):
    # Mentor.display_name, from the row's columns
    name = f"{row['mentor__user__first_name']} {row['mentor__user__last_name']}".strip()
    return name or row["mentor__user__username"]


# Shows rows of `match_rows`; a test holds them to the declared fields' reading of the instance.
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

    def to_representation(self, row):
        when = _WHEN.to_representation
        return {
            "id": row["pk"], "status": row["status"], "score": row["score"], "reasons": row["reasons"],
            "mentor": self._mentor(row), "session": {
                "id": row["session_id"], "request": row["session__request_id"],
                "topic": row["session__request__topic"], "school": row["session__request__school__name"],
                "grade_band": row["session__request__grade_band"], "format": row["session__request__format"],
                "intervals": row["intervals"],
            },
            "respond_by": when(row["respond_by"]) if row["respond_by"] else None,
            "status_changed_at": when(row["status_changed_at"]) if row["status_changed_at"] else None,
            "hours": None if row["hours"] is None else _HOURS.to_representation(row["hours"]),
            "students_reached": row["students_reached"],
        }

    def _mentor(self, row):
        data = {"id": row["mentor_id"], "name": _full_name(row), "company": row["mentor__company__name"]}
        teacher = self._viewer_is_teacher()
        if not teacher:
            cleared = row["mentor__background_check_status"] == Mentor.BackgroundCheck.CLEARED
            data["background_check_expires"] = row["mentor__background_check_expires"] if cleared else None
        if row["status"] in CONTACT_VISIBLE or not teacher:
            data["email"] = row["mentor__user__email"]
            data["phone"] = row["mentor__phone"]
        return data

    def _viewer_is_teacher(self):
        if not hasattr(self, "_teacher_viewer"):
            self._teacher_viewer = teacher_of(self.context["request"].user) is not None
        return self._teacher_viewer

    # The declared fields' own reading of a match instance: what the schema documents and the test holds
    # `to_representation` to; a response never goes through them.
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
