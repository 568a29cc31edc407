"""Per-request facts about the viewer that every page uses: their timezone and their alliance's look."""
from django.utils import timezone

from core import localtime
from core.roles import alliance_of, timezone_of


class ViewerTimezoneMiddleware:
    """Activates the signed-in person's own zone for the request, so a personal page ('sent at', 'expires')
    reads in their time; a page about a session passes the school's zone explicitly."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The API answers in UTC for every caller (clients convert); only pages read in a person's zone.
        api = request.path.startswith("/api/")
        name = timezone_of(request.user) if hasattr(request, "user") and not api else None
        if name:
            timezone.activate(localtime.zone(name))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def look(request):
    """Template context: the viewer's alliance (name, logo, colour) for the header, or None."""
    user = getattr(request, "user", None)
    return {"look": alliance_of(user) if user is not None else None}
