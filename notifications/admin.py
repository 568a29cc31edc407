from django.contrib import admin, messages

from . import services
from .models import CalendarFeedToken, InboundMessage, Notification, SmsOptOut


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "channel", "to", "status", "provider_status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["to", "key", "provider_id"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend"]

    @admin.action(description="Send again (messages that need attention)")
    def resend(self, request, queryset):
        """The API's resend, row by row: at most once still holds; rows not needing attention are skipped."""
        done = 0
        for notification in queryset.filter(status=Notification.Status.NEEDS_ATTENTION):
            try:
                services.resend_notification(notification_id=notification.pk, visible=self.get_queryset(request))
                done += 1
            except services.CannotResend:
                continue  # settled by someone else meanwhile
        self.message_user(request, f"{done} message(s) sent again or settled.", messages.SUCCESS)

    def get_queryset(self, request):
        """A coordinator with admin access sees their own alliance's messages only."""
        notifications = super().get_queryset(request)
        if request.user.is_superuser:
            return notifications
        coordinator = getattr(request.user, "coordinator", None)
        if coordinator is None:
            return notifications.none()
        return notifications.filter(match__session__alliance=coordinator.alliance)


class NeedsReviewFilter(admin.SimpleListFilter):
    title = "inbox"
    parameter_name = "inbox"

    def lookups(self, request, model_admin):
        return [("open", "waiting for a coordinator"), ("done", "dealt with")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(needs_review=True, reviewed_at__isnull=True)
        if self.value() == "done":
            return queryset.filter(reviewed_at__isnull=False)
        return queryset


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["from_number", "body", "handled_as", "alliance", "needs_review", "received_at"]
    list_filter = [NeedsReviewFilter, "handled_as", "alliance"]
    readonly_fields = [f.name for f in InboundMessage._meta.fields]

    def get_queryset(self, request):
        """A coordinator with admin access sees their own alliance's texts only."""
        messages = super().get_queryset(request)
        if request.user.is_superuser:
            return messages
        coordinator = getattr(request.user, "coordinator", None)
        return messages.filter(alliance=coordinator.alliance) if coordinator else messages.none()


@admin.register(SmsOptOut)
class SmsOptOutAdmin(admin.ModelAdmin):
    list_display = ["phone", "opted_out_at"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    readonly_fields = ["user", "token_hash", "created_at"]
