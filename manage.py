#!/usr/bin/env python
"""Django's command-line utility for Mentorbridge."""
import os
import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    try:
        # Read the settings before Django's command runner does: it swallows this error for some commands and
        # then fails later with AppRegistryNotReady, a traceback that does not say what is missing.
        settings.INSTALLED_APPS  # noqa: B018 -- touched for its error
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # Production is the default; a bare development command gets one line saying what to set, not a traceback.
        print(f"manage.py: {exc} (or, on a development machine, set DJANGO_SETTINGS_MODULE=config.settings.local)",
              file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
