from django.contrib import admin, messages

from . import services
from .models import Booking, Match, MatchingRun, MatchTransition, Session, SessionInterval


class IntervalInline(admin.TabularInline):
    model = SessionInterval
    extra = 0
    can_delete = False
    readonly_fields = ["starts_at", "ends_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    """Times are read-only: they change only through scheduling.requests.reschedule_request, which raises the
    revision and tells every booked mentor. Sessions are made from requests, never added here."""

    list_display = ["__str__", "alliance", "starts_at", "mentors_needed", "status"]
    list_filter = ["status", "alliance"]
    readonly_fields = ["request", "alliance", "starts_at", "ends_at", "status", "revision"]
    inlines = [IntervalInline]

    def has_add_permission(self, request):
        return False


class TransitionInline(admin.TabularInline):
    model = MatchTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "via", "reason", "at"]

    def has_add_permission(self, request, obj=None):
        return False


def _run_each(modeladmin, request, queryset, service, verb, **kwargs):
    """Call one lifecycle service per selected match; report what the state no longer allowed."""
    done = 0
    for match in queryset:
        try:
            service(match_id=match.pk, actor=request.user, **kwargs)
            done += 1
        except services.MatchError as exc:
            modeladmin.message_user(request, f"{match}: {exc}", messages.ERROR)
    if done:
        modeladmin.message_user(request, f"{done} match(es) {verb}.", messages.SUCCESS)


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    """Status is read-only: it moves only through the actions, which call the lifecycle services."""

    list_display = ["__str__", "status", "score", "status_changed_at"]
    list_filter = ["status", "session__alliance"]
    readonly_fields = ["session", "mentor", "status", "score", "reasons", "created_at", "status_changed_at",
                       "respond_by", "hours", "students_reached"]
    inlines = [TransitionInline]
    actions = ["approve", "reject", "cancel"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Approve the selected matches (invites the mentors)")
    def approve(self, request, queryset):
        _run_each(self, request, queryset, services.approve_match, "approved")

    @admin.action(description="Reject the selected matches (never proposed again)")
    def reject(self, request, queryset):
        _run_each(self, request, queryset, services.reject_match, "rejected", reason="rejected in admin")

    @admin.action(description="Cancel the selected matches (mentors are told)")
    def cancel(self, request, queryset):
        _run_each(self, request, queryset, services.cancel_match, "cancelled", reason="cancelled in admin")


@admin.register(MatchTransition)
class MatchTransitionAdmin(admin.ModelAdmin):
    list_display = ["match", "from_status", "to_status", "actor", "via", "at"]
    readonly_fields = [f.name for f in MatchTransition._meta.fields]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["mentor", "match", "starts_at", "ends_at", "active"]
    readonly_fields = ["match", "mentor", "starts_at", "ends_at", "active"]


@admin.register(MatchingRun)
class MatchingRunAdmin(admin.ModelAdmin):
    list_display = ["alliance", "window_start", "window_end", "started_at", "finished_at"]
    readonly_fields = ["alliance", "window_start", "window_end", "started_at", "finished_at", "stats", "unfilled"]
