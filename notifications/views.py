"""The calendar feed URL: public, but only to whoever holds its secret token."""
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from . import feeds
from .models import CalendarFeedToken


@require_GET
def calendar_feed(request, token):
    """`/calendar/<token>.ics`: the holder's sessions. An unknown or revoked token is a plain 404."""
    user = CalendarFeedToken.user_for(token)
    if user is None or not user.is_active:
        raise Http404("no such calendar")
    response = HttpResponse(feeds.feed_for(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
