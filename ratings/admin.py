from django import forms
from django.contrib import admin

from ratings.models import Descriptor, Framework, OverallPolicy, Prompt, Standard, Theme
from ratings.policy import validate_bands


class StandardInline(admin.TabularInline):
    model = Standard
    extra = 0
    show_change_link = True


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["version", "name", "is_active", "created_at"]
    inlines = [StandardInline]


class PromptInline(admin.TabularInline):
    model = Prompt
    extra = 1


class DescriptorInline(admin.TabularInline):
    model = Descriptor
    extra = 0
    max_num = 4


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["__str__", "framework"]
    list_filter = ["framework"]
    inlines = [PromptInline, DescriptorInline]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


class OverallPolicyForm(forms.ModelForm):
    class Meta:
        model = OverallPolicy
        fields = ["version", "kind", "bands", "limiting_standard", "is_active"]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in (OverallPolicy.Kind.SUM_AND_BAND, OverallPolicy.Kind.LIMITING):
            standards = Standard.objects.filter(framework__is_active=True).count()
            validate_bands(data.get("bands") or [], standards=standards)
        if kind == OverallPolicy.Kind.LIMITING and not data.get("limiting_standard"):
            self.add_error(
                "limiting_standard", "Choose the standard that limits the overall"
            )
        return data


@admin.register(OverallPolicy)
class OverallPolicyAdmin(admin.ModelAdmin):
    form = OverallPolicyForm
    list_display = ["version", "kind", "is_active", "created_at"]
