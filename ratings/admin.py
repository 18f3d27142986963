from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratings import frameworks
from ratings.models import (
    Assessment,
    Descriptor,
    Framework,
    OverallPolicy,
    Prompt,
    Standard,
    Theme,
)
from ratings.policy import validate_bands


class LockedVersionAdmin(admin.ModelAdmin):
    """
    A version that is published or in use is read-only here: the change and
    delete pages say why and point to a new draft version instead.
    """

    change_form_template = "admin/ratings/version_change_form.html"

    def version_of(self, obj):
        return obj

    def _reason(self, obj) -> str:
        return frameworks.locked_reason(self.version_of(obj)) if obj else ""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._reason(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._reason(obj)

    def _change_url(self, obj) -> str:
        opts = self.opts
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
        )

    def _refuse(self, request, object_id):
        """A POST to change or delete a locked version: say why, change nothing."""
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if request.method == "POST" and (reason := self._reason(obj)):
            self.message_user(request, reason, messages.ERROR)
            return redirect(self._change_url(obj))
        return None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if refused := self._refuse(request, object_id):
            return refused
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        extra_context = {**(extra_context or {}), "locked_reason": self._reason(obj)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        return self._refuse(request, object_id) or super().delete_view(
            request, object_id, extra_context
        )

    def save_model(self, request, obj, form, change):
        # The last guard: what reaches the database is never a locked version.
        if change:
            frameworks.require_changeable(
                self.version_of(type(obj).objects.get(pk=obj.pk))
            )
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        frameworks.require_changeable(self.version_of(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            frameworks.require_changeable(self.version_of(obj))
        super().delete_queryset(request, queryset)


class VersionAdmin(LockedVersionAdmin):
    """Actions shared by framework and policy versions."""

    actions = ["make_draft", "publish"]
    readonly_fields = ["based_on", "is_active", "published_at", "published_by"]
    # Set by the admin classes: the services that draft and publish.
    draft_from = publish_version = None

    def get_queryset(self, request):
        field = "framework" if self.model is Framework else "policy"
        used = (
            Assessment.objects.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(assessments=Subquery(used))

    @admin.display(description=gettext_lazy("state"))
    def state(self, obj):
        if obj.is_active:
            return _("Published: used for new assessments")
        return _("Published") if obj.is_published else _("Draft")

    @admin.display(description=gettext_lazy("assessments using it"))
    def assessments_using(self, obj):
        return f"{obj.assessments or 0:,}"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        return {"version": frameworks.next_version_number(self.model), **initial}

    @admin.action(
        description=gettext_lazy("Make a new draft version from this one"),
        permissions=["add"],
    )
    def make_draft(self, request, queryset):
        if len(queryset) != 1:
            self.message_user(request, _("Choose one version to copy"), messages.ERROR)
            return None
        source = queryset[0]
        draft = type(self).draft_from(source, by=request.user, request=request)
        self.message_user(
            request,
            _(
                "Version %(new)s is a draft copied from version %(old)s. Change "
                "it here, then publish it: new assessments use it from then on."
            )
            % {"new": draft.version, "old": source.version},
            messages.SUCCESS,
        )
        return redirect(self._change_url(draft))

    @admin.action(
        description=gettext_lazy("Publish this version"), permissions=["change"]
    )
    def publish(self, request, queryset):
        for version in queryset.order_by("version"):
            try:
                type(self).publish_version(version, by=request.user, request=request)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
            else:
                text = _("Version %(number)s published.") % {"number": version.version}
                if version.is_active:
                    text += " " + _("New assessments use it from now on.")
                self.message_user(request, text, messages.SUCCESS)


class StandardInline(admin.TabularInline):
    model = Standard
    extra = 0
    show_change_link = True
    # A short box, so the table of standards fits the page.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 50})}
    }


@admin.register(Framework)
class FrameworkAdmin(VersionAdmin):
    list_display = [
        "version", "name", "state", "assessments_using", "published_at", "created_at",
    ]  # fmt: skip
    fields = ["version", "name", "notes", *VersionAdmin.readonly_fields]
    inlines = [StandardInline]

    @staticmethod
    def draft_from(source, **kwargs):
        return frameworks.framework_draft_from(framework=source, **kwargs)

    @staticmethod
    def publish_version(version, **kwargs):
        frameworks.framework_publish(framework=version, **kwargs)


class PromptInline(admin.TabularInline):
    model = Prompt
    extra = 1


class DescriptorInline(admin.TabularInline):
    model = Descriptor
    extra = 0
    max_num = 4


@admin.register(Standard)
class StandardAdmin(LockedVersionAdmin):
    list_display = ["__str__", "framework"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    inlines = [PromptInline, DescriptorInline]

    def version_of(self, obj):
        return obj.framework

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "framework":
            # Standards are added to drafts only.
            kwargs["queryset"] = Framework.objects.filter(published_at__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


class OverallPolicyForm(forms.ModelForm):
    class Meta:
        model = OverallPolicy
        fields = ["version", "kind", "bands", "limiting_standard"]

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
class OverallPolicyAdmin(VersionAdmin):
    form = OverallPolicyForm
    list_display = [
        "version", "kind", "state", "assessments_using", "published_at", "created_at",
    ]  # fmt: skip
    fields = [
        "version", "kind", "bands", "limiting_standard", *VersionAdmin.readonly_fields,
    ]  # fmt: skip

    @staticmethod
    def draft_from(source, **kwargs):
        return frameworks.policy_draft_from(policy=source, **kwargs)

    @staticmethod
    def publish_version(version, **kwargs):
        frameworks.policy_publish(policy=version, **kwargs)
