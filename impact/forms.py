"""The impact pages' forms: filters, targets, school equity, the one-tap answers, a company lead's invitation."""
from datetime import date

from django import forms
from django.utils.functional import cached_property

from core.vocabulary import Format, GradeBand
from mentors.models import Company
from schools.models import MentorRequest, School

from .figures import SETTINGS
from .models import RATING_RANGE, SchoolEquity, Target

DATE = forms.DateInput(attrs={"type": "date"})
RATINGS = [(n, str(n)) for n in range(RATING_RANGE[0], RATING_RANGE[1] + 1)]
LONGEST_RANGE_DAYS = 366 * 6


def school_year_of(day):
    """July 1 to June 30 around `day`: the default range when the alliance set no target for it."""
    start = date(day.year if day.month >= 7 else day.year - 1, 7, 1)
    return start, date(start.year + 1, 6, 30)


class ImpactFilter(forms.Form):
    """A date range and the dashboard's filters. The range defaults to the current school year."""

    start = forms.DateField(required=False, label="From", widget=DATE)
    end = forms.DateField(required=False, label="To", widget=DATE)
    school = forms.ModelChoiceField(queryset=School.objects.none(), required=False, empty_label="All schools")
    company = forms.ModelChoiceField(queryset=Company.objects.none(), required=False, empty_label="All companies")
    grade_band = forms.ChoiceField(choices=[("", "All grades"), *GradeBand.choices], required=False,
                                   label="Grade band")
    setting = forms.ChoiceField(choices=[("", "In and out of school"), *SETTINGS.items()], required=False)
    format = forms.ChoiceField(choices=[("", "In person and virtual"), *Format.choices], required=False)
    kind = forms.ChoiceField(choices=[("", "Every kind"), *MentorRequest.Kind.choices], required=False,
                             label="Request kind")

    def __init__(self, *args, alliance, default_range, **kwargs):
        """`default_range`: (start, end), or a callable giving it, read only when a date was left out."""
        super().__init__(*args, **kwargs)
        self._default_range = default_range
        self.fields["school"].queryset = School.objects.filter(alliance=alliance).order_by("name")
        self.fields["company"].queryset = Company.objects.filter(alliance=alliance).order_by("name")

    @cached_property
    def default_range(self):
        return self._default_range() if callable(self._default_range) else self._default_range

    def clean(self):
        data = super().clean()
        start = data.get("start") or self.default_range[0]
        end = data.get("end") or self.default_range[1]
        if "start" in self.errors or "end" in self.errors:
            return data
        if end < start:
            self.add_error("end", "The end date must be on or after the start date.")
        elif (end - start).days > LONGEST_RANGE_DAYS:
            self.add_error("end", "Choose a range of at most six years.")
        data["start"], data["end"] = start, end
        return data

    def criteria(self):
        """The filters that were set, by name (what `figures.Scope.filters` takes)."""
        chosen = {name: self.cleaned_data.get(name) for name in ("school", "company", "grade_band", "setting",
                                                                  "format", "kind")}
        return {k: getattr(v, "pk", v) for k, v in chosen.items() if v not in (None, "")}


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["starts_on", "ends_on", "students", "mentors", "hours", "schools"]
        labels = {"starts_on": "School year starts", "ends_on": "School year ends"}
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on"):
            if data["ends_on"] <= data["starts_on"]:
                self.add_error("ends_on", "The school year must end after it starts.")
            elif (data["ends_on"] - data["starts_on"]).days > 366:
                self.add_error("ends_on", "A school year lasts at most a year.")
        return data


class EquityForm(forms.ModelForm):
    class Meta:
        model = SchoolEquity
        fields = ["title_i", "frl_percent"]


class TeacherAnswerForm(forms.Form):
    happened = forms.TypedChoiceField(choices=[("yes", "Yes, it happened"), ("no", "No, it did not happen")],
                                      coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                      label="Did the session happen?")
    students_reached = forms.IntegerField(required=False, min_value=0, max_value=100000,
                                          label="Students who took part (a number)")
    rating = forms.TypedChoiceField(choices=RATINGS, coerce=int, required=False, empty_value=None,
                                    widget=forms.RadioSelect, label="How was it? (1 poor, 5 excellent)")
    comment = forms.CharField(required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                              label="Anything to add? (optional; only coordinators read it)")

    figure = "students_reached"

    def clean(self):
        data = super().clean()
        if data.get("happened") and data.get(self.figure) is None and self.figure not in self.errors:
            self.add_error(self.figure, "Enter a number, since the session happened.")
        return data


class MentorAnswerForm(TeacherAnswerForm):
    students_reached = None
    hours = forms.DecimalField(required=False, min_value=0, max_value=100, decimal_places=2,
                               label="Hours you gave (include setting up)")

    figure = "hours"
    field_order = ["happened", "hours", "rating", "comment"]


class CompanyLeadInviteForm(forms.Form):
    company = forms.ModelChoiceField(queryset=Company.objects.none())
    email = forms.EmailField(max_length=254)
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150, required=False)

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.filter(alliance=alliance).order_by("name")
