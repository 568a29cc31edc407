"""The coordinator's page about one volunteer: profile, vetting and match history (with every reason)."""
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from core.roles import role_required
from core.words import from_km
from mentors.models import Mentor
from mentors.validation import LANGUAGE_CHOICES

from .models import Match, MatchTransition
from .selectors import NOT_RATED, teacher_ratings

HISTORY_ROWS = 30


@role_required("coordinator", hidden=True, pass_role=True)
def volunteer_profile(request, coordinator, mentor_id):
    mentor = get_object_or_404(
        Mentor.objects.select_related("user", "company").prefetch_related("skills", "availability",
                                                                          "vetting_changes"),
        pk=mentor_id, company__alliance=coordinator.alliance)
    history = (Match.objects.filter(mentor=mentor).select_related("session__request__school")
               .prefetch_related(Prefetch("transitions", queryset=MatchTransition.objects.order_by("at", "pk")))
               .order_by("-session__starts_at")[:HISTORY_ROWS])
    languages = dict(LANGUAGE_CHOICES)
    unit = coordinator.alliance.distance_unit
    return render(request, "scheduling/volunteer_profile.html", {
        "mentor": mentor, "history": history, "ratings": teacher_ratings([mentor.pk]).get(mentor.pk, NOT_RATED),
        "languages": [languages.get(code, code) for code in mentor.languages],
        "travel": f"{from_km(mentor.travel_km, unit)} {coordinator.alliance.get_distance_unit_display()}",
    })
