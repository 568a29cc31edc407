"""Query-string filters of the coordinators' message lists: validated choices, so bad values are a 400."""
import django_filters

from .models import InboundMessage, Notification


class NotificationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Notification.Status.choices)

    class Meta:
        model = Notification
        fields = ["status"]


class InboxFilter(django_filters.FilterSet):
    """By default only the texts waiting for a person; `?all=1` for every one."""

    all = django_filters.ChoiceFilter(choices=[("1", "every text"), ("0", "only those waiting")],
                                      method="filter_all", empty_label=None)

    class Meta:
        model = InboundMessage
        fields = ["all"]

    def filter_queryset(self, queryset):
        if self.form.cleaned_data.get("all") != "1":
            queryset = queryset.filter(needs_review=True, reviewed_at__isnull=True)
        return super().filter_queryset(queryset)

    def filter_all(self, queryset, name, value):
        return queryset
