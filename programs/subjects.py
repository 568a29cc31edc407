"""The skills vocabulary's names as the public directory says them: marked for translation here, because the
names themselves are rows (core.Skill) that gettext cannot see."""
from django.utils.translation import gettext, gettext_noop

NAMES = [
    gettext_noop("Aerospace"), gettext_noop("Biology"), gettext_noop("Chemistry"), gettext_noop("Civil engineering"),
    gettext_noop("Cybersecurity"), gettext_noop("Data science"), gettext_noop("Electrical engineering"),
    gettext_noop("Energy and power"), gettext_noop("Environmental science"), gettext_noop("Manufacturing"),
    gettext_noop("Mathematics"), gettext_noop("Mechanical engineering"), gettext_noop("Medicine and health"),
    gettext_noop("Physics"), gettext_noop("Product design"), gettext_noop("Robotics"),
    gettext_noop("Software engineering"), gettext_noop("Statistics"),
]


def subject_name(name):
    """A skill's name in the visitor's language (its own name when no translation is known)."""
    return gettext(name)
