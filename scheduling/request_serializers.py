"""API shapes for teachers' and partner staff's requests, their sessions; time and place rules: schools.services."""
from collections import defaultdict

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.models import Skill
from core.roles import partner_staff_of, teacher_of
from core.schema import INTERVALS, OptionalURLField
from schools import services
from schools.models import MentorRequest, School

from . import requests as request_flow
from .models import Session, SessionInterval

MAX_INTERVALS = 12
MAX_OPTIONS = 3
_WHEN = serializers.DateTimeField()


class IntervalField(serializers.ListField):
    child = serializers.DateTimeField()

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if len(value) != 2:
            raise serializers.ValidationError("An interval is [start, end].")
        if value[1] <= value[0]:
            raise serializers.ValidationError("An interval must end after it starts.")
        return tuple(value)


def session_intervals(session_ids):
    """Each session's intervals as [start, end] pairs in time order, read in one query (what INTERVALS shows)."""
    intervals = defaultdict(list)
    for session_id, start, end in (SessionInterval.objects.filter(session_id__in=session_ids)
                                   .order_by("session_id", "starts_at", "pk")
                                   .values_list("session_id", "starts_at", "ends_at")):
        intervals[session_id].append([start, end])
    return intervals


# The columns of a request that MentorRequestSerializer shows, as `.values()` rows (see `request_rows`).
REQUEST_COLUMNS = ("pk", "school__name", "topic", "description", "grade_band", "kind", "format", "language",
                   "student_count", "mentors_needed", "meeting_link", "status", "created_at", "alternative_times",
                   "setting")
_SESSION_COLUMNS = ("pk", "request_id", "starts_at", "ends_at", "mentors_needed", "status", "revision")


def request_rows(rows):
    """Complete `.values(*REQUEST_COLUMNS)` rows with their skills and sessions (and those sessions'
    intervals) in three queries however many rows there are: what MentorRequestSerializer shows."""
    ids = [row["pk"] for row in rows]
    skills, sessions = defaultdict(list), defaultdict(list)
    for request_id, slug in (MentorRequest.skills.through.objects.filter(mentorrequest_id__in=ids)
                             .order_by("skill__name", "skill_id").values_list("mentorrequest_id", "skill__slug")):
        skills[request_id].append(slug)
    session_list = list(Session.objects.filter(request_id__in=ids).order_by("pk").values(*_SESSION_COLUMNS))
    intervals = session_intervals([session["pk"] for session in session_list])
    for session in session_list:
        session["intervals"] = intervals[session["pk"]]
        sessions[session["request_id"]].append(session)
    for row in rows:
        row["skills"], row["sessions"] = skills[row["pk"]], sessions[row["pk"]]
    return rows


class SessionSerializer(serializers.ModelSerializer):
    intervals = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = ["id", "starts_at", "ends_at", "mentors_needed", "status", "revision", "intervals"]

    @extend_schema_field(INTERVALS)
    def get_intervals(self, session):
        return [[i.starts_at, i.ends_at] for i in session.intervals.all()]


class SeriesSerializer(serializers.Serializer):
    """A weekly series: the first session's start and end, repeated at the same local time each week."""

    first_start = serializers.DateTimeField()
    first_end = serializers.DateTimeField()
    weeks = serializers.IntegerField(min_value=2, max_value=services.MAX_SERIES_WEEKS)


