from django.contrib import admin

from core.vocabulary import PARTS

from .models import Alliance, Coordinator

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
