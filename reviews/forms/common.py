"""Shared pieces of the reviews forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reviews import rules
from reviews.models import crn_validator
from sfoqa.forms import GovUKDateField

YES_NO = [(True, _("Yes")), (False, _("No"))]
MAX_TEXT = 2000


def yes_no(value) -> bool:
    return value in (True, "True", "true", "yes", "1")


def choice_field(model, label, error, **kwargs):
    return forms.ModelChoiceField(
        label=label,
        queryset=model.objects.filter(is_active=True),
        empty_label=_("Choose one"),
        error_messages={"required": error, "invalid_choice": error},
        **kwargs,
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.region.name})"


class FactsMixin:
    """Normalise the case facts and apply the rules every way in shares."""

    def clean_hmpps_reference(self):
        return rules.normalise_reference(self.cleaned_data["hmpps_reference"])

    def clean_crn(self):
        crn = "".join(self.cleaned_data["crn"].split()).upper()
        crn_validator(crn)
        return crn

    def clean(self):
        data = super().clean()
        for field, message in rules.fact_problems(data).items():
            if field not in self.errors:
                self.add_error(field, message)
        reference = data.get("hmpps_reference")
        organisation = getattr(self, "organisation", None)
        if reference and (
            problem := rules.reference_problem(reference, organisation=organisation)
        ):
            self.add_error("hmpps_reference", problem)
        return data

    def facts(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in rules.FACT_FIELDS}


def date_field(label, required=True, help_text=None, **kwargs):
    return GovUKDateField(label=label, required=required, help_text=help_text, **kwargs)
