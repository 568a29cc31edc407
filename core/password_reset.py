"""The password reset email, themed like every other email: HTML with a plain-text alternative, in the
alliance's name, logo and colour, with a footer saying why the reader got it."""
from django.contrib.auth.forms import PasswordResetForm

from core.brand import email_look
from core.roles import alliance_of


class ThemedPasswordResetForm(PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        brand = email_look(alliance_of(context["user"]))
        alliance = brand["name"]
        context = {**context, "alliance_name": alliance, "brand": brand,
                   "why": f"You got this email because someone asked to reset the password of your {alliance} "
                          "account on Mentorbridge. If it wasn't you, ignore it: your password stays as it is."}
        super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                          html_email_template_name)
