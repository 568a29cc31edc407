"""Query-string filters of the coordinator's volunteer list: an unknown status is a 400."""
from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from .models import Mentor, Skill


class VolunteerFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Mentor.Status.choices)

    class Meta:
        model = Mentor
        fields = ["status"]


class VolunteerSearch(django_filters.FilterSet):
    """The coordinator's volunteer page: search by name, email or company; filter by status, check, skill."""

    CHECKS = [("expiring", "expires in the next 30 days"), ("cleared", "cleared"), ("not_cleared", "not cleared")]

    q = django_filters.CharFilter(method="search", label="Search", widget=forms.TextInput(
        attrs={"type": "search", "placeholder": "Name, email or company"}))
    status = django_filters.ChoiceFilter(choices=Mentor.Status.choices, empty_label="Any status")
    check = django_filters.ChoiceFilter(choices=CHECKS, method="by_check", label="Background check",
                                        empty_label="Any check")
    skill = django_filters.ModelChoiceFilter(queryset=Skill.objects.all(), field_name="skills", empty_label="Any skill")

    class Meta:
        model = Mentor
        fields = ["q", "status", "check", "skill"]

    def search(self, queryset, name, value):
        words = value.split()
        for word in words[:5]:
            queryset = queryset.filter(Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
                                       | Q(user__email__icontains=word) | Q(company__name__icontains=word))
        return queryset

    def by_check(self, queryset, name, value):
        cleared = Q(background_check_status=Mentor.BackgroundCheck.CLEARED)
        if value == "expiring":
            return queryset.filter(cleared, background_check_expires__lte=timezone.localdate() + timedelta(days=30))
        return queryset.filter(cleared) if value == "cleared" else queryset.exclude(cleared)
