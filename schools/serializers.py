"""API shapes for teachers' requests and teacher onboarding. Time and place rules come from schools/services.py."""
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliances.models import Alliance
from core.schema import INTERVALS, OptionalURLField
from core.vocabulary import MAX_WEIGHT, PARTS
from mentors.models import Skill
from mentors.serializers import SignupSerializer
from mentors.validation import phone_e164
from scheduling.models import Session

from . import services
from .models import MentorRequest, School, Teacher

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

    class Meta:
        model = MentorRequest
        fields = [
            "id", "school", "topic", "description", "skills", "grade_band", "kind", "format", "language",
            "student_count", "mentors_needed", "meeting_link", "status", "created_at", "alternative_times",
            "intervals", "time_options", "series", "confirm_times", "sessions",
        ]
        read_only_fields = ["status", "created_at", "alternative_times"]
        extra_kwargs = {"student_count": {"min_value": 1, "max_value": 500},
                        "mentors_needed": {"min_value": 1, "max_value": 10}}

    def to_representation(self, request):
        """Exactly what the declared fields give (the schema is generated from them), built in one pass."""
        when = _WHEN.to_representation
        return {
            "id": request.pk, "school": str(request.school), "topic": request.topic,
            "description": request.description, "skills": [skill.slug for skill in request.skills.all()],
            "grade_band": request.grade_band, "kind": request.kind, "format": request.format,
            "language": request.language, "student_count": request.student_count,
            "mentors_needed": request.mentors_needed, "meeting_link": request.meeting_link, "status": request.status,
            "created_at": when(request.created_at), "alternative_times": request.alternative_times,
            "sessions": [{
                "id": session.pk, "starts_at": when(session.starts_at), "ends_at": when(session.ends_at),
                "mentors_needed": session.mentors_needed, "status": session.status, "revision": session.revision,
                "intervals": [[i.starts_at, i.ends_at] for i in session.intervals.all()],
            } for session in request.sessions.all()],
        }

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
        given = [name for name in ("intervals", "time_options", "series") if name in attrs]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"time_options": "Give one to three time options, a weekly series, or intervals (just one of them)."})
        services.check_place(kind=attrs["kind"], meeting_link=attrs.get("meeting_link", ""))
        if "series" in attrs:
            attrs["series"] = self._series(attrs["series"])
        elif "intervals" in attrs:
            attrs["series"] = attrs.pop("intervals")
        confirmed = attrs.pop("confirm_times", False)
        intervals = attrs.get("series") or attrs.get("time_options") or []
        warnings = services.time_warnings(intervals, school=self.context["request"].user.teacher.school)
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

    def _series(self, series):
        teacher = self.context["request"].user.teacher
        try:
            intervals = services.series_intervals(first_start=series["first_start"], first_end=series["first_end"],
                                                  weeks=series["weeks"], tz=teacher.school.timezone)
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


class TeacherSignupSerializer(SignupSerializer):
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all())
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
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all())
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
