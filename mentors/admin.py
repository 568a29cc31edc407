from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from . import services
from .models import AvailabilityWindow, BlackoutDate, Company, Mentor


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "alliance", "email_domain"]
    list_filter = ["alliance"]


class AvailabilityInline(admin.TabularInline):
    model = AvailabilityWindow
    extra = 0


class BlackoutInline(admin.TabularInline):
    model = BlackoutDate
    extra = 0


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    """Status and background check are read-only: they change through the services (the approve action
    here; checks are recorded on the coordinator's volunteer page, which validates the expiry)."""

    list_display = ["__str__", "company", "status", "background_check_status", "background_check_expires"]
    list_filter = ["status", "background_check_status", "company__alliance"]
    search_fields = ["user__first_name", "user__last_name", "user__email"]
    filter_horizontal = ["skills"]
    raw_id_fields = ["user"]
    # Vetting changes go through the coordinator's pages or API (scheduling.vetting), which take a volunteer
    # no longer cleared out of their classrooms and write the audit row; the admin never bypasses them.
    readonly_fields = ["status", "background_check_status", "background_check_reference", "background_check_expires",
                       "sms_consent_at", "sms_consent_text", "sms_consent_ip", "phone_invalid_at", "created_at"]
    inlines = [AvailabilityInline, BlackoutInline]
    actions = ["approve"]

    @admin.action(description="Approve the selected pending volunteers")
    def approve(self, request, queryset):
        done = 0
        for mentor in queryset:
            try:
                services.approve_mentor(mentor_id=mentor.pk, actor=request.user, via="admin")
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{mentor}: {' '.join(exc.messages)}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} volunteer(s) approved.", messages.SUCCESS)
