from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.models import Consultation
from insights.selectors import year_label
from reviews.models import Region, SampleRound
from reviews.selectors import reporting_years
from sfoqa.dates import format_date


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


class NoFilterForm(forms.Form):
    """An export of everything: nothing to choose."""


class SampleRoundChoiceForm(forms.Form):
    empty_message = _("There are no sample rounds to export yet.")

    round = forms.ModelChoiceField(
        label=_("Sample round"),
        queryset=SampleRound.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choose a sample round"),
            "invalid_choice": _(
                "The sample round you chose is not there any more: choose another"
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Discarded drafts are kept for the round log, not exported.
        self.fields["round"].queryset = SampleRound.objects.exclude(
            status=SampleRound.Status.DISCARDED
        ).order_by("-created_at", "-pk")
        self.fields["round"].label_from_instance = self.round_label

    @staticmethod
    def round_label(sample_round) -> str:
        return _("%(start)s to %(end)s (%(status)s)") % {
            "start": format_date(sample_round.period_start),
            "end": format_date(sample_round.period_end),
            "status": sample_round.get_status_display().lower(),
        }


class ConsultationChoiceForm(forms.Form):
    empty_message = _("There are no consultations to export yet.")

    consultation = forms.ModelChoiceField(
        label=_("Consultation"),
        queryset=Consultation.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choose a consultation"),
            "invalid_choice": _(
                "The consultation you chose is not there any more: choose another"
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = Consultation.objects.order_by(
            "-closes_at", "-pk"
        )
