from django.contrib import admin

from core.vocabulary import PARTS

from .models import Alliance, Coordinator, Member, MemberStaff, Mou

WEIGHT_FIELDS = [f"weight_{part}" for part in PARTS]


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "timezone", "contact_email"]
    prepopulated_fields = {"slug": ["name"]}
    # Shown, not edited here: the coordinator's page and the API change them through set_matching_weights,
    # which validates them and records who changed them.
    readonly_fields = [*WEIGHT_FIELDS, "weights_changed_at", "weights_changed_by"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "timezone", "contact_email", "contact_phone", "calendar_email",
                           "mission", "mission_es"]}),
        ("Matching weights", {"fields": readonly_fields,
                              "description": "Coordinators change these at /coordinator/matching-weights/."}),
    ]


@admin.register(Coordinator)
class CoordinatorAdmin(admin.ModelAdmin):
    list_display = ["__str__", "alliance"]
    raw_id_fields = ["user"]


@admin.register(Mou)
class MouAdmin(admin.ModelAdmin):
    list_display = ["alliance", "version", "published_at"]

    def get_readonly_fields(self, request, obj=None):
        # A version someone accepted never changes: publish a new version instead.
        return ["alliance", "version", "text", "text_es"] if obj else []


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "alliance", "contact_email"]
    list_filter = ["status", "kind", "alliance"]
    search_fields = ["name", "contact_email"]
    # Decisions go through alliances.members (the coordinator's review page), never a raw edit.
    readonly_fields = ["status", "mou", "mou_accepted_at", "reviewed_at", "reviewed_by", "review_note"]


@admin.register(MemberStaff)
class MemberStaffAdmin(admin.ModelAdmin):
    list_display = ["__str__", "member"]
    raw_id_fields = ["user"]
