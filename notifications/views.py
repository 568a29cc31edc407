"""The calendar feed: the public URL (to whoever holds its secret token) and the page that makes it."""
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
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


@login_required
def calendar_feed_page(request):
    """Where a volunteer or teacher gets, replaces or turns off their personal calendar link.

    Only a hash of the token is stored, so the link is shown once, right after it is made.
    """
    if not feeds.can_subscribe(request.user):
        raise Http404
    url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            CalendarFeedToken.objects.filter(user=request.user).delete()
        else:
            token = CalendarFeedToken.issue(request.user)
            url = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("calendar-feed", args=[token])
    active = CalendarFeedToken.objects.filter(user=request.user).exists()
    return render(request, "notifications/calendar_feed.html", {"url": url, "active": active})
