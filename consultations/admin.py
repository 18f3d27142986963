from django.contrib import admin

from consultations.models import Consultation, Theme


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_at", "closes_at", "published_at"]
    search_fields = ["title"]
    readonly_fields = ["slug", "published_at", "response_published_at", "version"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "consultation"]
    search_fields = ["name"]
