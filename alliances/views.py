"""The alliance's look as a stylesheet (the Content-Security-Policy allows no inline styles)."""
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .models import Alliance


@require_GET
@cache_control(public=True, max_age=300)
def look_css(request, slug):
    """`--brand` and `--brand-ink` for the alliance's header and buttons, after static/css/site.css."""
    alliance = get_object_or_404(Alliance, slug=slug)
    css = f":root {{ --brand: {alliance.brand_colour}; --brand-ink: {alliance.brand_ink()}; }}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")
