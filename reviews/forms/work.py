"""Forms for the inspectorate's work: the list filter, sampling, allocation
and conflict-of-interest declarations."""

from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from reviews import rules
from reviews.forms.common import MAX_TEXT, date_field, yes_no
from reviews.models import Review
from reviews.selectors import SORTS, reference_lists, reporting_years
from sfoqa.forms import (
    GovUKFilterMixin,
    GovUKFormMixin,
    too_long_message,
    with_character_counts,
)


class ReviewFilterForm(GovUKFilterMixin, forms.Form):
    q = forms.CharField(
        label=_("HMPPS reference starts with"), required=False, max_length=40
    )
    # Region and offence ids, offered from the reference lists the form
    # reads: checking a choice needs no query of its own.
    region = forms.TypedChoiceField(
        label=_("Region"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a region from the list")},
    )
    offence_category = forms.TypedChoiceField(
        label=_("Offence category"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": _("Choose an offence category from the list")
        },
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Review.Status.choices],
        error_messages={"invalid_choice": _("Choose a status from the list")},
    )
    year = forms.TypedChoiceField(
        label=_("Reporting year (April to March)"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a reporting year from the list")},
    )
    overdue = forms.BooleanField(
        label=_("Submitted after the target date"), required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        error_messages={"invalid_choice": _("Choose an order from the list")},
        choices=[
            ("newest", _("Newest received first")),
            ("oldest", _("Oldest received first")),
            ("reference", _("HMPPS reference")),
            ("due", _("Target date")),
        ],
    )

    def __init__(self, *args, hmpps_view: bool = False, lists=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hmpps_view = hmpps_view
        self.lists = lists or reference_lists()
        self.fields["region"].choices = [("", _("Any region")), *self.lists.regions]
        self.fields["offence_category"].choices = [
            ("", _("Any offence")),
            *self.lists.offences,
        ]
        if hmpps_view:
            # HMPPS sees the inspectorate's own stages as one.
            self.fields["status"].choices = [
                choice
                for choice in self.fields["status"].choices
                if choice[0] != Review.Status.ALLOCATED
            ]
        self.fields["year"].choices = [("", _("Any year"))] + [
            (year, f"{year} to {year + 1}") for year in reporting_years()
        ]

    def filters(self) -> dict:
        if not (self.is_bound and self.is_valid()):
            return {}
        data = dict(self.cleaned_data)
        data["q"] = rules.normalise_reference(data.get("q") or "")
        data["sort"] = data.get("sort") if data.get("sort") in SORTS else "newest"
        if self.hmpps_view and data.get("status") == Review.Status.IN_QA:
            data["status"] = [Review.Status.ALLOCATED, Review.Status.IN_QA]
        return data


class SampleRoundForm(GovUKFormMixin, forms.Form):
    submit_label = _("Draw the sample")

    period_start = date_field(_("Reviews received from"))
    period_end = date_field(_("Reviews received up to and including"))
    target_percent = forms.IntegerField(
        label=_("Target sample (percentage)"),
        min_value=1,
        max_value=100,
        initial=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}
        ),
        error_messages={
            "required": _("Enter the target percentage"),
            "invalid": _("Target sample must be a whole number, like 20"),
            "min_value": _("Target sample must be between 1 and 100"),
            "max_value": _("Target sample must be between 1 and 100"),
        },
    )
    seed = forms.IntegerField(
        label=_("Random seed (optional)"),
        help_text=_(
            "Leave blank for a new random seed. Use a past round's seed to "
            "repeat its draw."
        ),
        required=False,
        min_value=0,
        max_value=2**62,
        error_messages={
            "invalid": _("Random seed must be a whole number"),
            "min_value": _("Random seed must be 0 or more"),
            "max_value": _("Random seed must be 19 digits or fewer"),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}
        ),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error(
                "period_end", _("The end of the period must be on or after its start")
            )
        return data


class AddToSampleForm(GovUKFormMixin, forms.Form):
    submit_label = _("Add to the sample")

    reference = forms.CharField(
        label=_("HMPPS reference of the review to add"),
        max_length=40,
        error_messages={"required": _("Enter the HMPPS reference")},
    )
    reason = forms.CharField(
        label=_("Why it should be in the sample"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter the reason for adding it"),
            "max_length": too_long_message(_("The reason"), MAX_TEXT),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_character_counts(self)

    def clean_reference(self):
        return rules.normalise_reference(self.cleaned_data["reference"])


class RemoveFromSampleForm(GovUKFormMixin, forms.Form):
    submit_label = _("Remove from the sample")

    review = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why it should come out of the sample"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter the reason for removing it"),
            "max_length": too_long_message(_("The reason"), MAX_TEXT),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_character_counts(self)


class SampleRoundConfirmForm(GovUKFormMixin, forms.Form):
    """The "are you sure" step before a sample is confirmed."""

    submit_label = _("Yes, confirm the sample")


class SampleRoundDiscardForm(GovUKFormMixin, forms.Form):
    """The "are you sure" step before a draft is discarded."""

    submit_label = _("Yes, discard this draft")


class InspectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(name)s (%(count)s open)") % {
            "name": obj.full_name,
            "count": obj.open_reviews,
        }


class AllocationForm(GovUKFormMixin, forms.Form):
    submit_label = _("Allocate review")

    inspector = InspectorChoiceField(
        label=_("Inspector"),
        queryset=User.objects.none(),
        empty_label=_("Choose an inspector"),
        error_messages={"required": _("Choose an inspector")},
    )
    due_date = date_field(
        _("Quality assurance due by"),
        future=True,
        required_message=_("Enter the date quality assurance is due by"),
    )

    def __init__(self, *args, inspectors=None, **kwargs):
        super().__init__(*args, **kwargs)
        if inspectors is not None:
            self.fields["inspector"].queryset = inspectors


class ConflictForm(GovUKFormMixin, forms.Form):
    submit_label = _("Confirm declaration")

    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this case?"),
        help_text=_(
            "For example, you know the person on probation, a victim or their "
            "family, or you worked with the staff involved"
        ),
        choices=[(False, _("No, I have no conflict of interest")), (True, _("Yes"))],
        coerce=yes_no,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you have a conflict of interest")},
    )
    reason = forms.CharField(
        label=_("Describe the conflict of interest"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": too_long_message(_("The description"), MAX_TEXT)},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The description is asked for under "Yes" only (a conditional reveal).
        self.helper.layout = Layout(
            ConditionalRadios(
                "has_conflict",
                str(self.fields["has_conflict"].choices[0][1]),
                ConditionalQuestion(
                    str(self.fields["has_conflict"].choices[1][1]), "reason"
                ),
            )
        )
        with_character_counts(self)

    def clean(self):
        data = super().clean()
        if not data.get("has_conflict"):
            data["reason"] = ""  # typed before choosing "No": not part of it
        elif "reason" not in self.errors and not (data.get("reason") or "").strip():
            self.add_error(
                "reason", _("Enter a description of the conflict of interest")
            )
        return data
