from django import forms
from django.utils.translation import gettext_lazy as _

from insights.selectors import year_label
from reviews.models import Region
from reviews.selectors import reporting_years


class YearForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Reporting year"),
        coerce=int,
        help_text=_("1 April to 31 March"),
        error_messages={"required": _("Choose a reporting year")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            (year, year_label(year)) for year in reporting_years()
        ]


class DashboardFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("position", "name"),
        required=False,
        empty_label=_("All regions"),
        to_field_name="slug",
    )
