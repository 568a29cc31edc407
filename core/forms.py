"""Form pieces both front doors share: the sign-up fields and putting a shared rule's error on its field."""
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from .validation import normalize_email


def apply_errors(form, error):
    """Put a ValidationError raised by a shared rule on the fields it names (or the whole form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)


class SignupFields(forms.Form):
    first_name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    email = forms.EmailField(label="Work email", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False,
        help_text="At least 8 characters; not only numbers, and not something common like “password1”.",
    )

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("email"):
            probe = get_user_model()(username=data["email"], email=data["email"],
                                     first_name=data.get("first_name", ""), last_name=data.get("last_name", ""))
            try:
                validate_password(data["password"], probe)
            except ValidationError as error:
                self.add_error("password", error)
        return data
