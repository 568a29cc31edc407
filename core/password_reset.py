"""The password reset email, themed like every other email: HTML with a plain-text alternative, in the
alliance's name, with a footer saying why the reader got it."""
from django.contrib.auth.forms import PasswordResetForm


def alliance_name_of(user):
    """The alliance of a volunteer, teacher or coordinator (by attribute, so core imports no app)."""
    for path in (("mentor", "company", "alliance"), ("teacher", "school", "alliance"), ("coordinator", "alliance")):
        node = user
        for name in path:
            node = getattr(node, name, None)
            if node is None:
                break
        if node is not None:
            return node.name
    return "Mentorbridge"


class ThemedPasswordResetForm(PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        alliance = alliance_name_of(context["user"])
        context = {**context, "alliance_name": alliance,
                   "why": f"You got this email because someone asked to reset the password of your {alliance} "
                          "account on Mentorbridge. If it wasn't you, ignore it: your password stays as it is."}
        super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                          html_email_template_name)