class MentorRequestSerializer(serializers.ModelSerializer):
    """Give exactly one of `time_options` (1-3 alternatives; the first is booked), `series`, or `intervals`
    (explicit intervals of one session). `kind` decides the format; `format` alone is still accepted."""

    skills = serializers.SlugRelatedField(slug_field="slug", queryset=Skill.objects.all(), many=True, required=False)
    kind = serializers.ChoiceField(choices=MentorRequest.Kind.choices, required=False)
    format = serializers.ChoiceField(choices=list(MentorRequest.FORMAT_OF_KIND.values()), required=False)
    intervals = serializers.ListField(child=IntervalField(), write_only=True, min_length=1, max_length=MAX_INTERVALS,
                                      required=False)
    time_options = serializers.ListField(child=IntervalField(), write_only=True, min_length=1,
                                         max_length=MAX_OPTIONS, required=False)
    series = SeriesSerializer(write_only=True, required=False)
    confirm_times = serializers.BooleanField(
        write_only=True, required=False, default=False,
        help_text="True to send times on a weekend, in the evening or on a closed day (otherwise a 400 on this "
                  "field lists what to check).")
    meeting_link = OptionalURLField(required=False, max_length=200)
    sessions = SessionSerializer(many=True, read_only=True)
    school = serializers.StringRelatedField()
    # Partner staff say where (their own site or a school of their alliance) and when their programme runs;
    # a teacher's request is always at their school and its setting follows its kind (both ignored from them).
    site = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.none(), required=False, write_only=True,
        help_text="Partner staff: the id of their own site or of a school of their alliance (required for them).",
        error_messages={"does_not_exist": "Choose your own site or one of the alliance's schools.",
                        "incorrect_type": "Choose your own site or one of the alliance's schools."})
    setting = serializers.ChoiceField(choices=MentorRequest.Setting.choices, required=False,
                                      help_text="When the programme runs (partner staff; required for them).")

    class Meta:
        model = MentorRequest
        fields = [
            "id", "school", "topic", "description", "skills", "grade_band", "kind", "format", "language",
            "student_count", "mentors_needed", "meeting_link", "status", "created_at", "alternative_times",
            "intervals", "time_options", "series", "confirm_times", "sessions", "site", "setting",
        ]
        read_only_fields = ["status", "created_at", "alternative_times"]
        extra_kwargs = {"student_count": {"min_value": 1, "max_value": 500},
                        "mentors_needed": {"min_value": 1, "max_value": 10}}

    def to_representation(self, row):
        """A row of `request_rows` as exactly what the declared fields give for the request (the schema is
        generated from them, and a test compares), built in one pass."""
        when = _WHEN.to_representation
        return {
            "id": row["pk"], "school": row["school__name"], "topic": row["topic"], "description": row["description"],
            "skills": row["skills"], "grade_band": row["grade_band"], "kind": row["kind"], "format": row["format"],
            "language": row["language"], "student_count": row["student_count"],
            "mentors_needed": row["mentors_needed"], "meeting_link": row["meeting_link"], "status": row["status"],
            "created_at": when(row["created_at"]), "alternative_times": row["alternative_times"],
            "sessions": [{
                "id": session["pk"], "starts_at": when(session["starts_at"]), "ends_at": when(session["ends_at"]),
                "mentors_needed": session["mentors_needed"], "status": session["status"],
                "revision": session["revision"], "intervals": session["intervals"],
            } for session in row["sessions"]],
            "setting": row["setting"],  # after sessions, as declared ("site" is write-only)
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if staff := self._partner_staff():
            self.fields["site"].queryset = request_flow.partner_sites(staff)

    def _partner_staff(self):
        request = self.context.get("request")
        user = request.user if request is not None else None
        return partner_staff_of(user) if user is not None and teacher_of(user) is None else None

    def to_internal_value(self, data):
        if self._partner_staff() is None and hasattr(data, "pop"):  # a teacher's: as before, never read
            data = data.copy()  # a QueryDict's copy keeps every value of a repeated key
            data.pop("site", None)
            data.pop("setting", None)
        return super().to_internal_value(data)

    def _where(self, attrs):
        """The place the times are read in: a teacher's school, or the partner's chosen site."""
        if self._partner_staff() is None:
            return self.context["request"].user.teacher.school
        missing = {name: message for name, message in (("site", "Choose where the program meets."),
                                                       ("setting", "Choose the program's setting."))
                   if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs["site"]

    def validate_intervals(self, intervals):
        return services.check_intervals(intervals)

    def validate_time_options(self, options):
        for option in options:
            services.check_intervals([option])
        for n, (start, end) in enumerate(options):
            if any(start < e and s < end for s, e in options[:n]):
                raise serializers.ValidationError(f"Option {n + 1} overlaps an earlier option; give different times.")
        return options

    def validate(self, attrs):
        if self.instance is not None:
            return attrs
        attrs["kind"] = self._kind(attrs)
        attrs.pop("format", None)
        where = self._where(attrs)
        given = [name for name in ("intervals", "time_options", "series") if name in attrs]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"time_options": "Give one to three time options, a weekly series, or intervals (just one of them)."})
        services.check_place(kind=attrs["kind"], meeting_link=attrs.get("meeting_link", ""))
        if "series" in attrs:
            attrs["series"] = self._series(attrs["series"], where)
        elif "intervals" in attrs:
            attrs["series"] = attrs.pop("intervals")
        confirmed = attrs.pop("confirm_times", False)
        intervals = attrs.get("series") or attrs.get("time_options") or []
        warnings = services.time_warnings(intervals, school=where)
        if warnings and not confirmed:
            raise serializers.ValidationError({"confirm_times": warnings})
        return attrs

    def _kind(self, attrs):
        kind, format = attrs.get("kind"), attrs.get("format")
        if kind is None and format is None:
            raise serializers.ValidationError({"kind": "Pick a format: " + ", ".join(MentorRequest.Kind.values)})
        if kind is None:
            return MentorRequest.Kind.VIRTUAL_SESSION if format == "virtual" else MentorRequest.Kind.CLASSROOM_VISIT
        if format is not None and services.format_of(kind) != format:
            raise serializers.ValidationError({"format": f"A {kind.replace('_', ' ')} is {services.format_of(kind)}."})
        return kind

    def _series(self, series, where):
        try:
            intervals = services.series_intervals(first_start=series["first_start"], first_end=series["first_end"],
                                                  weeks=series["weeks"], tz=where.timezone)
            return services.check_intervals(intervals)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"series": error.messages}) from error


class RequestDetailsSerializer(serializers.ModelSerializer):
    """What a teacher may change without moving the session."""

    class Meta:
        model = MentorRequest
        fields = ["topic", "description", "student_count"]
        extra_kwargs = {"student_count": {"min_value": 1, "max_value": 500}}


class RescheduleSerializer(serializers.Serializer):
    intervals = serializers.ListField(child=IntervalField(), min_length=1, max_length=MAX_INTERVALS, required=False)
    meeting_link = OptionalURLField(required=False)

    def validate_intervals(self, intervals):
        return services.check_intervals(intervals)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError({"intervals": "Give new intervals, a new meeting link, or both."})
        return attrs
