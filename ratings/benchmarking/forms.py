from crispy_forms_gds.choices import Choice
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from ratings.benchmarking.permissions import RATER_ROLES
from ratings.forms import TEXT_LIMIT, long_text, rating_field
from reviews.models import Review
from sfoqa.forms import (
    GovUKDateField,
    GovUKFormMixin,
    too_long_message,
    with_character_counts,
)
from sfoqa.uploads import DocumentField


class SessionForm(GovUKFormMixin, forms.Form):
    submit_label = _("Create the session")
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for the session")},
    )
    held_on = GovUKDateField(label=_("Date of the session"))


class ReviewAddForm(GovUKFormMixin, forms.Form):
    submit_label = _("Add the review")
    SOURCES = [
        Choice("received", _("A review HMPPS has sent")),
        Choice(
            "upload",
            _("A document uploaded just for this session"),
            hint=_("For example, an anonymised review"),
        ),
    ]
    title = forms.CharField(
        label=_("Name of the review in the session"),
        help_text=_("Participants see this name, for example Review A"),
        max_length=200,
        error_messages={"required": _("Enter a name for the review")},
    )
    source = forms.ChoiceField(
        label=_("Where does the review come from?"),
        choices=SOURCES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where the review comes from")},
    )
    reference = forms.CharField(
        label=_("HMPPS reference of the received review"),
        max_length=40,
        required=False,
    )
    document = DocumentField(label=_("Document to upload"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("source") == "received":
            reference = (data.get("reference") or "").strip()
            data["review"] = Review.objects.filter(hmpps_reference=reference).first()
            if data["review"] is None:
                self.add_error(
                    "reference", _("Enter the HMPPS reference of a received review")
                )
        elif (
            data.get("source") == "upload"
            and "document" not in self.errors
            and not data.get("document")
        ):
            self.add_error("document", _("Select a PDF or Word document"))
        return data


def raters():
    return (
        User.objects.filter(is_active=True, groups__name__in=RATER_ROLES)
        .distinct()
        .order_by("full_name", "pk")
    )


class ParticipantsForm(GovUKFormMixin, forms.Form):
    submit_label = _("Add to the session")
    users = forms.ModelMultipleChoiceField(
        label=_("People to invite"),
        help_text=_("Inspectors, lead inspectors and HMPPS benchmarking participants"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person")},
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["users"]
        field.queryset = raters().exclude(benchmark_participations__session=session)
        field.label_from_instance = lambda u: f"{u.full_name} ({u.email})"


class InviteForm(GovUKFormMixin, forms.Form):
    submit_label = _("Send the invitation")
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages={"required": _("Enter their full name")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={
            "required": _("Enter their email address"),
            "invalid": _(
                "Enter an email address in the correct format, like name@example.com"
            ),
        },
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            ~Q(kind=Organisation.Kind.HMI_PROBATION)
        ).order_by("name")


class RevealForm(GovUKFormMixin, forms.Form):
    submit_label = _("Reveal the ratings")
    anonymous = forms.TypedChoiceField(
        label=_("How should the results show who rated what?"),
        choices=[
            Choice("0", _("With participants' names")),
            Choice("1", _("Anonymised"), hint=_("Participants are numbered")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how to show who rated what")},
    )


class ConsensusForm(GovUKFormMixin, forms.Form):
    submit_label = _("Save the consensus rating")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"] = rating_field(_("Consensus rating"))
        self.fields["rating"].required = True
        self.fields["rating"].error_messages["required"] = _(
            "Choose the consensus rating"
        )
        self.fields["reasoning"] = long_text(_("Reasoning"), rows=6, required=True)
        self.fields["reasoning"].error_messages["required"] = _(
            "Give the reasoning for the consensus"
        )
        # The fields are added after GovUKFormMixin built the layout from none.
        self.helper.layout = None
        with_character_counts(self)


class NotesForm(GovUKFormMixin, forms.Form):
    submit_label = _("Save the notes")
    notes = forms.CharField(
        label=_("Discussion notes"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"max_length": too_long_message(_("The notes"), TEXT_LIMIT)},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_character_counts(self)
