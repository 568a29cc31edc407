"""Query-string filters of the match list: validated, so an unknown value is a 400, not an empty list."""
import django_filters

from .models import Match


class MatchFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Match.Status.choices)

    class Meta:
        model = Match
        fields = ["status"]
