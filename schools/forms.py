"""Teacher and coordinator forms. Time rules live in schools/services.py, shared with the API."""
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from alliances.models import Alliance
from core import places
from core.forms import SignupFields
from core.models import Skill
from core.validation import LANGUAGE_CHOICES, phone_e164
from core.vocabulary import DEFAULT_WEIGHTS, MAX_WEIGHT, GradeBand

from . import services
from .models import MentorRequest, School

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"})
OPTION_COUNT = 3
SCHEDULE_HELP = (
    "Several times: we book the first one and look for mentors for it; the others stay on your request so your "
    "coordinator can move the visit there if nobody is free. A weekly series keeps the same mentor every week."
)
SCHEDULES = [("one", "One visit at one time"), ("options", "One visit, with two or three times that work"),
             ("series", "A weekly series")]


def _phone(value):
    return phone_e164(value) if value else ""


class TeacherSignupForm(SignupFields):
    school = forms.ModelChoiceField(queryset=School.objects.filter(kind=School.Kind.SCHOOL).exclude(email_domain="")
                                    .order_by("name"),
                                    label="Your school")
    phone = forms.CharField(required=False, max_length=30, label="Mobile number (optional)",
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
                            help_text="We text you when a mentor confirms.")
    field_order = ["first_name", "last_name", "school", "email", "password", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "School email"

    def clean_phone(self):
        return _phone(self.cleaned_data["phone"])


class TeacherJoinForm(forms.Form):
    first_name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    password = SignupFields.base_fields["password"]
    phone = TeacherSignupForm.base_fields["phone"]

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_phone(self):
        return _phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if data.get("password"):
            probe = get_user_model()(username=self.email, email=self.email, first_name=data.get("first_name", ""))
            try:
                validate_password(data["password"], probe)
            except ValidationError as error:
                self.add_error("password", error)
        return data


class TeacherInviteForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="School")
    email = forms.EmailField(label="Teacher's email", max_length=services.MAX_EMAIL_LENGTH)
    personal_ok = forms.BooleanField(required=False, widget=forms.HiddenInput,
                                     label="Yes, invite this personal address")

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(alliance=alliance, kind=School.Kind.SCHOOL).order_by(
            "name")

    def clean(self):
        """A school with its own email domain should get its teachers' school addresses; another address is
        allowed once the coordinator confirms it (a personal address outlives the job)."""
        data = super().clean()
        school, email = data.get("school"), data.get("email") or ""
        if school and school.email_domain and not email.lower().endswith("@" + school.email_domain.lower()):
            self.fields["personal_ok"].widget = forms.CheckboxInput()
            if not data.get("personal_ok"):
                self.add_error("personal_ok", f"{school} uses @{school.email_domain} addresses. Invite the "
                                              "teacher's school address, or tick this box to invite this one.")
        return data

    def invitation(self):
        return {k: self.cleaned_data[k] for k in ("school", "email")}


