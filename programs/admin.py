from django.contrib import admin

from .models import Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["title", "member", "setting", "status", "starts_on", "ends_on"]
    list_filter = ["status", "setting", "cost", "alliance"]
    search_fields = ["title", "title_es", "member__name"]
    # Moderation goes through programs.services.move_program (the coordinator's page), never a raw edit.
    readonly_fields = ["status", "published_at", "latitude", "longitude"]
    raw_id_fields = ["member", "alliance"]
