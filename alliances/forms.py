"""The public "Join the alliance" form and the coordinator's review form."""
import re

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from .models import OFFERS, Member

US_PHONE = re.compile(r"^\+?1?(\d{10})$")


class JoinForm(forms.Form):
    name = forms.CharField(label=_("Organization name (or your name, for an individual)"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of member"), choices=Member.Kind.choices)
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https",
                             validators=[URLValidator(schemes=["http", "https"])])
    contact_name = forms.CharField(label=_("Contact person"), max_length=200,
                                   widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact_email = forms.EmailField(label=_("Contact email"), max_length=254,
                                     widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=30,
                                    widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    offers = forms.MultipleChoiceField(label=_("What you can offer"), choices=list(OFFERS.items()),
                                       widget=forms.CheckboxSelectMultiple, required=False)
    about = forms.CharField(label=_("A few lines about you"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 4}))
    accept_mou = forms.BooleanField(label=_("We have read and accept the alliance's memorandum of understanding "
                                            "shown above."))
    mou_version = forms.IntegerField(widget=forms.HiddenInput)
    # The honeypot: people never see it (off-screen, skipped by tab); a bot that fills every field is ignored.
    nickname = forms.CharField(label=_("Leave this field empty"), required=False,
                               widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, mou, **kwargs):
        super().__init__(*args, **kwargs)
        self.mou = mou
        self.fields["mou_version"].initial = mou.version

    def clean_contact_phone(self):
        digits = re.sub(r"[\s().-]", "", self.cleaned_data["contact_phone"])
        if not digits:
            return ""
        found = US_PHONE.match(digits)
        if not found:
            raise forms.ValidationError(_("Enter a US phone number with its area code, like 518-555-0100."))
        return f"+1{found.group(1)}"

    def clean_mou_version(self):
        if self.cleaned_data["mou_version"] != self.mou.version:
            raise forms.ValidationError(_("The MOU changed while you were filling in the form: read it again "
                                          "and accept this version."))
        return self.cleaned_data["mou_version"]

    def is_bot(self):
        return bool(self.data.get("nickname"))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline"), ("ask", "Ask for more")],
                                 widget=forms.RadioSelect)
    note = forms.CharField(label="Reason or question (the applicant is told)", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("decision") in ("decline", "ask") and not data.get("note", "").strip():
            self.add_error("note", "Say why you decline, or what you need to know.")
        return data


class StaffInviteForm(forms.Form):
    """A coordinator invites a person of an approved nonprofit to act for it (its programme staff); a member's
    verified person invites a colleague with the same form."""

    name = forms.CharField(label="Their name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    email = forms.EmailField(label="Their email", max_length=150)
