from django.contrib import admin, messages

from scheduling.engine import PARTS

from . import services
from .models import Alliance, Coordinator, MentorRequest, School, Teacher

WEIGHT_FIELDS = [f"weight_{part}" for part in PARTS]


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "timezone", "contact_email"]
    prepopulated_fields = {"slug": ["name"]}
    # Shown, not edited here: the coordinator's page and the API change them through set_matching_weights,
    # which validates them and records who changed them.
    readonly_fields = [*WEIGHT_FIELDS, "weights_changed_at", "weights_changed_by"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "timezone", "contact_email", "contact_phone", "calendar_email"]}),
        ("Matching weights", {"fields": readonly_fields,
                              "description": "Coordinators change these at /coordinator/matching-weights/."}),
    ]


@admin.register(Coordinator)
class CoordinatorAdmin(admin.ModelAdmin):
    list_display = ["__str__", "alliance"]
    raw_id_fields = ["user"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "alliance", "zip_code", "timezone"]
    list_filter = ["alliance"]
    search_fields = ["name"]


@admin.register(Teacher)
class TeacherAdmin(admin.ModelAdmin):
    list_display = ["__str__", "school", "verified_at"]
    list_filter = ["school__alliance"]
    readonly_fields = ["verified_at"]
    raw_id_fields = ["user"]
    actions = ["verify"]

    @admin.action(description="Verify the selected teachers")
    def verify(self, request, queryset):
        for teacher in queryset:
            services.verify_teacher(teacher=teacher, actor=request.user)
        self.message_user(request, f"{queryset.count()} teacher(s) verified.", messages.SUCCESS)


@admin.register(MentorRequest)
class MentorRequestAdmin(admin.ModelAdmin):
    list_display = ["topic", "school", "grade_band", "format", "status", "created_at"]
    list_filter = ["status", "format", "grade_band", "school__alliance"]
    readonly_fields = ["status", "created_at"]
    search_fields = ["topic"]
