#!/usr/bin/env python
"""Django's command-line utility for Mentorbridge."""
import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # Production is the default; a bare development command gets one line saying what to set, not a traceback.
        print(f"manage.py: {exc} (or, on a development machine, set DJANGO_SETTINGS_MODULE=config.settings.local)",
              file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
