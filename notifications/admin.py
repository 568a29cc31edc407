from django.contrib import admin

from .models import InboundMessage, Notification, SmsOptOut


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "channel", "to", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["to", "key", "provider_id"]
    readonly_fields = [f.name for f in Notification._meta.fields]


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["from_number", "body", "handled_as", "received_at"]
    list_filter = ["handled_as"]
    readonly_fields = [f.name for f in InboundMessage._meta.fields]


@admin.register(SmsOptOut)
class SmsOptOutAdmin(admin.ModelAdmin):
    list_display = ["phone", "opted_out_at"]
