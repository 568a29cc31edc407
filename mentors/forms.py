"""Volunteer and coordinator forms. The rules themselves live in mentors/validation.py (shared with the API)."""
from datetime import date

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.forms import SignupFields, apply_errors
from core.models import Skill
from core.vocabulary import FORMATS, GRADE_BANDS
from core.words import to_km

from . import services, validation
from .models import Company, Mentor

GRADE_CHOICES = [(b, f"Grades {b}") for b in GRADE_BANDS]
FORMAT_CHOICES = [(f, {"in_person": "In person, at the school", "virtual": "Virtual, by video"}[f]) for f in FORMATS]


class EmailLoginForm(AuthenticationForm):
    username = forms.CharField(label="Email or username", max_length=254,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password don't match an active account. If you just signed up, "
                         "open the link we emailed you first.",
    }

    def clean_username(self):
        """Sign in by email works for every account, whatever its username (seeded accounts have short ones)."""
        typed = self.cleaned_data["username"].strip()
        user = services.find_user_by_email(typed)
        return user.username if user is not None else typed


class VolunteerSignupForm(SignupFields):
    invite_code = forms.CharField(
        max_length=32, required=False, label="Company invite code (optional)",
        help_text="Only if your company gave you one, or if you sign up with a personal email.",
    )

    def clean(self):
        data = super().clean()
        if data.get("email") and "email" not in self.errors:
            try:
                validation.company_for(data["email"], data.get("invite_code", ""))
            except ValidationError as error:
                apply_errors(self, error)
        return data


# --- profile wizard ---------------------------------------------------------

class SkillsStep(forms.Form):
    title = "What you know"
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.all(), widget=forms.CheckboxSelectMultiple, label="Your skills",
        error_messages={"required": "Pick at least one skill you could talk about with students."},
        help_text="Pick every area you could share with a class.",
    )


class ClassesStep(forms.Form):
    title = "Who and how"
    grade_bands = forms.MultipleChoiceField(
        choices=GRADE_CHOICES, widget=forms.CheckboxSelectMultiple, label="Grades you'd like to work with",
        error_messages={"required": "Pick at least one grade band."},
    )
    formats = forms.MultipleChoiceField(
        choices=FORMAT_CHOICES, widget=forms.CheckboxSelectMultiple, label="How you can mentor",
        error_messages={"required": "Pick in person, virtual, or both."},
    )
    languages = forms.MultipleChoiceField(
        choices=validation.LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple, label="Languages you can teach in",
        error_messages={"required": "Pick at least one language."},
    )


