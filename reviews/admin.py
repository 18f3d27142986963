from django.contrib import admin

from reviews.models import (
    DeliveryUnit,
    MappaCategory,
    MappaLevel,
    OffenceCategory,
    Region,
    Review,
    ReviewEvent,
    RiskLevel,
    SupervisionType,
)


class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


for model in (
    Region,
    OffenceCategory,
    SupervisionType,
    MappaCategory,
    MappaLevel,
    RiskLevel,
):
    admin.site.register(model, ReferenceAdmin)


@admin.register(DeliveryUnit)
class DeliveryUnitAdmin(ReferenceAdmin):
    list_display = ["name", "region", "slug", "position", "is_active"]
    list_filter = ["region", "is_active"]
    list_select_related = ["region"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changed only through the service's pages, which record why."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = [
        "hmpps_reference",
        "region",
        "offence_category",
        "status",
        "received_on",
    ]
    list_filter = ["status", "region", "offence_category"]
    list_select_related = ["region", "offence_category"]
    search_fields = ["hmpps_reference"]
    exclude = ["crn"]


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdmin):
    list_display = ["review", "kind", "at", "actor"]
    list_filter = ["kind"]
    list_select_related = ["review", "actor"]
