"""The directory's search form (GET, no account) and the member's program form."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.vocabulary import GradeBand
from mentors.models import Skill

from . import geo
from .models import LANGUAGES, Program, delimited, web_link
from .search import Filters
from .subjects import subject_name

MILES = [(5, _("5 miles")), (10, _("10 miles")), (25, _("25 miles")), (50, _("50 miles"))]
WHEN = [("", _("Any time")), ("open", _("Open for sign-up now")), ("summer", _("This summer"))]


def _any(choices):
    return [("", _("Any")), *choices]


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search"}))
    # The bands themselves ("K-2", "6-8") read the same in English and Spanish.
    grade = forms.ChoiceField(label=_("Grade"), required=False, choices=_any([(b, b) for b in GradeBand.values]))
    subject = forms.ChoiceField(label=_("Subject"), required=False)
    setting = forms.ChoiceField(label=_("Setting"), required=False, choices=_any(Program.Setting.choices))
    cost = forms.ChoiceField(label=_("Cost"), required=False, choices=_any(Program.Cost.choices))
    language = forms.ChoiceField(label=_("Language"), required=False, choices=_any(list(LANGUAGES.items())))
    zip = forms.RegexField(label=_("Near ZIP code"), required=False, regex=r"^\d{5}$", max_length=5,
                           error_messages={"invalid": _("Enter a five-digit ZIP code.")},
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}))
    within = forms.TypedChoiceField(label=_("Within"), required=False, choices=MILES, coerce=int, empty_value=10)
    when = forms.ChoiceField(label=_("When"), required=False, choices=WHEN)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = _any([(slug, subject_name(name))
                                               for slug, name in Skill.objects.values_list("slug", "name")])

    def clean_zip(self):
        code = self.cleaned_data["zip"]
        if code and geo.locate(code) is None:
            raise forms.ValidationError(_("That is not a US ZIP code we know; check the five digits, or search "
                                          "without a distance."))
        return code

    def filters(self, *, alliance_id=None):
        data = self.cleaned_data
        return Filters(words=data["q"], grade=data["grade"], subject=data["subject"], setting=data["setting"],
                       cost=data["cost"], language=data["language"], near=geo.locate(data["zip"]) if data["zip"]
                       else None, miles=data["within"] or 10, when=data["when"], alliance_id=alliance_id)


class ProgramForm(forms.ModelForm):
    grade_bands = forms.MultipleChoiceField(choices=GradeBand.choices, widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(choices=list(LANGUAGES.items()), widget=forms.CheckboxSelectMultiple,
                                          label="Languages offered")
    join_url = forms.URLField(required=False, assume_scheme="https", validators=[web_link], max_length=200,
                              label="Link to join", help_text="A web page (http or https) where families sign up.")

    class Meta:
        model = Program
        fields = ["title", "title_es", "description", "description_es", "setting", "grade_bands", "subjects",
                  "cost", "languages", "virtual", "address", "zip_code", "starts_on", "ends_on",
                  "weekly_schedule", "apply_by", "join_url", "join_phone", "join_email", "capacity",
                  "accessibility"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}), "description_es": forms.Textarea(attrs={"rows": 6}),
            "accessibility": forms.Textarea(attrs={"rows": 3}), "subjects": forms.CheckboxSelectMultiple,
            "starts_on": forms.DateInput(attrs={"type": "date"}), "ends_on": forms.DateInput(attrs={"type": "date"}),
            "apply_by": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {"description": "Plain text; blank lines start a new paragraph. Links are not clickable.",
                      "zip_code": "Five digits. We place the program on the map from it (no address leaves us)."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["grade_bands"] = self.instance.band_list()
            self.initial["languages"] = self.instance.language_list()

    def clean_grade_bands(self):
        return delimited([b for b in GradeBand.values if b in self.cleaned_data["grade_bands"]])

    def clean_languages(self):
        return delimited([code for code in LANGUAGES if code in self.cleaned_data["languages"]])

    def clean(self):
        data = super().clean()
        if not data.get("virtual") and not data.get("zip_code") and "zip_code" not in self.errors:
            self.add_error("zip_code", "Give the ZIP code of where it happens, or tick virtual.")
        zip_code = data.get("zip_code", "")
        if zip_code and not (len(zip_code) == 5 and zip_code.isdigit()):
            self.add_error("zip_code", "Enter a five-digit ZIP code.")
        elif zip_code and geo.locate(zip_code) is None:
            self.add_error("zip_code", "We don't know this ZIP code; check the five digits.")
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The last day comes on or after the first.")
        if not (data.get("join_url") or data.get("join_phone") or data.get("join_email")):
            self.add_error("join_url", "Say how to join: a link, a phone number or an email.")
        return data