class RequestForm(forms.Form):
    """What a teacher asks for. Times are in the school's timezone."""

    topic = forms.CharField(max_length=200, label="Topic",
                            help_text="What the students should get out of it, e.g. “Build a line-following robot”.")
    description = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                                  label="Details for the mentor (optional)")
    skills = forms.ModelMultipleChoiceField(queryset=Skill.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple, label="Skills wanted (optional)")
    grade_band = forms.ChoiceField(choices=[("", "Choose a grade band"), *GradeBand.choices], label="Grade band",
                                   error_messages={"required": "Choose the grade band of the class."})
    kind = forms.ChoiceField(choices=MentorRequest.Kind.choices, widget=forms.RadioSelect, label="Format",
                             error_messages={"required": "Choose what kind of session this is."})
    language = forms.ChoiceField(choices=[("", "Any language")] + LANGUAGE_CHOICES, required=False,
                                 label="Language of the session")
    student_count = forms.IntegerField(min_value=1, max_value=500, label="Number of students",
                                       help_text="A headcount only. Never send us students' names.")
    mentors_needed = forms.IntegerField(min_value=1, max_value=10, initial=1, label="Mentors needed")
    schedule = forms.ChoiceField(choices=SCHEDULES, widget=forms.RadioSelect, label="When", help_text=SCHEDULE_HELP,
                                 error_messages={"required": "Choose one visit, several times, or a weekly series."})
    series_date = forms.DateField(required=False, widget=DATE, label="First date of the series")
    series_start = forms.TimeField(required=False, widget=TIME, label="Starts at")
    series_end = forms.TimeField(required=False, widget=TIME, label="Ends at")
    series_weeks = forms.IntegerField(required=False, min_value=2, max_value=services.MAX_SERIES_WEEKS,
                                      label="Number of weeks")
    meeting_link = forms.URLField(required=False, label="Meeting link (virtual sessions)", assume_scheme="https",
                                  help_text="In-person sessions happen at your school's address.")
    confirm_times = forms.BooleanField(required=False, label="I checked these times and want to send the request")
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.warnings = []
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())
        for n in range(1, OPTION_COUNT + 1):
            choice = "first choice" if n == 1 else f"option {n} (optional)"
            self.fields[f"option{n}_date"] = forms.DateField(required=False, widget=DATE, label=f"Date, {choice}")
            self.fields[f"option{n}_start"] = forms.TimeField(required=False, widget=TIME, label="Starts at")
            self.fields[f"option{n}_end"] = forms.TimeField(required=False, widget=TIME, label="Ends at")

    def option_rows(self):
        return [[self[f"option{n}_{part}"] for part in ("date", "start", "end")] for n in range(1, OPTION_COUNT + 1)]

    def series_row(self):
        return [self["series_date"], self["series_start"], self["series_end"], self["series_weeks"]]

    def _at(self, day, moment):
        return datetime.combine(day, moment, ZoneInfo(self.school.timezone))

    def _interval(self, prefix, required):
        parts = {p: self.cleaned_data.get(f"{prefix}_{p}") for p in ("date", "start", "end")}
        if not any(parts.values()) and not required:
            return None
        missing = [p for p, v in parts.items() if v is None and f"{prefix}_{p}" not in self.errors]
        for part in missing:
            self.add_error(f"{prefix}_{part}", "Fill in the date, start and end time.")
        if missing or any(f"{prefix}_{p}" in self.errors for p in parts):
            return None
        interval = (self._at(parts["date"], parts["start"]), self._at(parts["date"], parts["end"]))
        try:
            services.check_intervals([interval])
        except ValidationError as error:
            self.add_error(f"{prefix}_end" if error.code in ("ends_before_start", "too_long") else f"{prefix}_date",
                           error)
            return None
        return interval

    def clean(self):
        data = super().clean()
        if data.get("kind"):
            try:
                services.check_place(kind=data["kind"], meeting_link=data.get("meeting_link", ""))
            except ValidationError as error:
                self.add_error("meeting_link", error.message_dict["meeting_link"])
        self._forget_unused_times(data.get("schedule"))
        if data.get("schedule") == "series":
            self.plan = {"series": self._series()}
            intervals = self.plan["series"] or []
        else:
            count = OPTION_COUNT if data.get("schedule") == "options" else 1
            options = [self._interval(f"option{n}", n == 1) for n in range(1, count + 1)]
            self._refuse_overlaps(options)
            self.plan = {"time_options": [o for o in options if o]}
            intervals = self.plan["time_options"]
        if intervals and not self.errors:
            self._ask_to_confirm(intervals, confirmed=data.get("confirm_times"))
        return data

    def _forget_unused_times(self, schedule):
        """The blocks of the ways not chosen are hidden on the page: what they hold is neither used nor an error."""
        used = {"one": ["option1"], "options": [f"option{n}" for n in range(1, OPTION_COUNT + 1)],
                "series": ["series"]}.get(schedule, [])
        for name in [n for n in self._errors if n.startswith(("option", "series_"))]:
            if name.rsplit("_", 1)[0] not in used:
                del self._errors[name]

    def _refuse_overlaps(self, options):
        for n, option in enumerate(options, start=1):
            for k, earlier in enumerate(options[:n - 1], start=1):
                if option and earlier and option[0] < earlier[1] and earlier[0] < option[1]:
                    self.add_error(f"option{n}_start", f"This time overlaps option {k}; give a different time.")
                    break

    def _ask_to_confirm(self, intervals, *, confirmed):
        """Weekends, evenings and closed days are allowed once the teacher confirms them."""
        self.warnings = services.time_warnings(intervals, school=self.school)
        if self.warnings and not confirmed:
            self.add_error("confirm_times", "Check the times above; tick this box to send the request anyway, "
                                            "or change them.")

    def _series(self):
        first = self._interval("series", True)
        weeks = self.cleaned_data.get("series_weeks")
        if weeks is None and "series_weeks" not in self.errors:
            self.add_error("series_weeks", "How many weeks? Between 2 and 16.")
        if first is None or weeks is None:
            return None
        return services.series_intervals(first_start=first[0], first_end=first[1], weeks=weeks,
                                         tz=self.school.timezone)

    def request_fields(self):
        data = self.cleaned_data
        names = ["topic", "description", "grade_band", "language", "student_count", "mentors_needed", "meeting_link",
                 "submission_key"]
        return {"kind": data["kind"], "skills": list(data["skills"]), **{n: data[n] for n in names}, **self.plan}

    @staticmethod
    def again(mentor_request):
        """The initial values of a new request like `mentor_request` (everything but the times)."""
        names = ["topic", "description", "grade_band", "kind", "language", "student_count", "mentors_needed",
                 "meeting_link"]
        return {**{n: getattr(mentor_request, n) for n in names}, "skills": list(mentor_request.skills.all())}


