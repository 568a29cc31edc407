"""Query-string filters of the coordinator's volunteer list: an unknown status is a 400."""
import django_filters

from .models import Mentor


class VolunteerFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Mentor.Status.choices)

    class Meta:
        model = Mentor
        fields = ["status"]
