"""Throttles for the doors a stranger can knock on, per client IP, with DRF's rates (REST_FRAMEWORK
["DEFAULT_THROTTLE_RATES"]) and cache. API views name a `throttle_scope`; pages use `throttle_page`.
"""
from functools import wraps

from django.shortcuts import render
from rest_framework.throttling import SimpleRateThrottle


class PageThrottle(SimpleRateThrottle):
    """DRF's scoped throttle for a plain Django view: the same rates, cache and keys as the API's scopes."""

    def __init__(self, scope):
        self.scope = scope
        super().__init__()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def throttle_page(scope):
    """Refuse a page's POSTs past the scope's rate with a 429 page that says when to try again."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                throttle = PageThrottle(scope)
                if not throttle.allow_request(request, None):
                    minutes = max(1, round((throttle.wait() or 60) / 60))
                    return render(request, "throttled.html", {"minutes": minutes}, status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