class PartnerRequestForm(RequestForm):
    """What partner staff ask for: the same form, plus where (their own site or a school) and the setting.
    Times are in the chosen site's timezone."""

    site = forms.ModelChoiceField(queryset=School.objects.none(), label="Where",
                                  empty_label="Choose your site or a school",
                                  error_messages={"required": "Choose where the program meets.",
                                                  "invalid_choice": "Choose your own site or one of the schools."})
    setting = forms.ChoiceField(choices=[("", "Choose when the program runs"), *MentorRequest.Setting.choices],
                                label="Setting", error_messages={"required": "Choose the program's setting."})

    def __init__(self, *args, sites, **kwargs):
        sites = sites.order_by("kind", "name")  # the partner's own sites first ("partner_site" sorts before "school")
        super().__init__(*args, school=sites.first(), **kwargs)
        self.fields["site"].queryset = sites
        self.fields["site"].label_from_instance = lambda site: f"{site.name}, {site.full_address}"
        self.fields["topic"].help_text = "What the young people should get out of it, e.g. “Build a weather station”."
        self.fields["meeting_link"].help_text = "In-person sessions happen at the site's address."
        own = sites.filter(kind=School.Kind.PARTNER_SITE).first()
        if not self.is_bound and own is not None:
            self.initial.setdefault("site", own.pk)
            self.initial.setdefault("setting", MentorRequest.Setting.AFTER_SCHOOL)

    def clean(self):
        if site := self.cleaned_data.get("site"):
            self.school = site  # times are the site's local time; its closed days and warnings apply
        if self.school is None:  # no place at all to read the times in: the site's error says what to do
            return self.cleaned_data
        return super().clean()

    def request_fields(self):
        return {**super().request_fields(), "site": self.cleaned_data["site"],
                "setting": self.cleaned_data["setting"]}

    @staticmethod
    def again(mentor_request):
        return {**RequestForm.again(mentor_request), "site": mentor_request.school_id,
                "setting": mentor_request.setting}


