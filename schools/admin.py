from django.contrib import admin, messages

from . import services
from .models import MentorRequest, School, Teacher


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
