"""``manage.py twilio_fake``: run the fake Twilio API in the foreground."""

from django.core.management.base import BaseCommand

from notifications.twilio_fake.cli import add_arguments, serve


class Command(BaseCommand):
    """Serve a Twilio-compatible Messages API locally and print how to point the app at it."""

    help = "Run a fake Twilio Messages API for local runs and end-to-end tests."
    # The fake touches no model or setting, so it starts even while the project has check errors.
    requires_system_checks = []

    def add_arguments(self, parser):
        """Accept --host, --port, --account-sid, --auth-token, --from-number, --auto-deliver."""
        add_arguments(parser)

    def handle(self, *args, **options):
        """Serve until Ctrl-C."""
        serve(options, self._write)

    def _write(self, text):
        # Flush, so a script reading our stdout through a pipe sees the URL at once.
        self.stdout.write(text)
        self.stdout.flush()