class RequestEditForm(forms.Form):
    """Change a request: details freely; a new time or link updates every calendar invitation."""

    topic = RequestForm.base_fields["topic"]
    description = RequestForm.base_fields["description"]
    student_count = RequestForm.base_fields["student_count"]
    date = forms.DateField(widget=DATE, label="Date (first date, for a series)")
    start = forms.TimeField(widget=TIME, label="Starts at")
    end = forms.TimeField(widget=TIME, label="Ends at")
    meeting_link = forms.URLField(required=False, label="Meeting link (virtual sessions)", assume_scheme="https")

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.mentor_request = request
        self.tz = ZoneInfo(request.school.timezone)

    def new_intervals(self):
        """The session's intervals moved to the new date and times, keeping the weekly rhythm of a series."""
        session = self.mentor_request.sessions.exclude(status="cancelled").order_by("starts_at").first()
        count = session.intervals.count() if session else 1
        data = self.cleaned_data
        first = (datetime.combine(data["date"], data["start"], self.tz),
                 datetime.combine(data["date"], data["end"], self.tz))
        return services.series_intervals(first_start=first[0], first_end=first[1], weeks=count,
                                         tz=self.mentor_request.school.timezone)

    def clean(self):
        data = super().clean()
        if all(data.get(k) for k in ("date", "start", "end")):
            try:
                self.intervals = services.check_intervals(self.new_intervals())
            except ValidationError as error:
                self.add_error("end" if error.code in ("ends_before_start", "too_long") else "date", error)
        if "meeting_link" in data:
            try:
                services.check_place(kind=self.mentor_request.kind, meeting_link=data["meeting_link"])
            except ValidationError as error:
                self.add_error("meeting_link", error.message_dict["meeting_link"])
        return data


class CancelRequestForm(forms.Form):
    reason = forms.CharField(max_length=500, label="Why are you cancelling?",
                             help_text="Booked mentors see this with the cancellation.",
                             widget=forms.TextInput())


def _weight_field(part):
    # Range and "not all zero" are checked by alliances.services.set_matching_weights, shared with the API.
    return forms.FloatField(
        label=part.capitalize(),
        help_text=f"{Alliance.weight_meaning(part)} Default {DEFAULT_WEIGHTS[part]:g}.",
        widget=forms.NumberInput(attrs={"min": 0, "max": f"{MAX_WEIGHT:g}", "step": "any", "inputmode": "decimal"}),
    )


class MatchingWeightsForm(forms.Form):
    """How much each part of a volunteer's fit counts when the engine picks between volunteers."""

    skills = _weight_field("skills")
    distance = _weight_field("distance")
    fairness = _weight_field("fairness")
    language = _weight_field("language")
    continuity = _weight_field("continuity")
    rating = _weight_field("rating")


class PartnerSiteForm(forms.Form):
    """A nonprofit's own site: its address, placed by the ZIP code, and its timezone (the ZIP's unless chosen)."""

    name = forms.CharField(max_length=200, label="Site name", help_text="e.g. “Community room, Hamilton Hill”.")
    address = forms.CharField(max_length=300, label="Street address", help_text="e.g. “432 State St”.")
    city = forms.CharField(max_length=100)
    zip_code = forms.CharField(max_length=10, label="ZIP code")
    timezone = forms.ChoiceField(required=False, label="Timezone",
                                 help_text="Leave as it is to use the ZIP code's timezone.")

    def __init__(self, *args, site=None, **kwargs):
        if site is not None:
            own_zone = places.zip_place(site.zip_code)
            chosen = "" if own_zone and own_zone.timezone == site.timezone else site.timezone
            kwargs.setdefault("initial", {"name": site.name, "address": site.address, "city": site.city,
                                          "zip_code": site.zip_code, "timezone": chosen})
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [("", "The ZIP code's timezone"),
                                           *((zone, zone.replace("_", " ")) for zone in places.zip_timezones())]
        self.place = None

    def clean_zip_code(self):
        self.place = places.zip_place(self.cleaned_data["zip_code"])
        if self.place is None:
            raise ValidationError("Enter a five-digit US ZIP code, e.g. 12305.")
        return self.place.zip_code

    def clean(self):
        zone = self.cleaned_data.get("timezone") or (self.place.timezone if self.place else "")
        if self.place is not None and zone not in places.zip_timezones():
            self.add_error("timezone", "We could not tell this ZIP code's timezone; choose it here.")
        self.cleaned_data["timezone"] = zone
        return self.cleaned_data

    def site_fields(self):
        data = self.cleaned_data
        return {"name": data["name"].strip(), "address": data["address"].strip(), "city": data["city"].strip(),
                "place": self.place, "timezone": data["timezone"]}