class PlaceStep(forms.Form):
    title = "Where"
    zip_code = forms.CharField(
        max_length=10, required=False, label="Home base ZIP code",
        help_text="Where you usually start from (home or office). Needed for in-person visits.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    travel = forms.IntegerField(min_value=0, max_value=125, label="How far you'll travel, in miles")
    timezone = forms.ChoiceField(choices=validation.TIMEZONE_CHOICES, label="Your timezone")

    def __init__(self, *args, formats=(), unit="mi", **kwargs):
        super().__init__(*args, **kwargs)
        self.formats = formats
        self.unit = unit
        if unit == "km":
            self.fields["travel"] = forms.IntegerField(min_value=0, max_value=200,
                                                       label="How far you'll travel, in kilometres")

    def clean_travel(self):
        """Stored in km whatever the alliance's unit."""
        return to_km(self.cleaned_data["travel"], self.unit)

    def clean_zip_code(self):
        value = self.cleaned_data["zip_code"]
        if not value:
            if "in_person" in self.formats:
                raise ValidationError("In-person visits need your ZIP code, so we only ask you nearby.")
            return None
        return validation.geocode_zip(value)


class BlockForm(forms.Form):
    weekday = forms.TypedChoiceField(
        coerce=int, label="Day", choices=[("", "—")] + list(enumerate(validation.WEEKDAY_NAMES)), required=False,
    )
    start = forms.TimeField(label="From", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="To", required=False, widget=forms.TimeInput(attrs={"type": "time"}))

    def clean(self):
        data = super().clean()
        weekday, start, end = data.get("weekday"), data.get("start"), data.get("end")
        given = [v not in (None, "") for v in (weekday, start, end)]
        if any(given) and not all(given):
            for name, value in (("weekday", weekday), ("start", start), ("end", end)):
                if value in (None, "") and name not in self.errors:
                    self.add_error(name, "Fill in the day, the start and the end, or leave all three empty.")
        elif all(given) and end <= start:
            self.add_error("end", "The block must end after it starts.")
        return data

    def block(self):
        data = self.cleaned_data
        if data.get("weekday") in (None, "") or not data.get("start"):
            return None
        return (data["weekday"], data["start"], data["end"])


class BaseBlockFormSet(forms.BaseFormSet):
    def blocks(self):
        return validation.merge_availability(b for f in self.forms if (b := f.block()))


BlockFormSet = forms.formset_factory(BlockForm, formset=BaseBlockFormSet, extra=3, max_num=21, absolute_max=21)


def block_formset(data, *, initial):
    """The weekly blocks: the volunteer's own rows and one empty row (three when they have none yet); the
    page's "Add another block" posts back for one more, so rows are added and removed freely."""
    extra = 1 if initial else 3
    formset = forms.formset_factory(BlockForm, formset=BaseBlockFormSet, extra=extra, max_num=21, absolute_max=21)
    return formset(data, initial=initial, prefix="blocks")


class DateListWidget(forms.MultipleHiddenInput):
    """One date picker per day away, and a few empty ones to add more (clear one to remove it)."""

    input_type = "date"
    template_name = "widgets/date_list.html"
    EMPTY = 3

    def get_context(self, name, value, attrs):
        values = [v.isoformat() if isinstance(v, date) else v for v in (value or []) if v]
        context = super().get_context(name, [*values, *[""] * self.EMPTY], attrs)
        subwidgets = context["widget"]["subwidgets"]
        if subwidgets and attrs and attrs.get("id"):
            subwidgets[0]["attrs"]["id"] = attrs["id"]  # the field's label points at the first date
        return context

    def format_value(self, value):
        if isinstance(value, str):
            return [v for v in value.splitlines() if v.strip()]
        return list(value or [])


class DateListField(forms.Field):
    widget = DateListWidget

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        lines = [str(v).strip() for v in values if v and str(v).strip()]
        return validation.parse_blackout_dates("\n".join(lines))


class TimeStep(forms.Form):
    title = "When"
    blackout_dates = DateListField(
        required=False, label="Days you're away",
        help_text="Pick each date; we won't ask you on these days. Clear a date to remove it.",
    )
    monthly_session_cap = forms.IntegerField(
        min_value=1, max_value=20, label="Most sessions a month",
        help_text="We never ask you for more than this many sessions in one month.",
        error_messages={"min_value": "At least 1 a month; to take a break, add the days you're away instead."},
    )
    no_hours_ok = forms.BooleanField(required=False, widget=forms.HiddenInput,
                                     label="Save without weekly hours anyway")

    def clean_blackout_dates(self):
        days = self.cleaned_data["blackout_dates"]
        if past := [d for d in days if d < timezone.localdate()]:
            raise ValidationError(f"{past[0]:%b} {past[0].day}, {past[0].year} has passed; pick a day to come.",
                                  code="past_date")
        return days

    def require_hours_or_confirmation(self, blocks):
        """No weekly hours means no match, ever: allowed only once the volunteer confirms it."""
        if blocks:
            return
        self.fields["no_hours_ok"].widget = forms.CheckboxInput()
        if not self.cleaned_data.get("no_hours_ok"):
            self.add_error("no_hours_ok", "With no weekly hours we can never match you with a class. Add a block "
                                          "above, or tick this box to save without any.")


class ContactStep(forms.Form):
    title = "Contact and about you"
    phone = forms.CharField(
        required=False, max_length=30, label="Mobile number",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text="We text invitations so you can reply YES or NO.",
    )
    sms_consent = forms.BooleanField(required=False, label=validation.SMS_CONSENT_TEXT)
    bio = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 4}), label="A few lines about you",
        help_text="Teachers see this once you are confirmed. Up to 1000 characters.",
    )

    def __init__(self, *args, country="US", **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        number = validation.phone_e164(value) if value else ""
        if number and not validation.phone_in_country(number, self.country):
            raise ValidationError(f"Enter a {self.country} mobile number: we can only text numbers in the "
                                  "country of your alliance.", code="foreign_phone")
        return number

    def clean(self):
        data = super().clean()
        if data.get("sms_consent") and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", "Enter the number we may text.")
        if data.get("phone") and not data.get("sms_consent"):
            self.add_error("sms_consent", "We use your number only to text you about sessions: tick the box to "
                                          "agree, or leave the number empty.")
        return data


# --- coordinator --------------------------------------------------------------

class BackgroundCheckForm(forms.Form):
    status = forms.ChoiceField(choices=Mentor.BackgroundCheck.choices, label="Check status")
    reference = forms.CharField(max_length=100, required=False, label="Provider reference",
                                help_text="The screening provider's case or order number.")
    expires = forms.DateField(required=False, label="Expires on", widget=forms.DateInput(attrs={"type": "date"}),
                              help_text="Required when the check is cleared.")


class CsvUploadForm(forms.Form):
    company = forms.ModelChoiceField(queryset=Company.objects.none(), label="Company")
    file = forms.FileField(
        label="CSV file",
        help_text="First line: email,first_name,last_name,phone,zip_code (phone and zip_code may be empty).",
    )

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.filter(alliance=alliance).order_by("name")
