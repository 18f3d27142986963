"""Forms for sending reviews: one at a time, a bulk manifest's rows, new
versions and extensions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.forms.common import (
    MAX_TEXT,
    YES_NO,
    FactsMixin,
    UnitChoiceField,
    choice_field,
    date_field,
    yes_no,
)
from reviews.models import (
    DeliveryUnit,
    MappaCategory,
    MappaLevel,
    OffenceCategory,
    Region,
    Review,
    RiskLevel,
    SupervisionType,
)
from reviews.services.intake import Files, files_problems
from sfoqa.forms import GovUKFormMixin, too_long_message, with_character_counts
from sfoqa.uploads import DocumentField


class ReviewForm(FactsMixin, GovUKFormMixin, forms.Form):
    """One review, typed in by the HMPPS SFO team, with its documents."""

    submit_label = _("Send review")

    hmpps_reference = forms.CharField(
        label=_("HMPPS reference"),
        max_length=40,
        error_messages={"required": _("Enter the HMPPS reference")},
    )
    crn = forms.CharField(
        label=_("CRN of the person on probation"),
        help_text=_("One letter and 6 numbers, like X123456"),
        max_length=12,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": _("Enter the CRN")},
    )
    region = choice_field(
        Region, _("Probation region"), _("Choose the probation region")
    )
    delivery_unit = UnitChoiceField(
        label=_("Probation delivery unit (PDU)"),
        queryset=DeliveryUnit.objects.filter(is_active=True)
        .select_related("region")
        .order_by("region__position", "name"),
        empty_label=_("Choose one"),
        error_messages={"required": _("Choose the PDU")},
    )
    offence_category = choice_field(
        OffenceCategory, _("Offence category"), _("Choose the offence category")
    )
    inchoate = forms.BooleanField(
        label=_("The offence was an attempt or a conspiracy"), required=False
    )
    supervision_type = choice_field(
        SupervisionType,
        _("Supervision at the time of the offence"),
        _("Choose the type of supervision"),
    )
    mappa_category = choice_field(
        MappaCategory, _("MAPPA category"), _("Choose the MAPPA category")
    )
    mappa_level = choice_field(
        MappaLevel, _("MAPPA level (if managed under MAPPA)"), "", required=False
    )
    risk_level = choice_field(
        RiskLevel, _("Risk of serious harm level"), _("Choose the risk level")
    )
    offence_date = date_field(_("Date of the offence"), past=True)
    charge_date = date_field(_("Date charged"), past=True)
    first_court_date = date_field(_("Date of first court appearance"), past=True)
    notification_date = date_field(_("Date the SFO was notified"), past=True)
    commissioned_date = date_field(_("Date the review was commissioned"), past=True)
    target_date = date_field(_("Original target date for the review"))
    submitted_date = date_field(_("Date the review was submitted"), past=True)
    reviewing_manager = forms.CharField(
        label=_("Reviewing manager"),
        max_length=200,
        error_messages={"required": _("Enter the reviewing manager's name")},
    )
    countersigning_manager = forms.CharField(
        label=_("Countersigning manager"),
        max_length=200,
        error_messages={"required": _("Enter the countersigning manager's name")},
    )
    conviction = forms.ChoiceField(
        label=_("Conviction outcome"),
        choices=Review.Conviction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the conviction outcome")},
    )
    victim_summary_requested_on = date_field(
        _("Date the victim summary was requested (if it was)"),
        required=False,
        past=True,
    )
    victim_summary_disclosed_on = date_field(
        _("Date the victim summary was disclosed (if it was)"),
        required=False,
        past=True,
    )
    family_meeting_offered = forms.TypedChoiceField(
        label=_("Was a meeting offered to the victim's family?"),
        choices=YES_NO,
        coerce=yes_no,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether a family meeting was offered")},
    )
    family_meeting_held = forms.TypedChoiceField(
        label=_("Was a meeting held with the victim's family?"),
        choices=YES_NO,
        coerce=yes_no,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether a family meeting was held")},
    )
    review_document = DocumentField(
        label=_("The SFO review"),
        help_text=_("A PDF or Word document (DOCX), up to 20 MB"),
        error_messages={"required": _("Select the SFO review document")},
    )
    action_plan = DocumentField(
        label=_("Action plan (if it is a separate document)"), required=False
    )

    def __init__(self, *args, organisation=None, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("review_document"):
            for field, message in files_problems(
                self.files_to_store(), organisation=self.organisation
            ).items():
                self.add_error(field, message)
        return data

    def files_to_store(self) -> Files:
        return Files(
            review_document=self.cleaned_data["review_document"],
            action_plan=self.cleaned_data.get("action_plan"),
        )


class VersionForm(GovUKFormMixin, forms.Form):
    submit_label = _("Send new version")

    review_document = DocumentField(
        label=_("The revised SFO review"),
        help_text=_("A PDF or Word document (DOCX), up to 20 MB"),
        error_messages={"required": _("Select the revised SFO review document")},
    )
    action_plan = DocumentField(
        label=_("Revised action plan (if it is a separate document)"), required=False
    )

    def __init__(self, *args, organisation=None, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("review_document"):
            for field, message in files_problems(
                self.files_to_store(), organisation=self.organisation
            ).items():
                self.add_error(field, message)
        return data

    def files_to_store(self) -> Files:
        return Files(
            review_document=self.cleaned_data["review_document"],
            action_plan=self.cleaned_data.get("action_plan"),
        )


class ExtensionForm(GovUKFormMixin, forms.Form):
    submit_label = _("Record extension")

    new_target_date = date_field(_("New target date"))
    reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Enter the reason for the extension"),
            "max_length": too_long_message(_("The reason"), MAX_TEXT),
        },
    )
    agreed_by = forms.CharField(
        label=_("Agreed by"),
        max_length=200,
        error_messages={"required": _("Enter who agreed the extension")},
    )
    agreed_on = date_field(_("Date agreed"), past=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_character_counts(self)


# Files in one bulk upload. Django's own limit on files in a request
# (DATA_UPLOAD_MAX_NUMBER_FILES) is set well above this, so that a few too
# many get this form's error rather than a bare "Bad request".
BULK_MAX_FILES = 100


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx"}))
        # An empty file is refused by the upload check, by name, with the rest.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class BulkUploadForm(GovUKFormMixin, forms.Form):
    submit_label = _("Check and send reviews")

    manifest = forms.FileField(
        label=_("Manifest (CSV file)"),
        help_text=_("One row for each review, with the columns of the template"),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": _("Select the manifest CSV file")},
    )
    documents = MultipleFileField(
        label=_("Review documents"),
        help_text=_(
            "Select every file the manifest names (PDF or DOCX), up to 100 files"
        ),
        error_messages={"required": _("Select the review documents")},
    )

    def clean_documents(self):
        documents = self.cleaned_data["documents"]
        if len(documents) > BULK_MAX_FILES:
            raise forms.ValidationError(
                _("Select %(max)s files or fewer") % {"max": BULK_MAX_FILES},
                code="too_many_files",
            )
        return documents


class ReviewDataForm(FactsMixin, forms.Form):
    """The case facts as machine-readable text: codes for lists, ISO dates.
    Validates each row of a bulk manifest."""

    hmpps_reference = forms.CharField(max_length=40)
    crn = forms.CharField(max_length=12)
    region = forms.ModelChoiceField(
        Region.objects.filter(is_active=True), to_field_name="slug"
    )
    delivery_unit = forms.ModelChoiceField(
        DeliveryUnit.objects.filter(is_active=True), to_field_name="slug"
    )
    offence_category = forms.ModelChoiceField(
        OffenceCategory.objects.filter(is_active=True), to_field_name="slug"
    )
    inchoate = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")], coerce=yes_no, required=False
    )
    supervision_type = forms.ModelChoiceField(
        SupervisionType.objects.filter(is_active=True), to_field_name="slug"
    )
    mappa_category = forms.ModelChoiceField(
        MappaCategory.objects.filter(is_active=True), to_field_name="slug"
    )
    mappa_level = forms.ModelChoiceField(
        MappaLevel.objects.filter(is_active=True), to_field_name="slug", required=False
    )
    risk_level = forms.ModelChoiceField(
        RiskLevel.objects.filter(is_active=True), to_field_name="slug"
    )
    offence_date = forms.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    charge_date = forms.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    first_court_date = forms.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    notification_date = forms.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    commissioned_date = forms.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    target_date = forms.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    submitted_date = forms.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    reviewing_manager = forms.CharField(max_length=200)
    countersigning_manager = forms.CharField(max_length=200)
    conviction = forms.ChoiceField(choices=Review.Conviction.choices)
    victim_summary_requested_on = forms.DateField(
        input_formats=["%Y-%m-%d", "%d/%m/%Y"], required=False
    )
    victim_summary_disclosed_on = forms.DateField(
        input_formats=["%Y-%m-%d", "%d/%m/%Y"], required=False
    )
    family_meeting_offered = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")], coerce=yes_no
    )
    family_meeting_held = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")], coerce=yes_no
    )

    LOWERCASE = {
        "region",
        "delivery_unit",
        "offence_category",
        "inchoate",
        "supervision_type",
        "mappa_category",
        "mappa_level",
        "risk_level",
        "conviction",
        "family_meeting_offered",
        "family_meeting_held",
    }

    def __init__(self, data=None, *, organisation=None, **kwargs):
        self.organisation = organisation
        if data is not None:
            data = {
                key: (value or "").strip().lower()
                if key in self.LOWERCASE
                else (value or "").strip()
                for key, value in data.items()
            }
        super().__init__(data, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = _("Enter a value")
            field.error_messages["invalid_choice"] = _("Use one of the listed codes")
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = _(
                    "Enter a real date, like 2025-03-31"
                )
