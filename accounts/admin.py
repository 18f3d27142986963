from django.contrib import admin

from accounts.models import AgencyType, Organisation


@admin.register(AgencyType)
class AgencyTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "agency_type"]
    list_filter = ["kind", "agency_type"]
    search_fields = ["name"]
