import re
from datetime import datetime, time

from crispy_forms_gds.choices import Choice
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AgencyType, Organisation, User
from accounts.roles import Role
from panels.models import (
    Attendance,
    ImpactCheck,
    LearningItem,
    Level,
    Meeting,
    Panel,
    Paper,
)
from ratings.forms import TEXT_LIMIT, long_text
from ratings.models import Theme
from reviews.models import Region, Review
from sfoqa.dates import format_date, format_date_time
from sfoqa.forms import GovUKDateField, GovUKFilterMixin, GovUKFormMixin
from sfoqa.uploads import DocumentField

# Text shaped like something that identifies a person in the case.
IDENTIFYING = [
    (re.compile(r"\b[A-Z]\d{6}\b"), _("a CRN")),
    (
        re.compile(r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:19|20)?\d{2}\b"),
        _("a date of birth"),
    ),
    (
        re.compile(r"\b(?:born|d\.?o\.?b\.?)\b", re.IGNORECASE),
        _("a date of birth"),
    ),
    (
        re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE),
        _("a postcode"),
    ),
]


def identifying_shapes(text: str) -> list[str]:
    """What in the text looks like a CRN, a date of birth or a postcode."""
    found = []
    for pattern, label in IDENTIFYING:
        if pattern.search(text or "") and str(label) not in found:
            found.append(str(label))
    return found


def agency_types_field(label, help_text=""):
    return forms.ModelMultipleChoiceField(
        label=label,
        help_text=help_text,
        queryset=AgencyType.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def summary_warning(found: list[str]) -> str:
    return _(
        "The summary contains something shaped like %(what)s. Remove anything "
        "that identifies the person, or confirm it does not"
    ) % {"what": _(" and ").join(found)}


class PanelForm(GovUKFormMixin, forms.Form):
    submit_label = _("Save the panel")
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for the panel")},
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.filter(is_active=True),
        error_messages={"required": _("Choose the region")},
    )
    chair = forms.ModelChoiceField(
        label=_("Chair"),
        help_text=_("A lead inspector"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose the chair")},
    )
    needed_agencies = forms.ModelMultipleChoiceField(
        label=_("Which agencies does the panel need?"),
        help_text=_("Representation is measured against these"),
        queryset=AgencyType.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one agency the panel needs")},
    )
    references = forms.CharField(
        label=_("HMPPS references of the SFO reviews it is about"),
        help_text=_("One a line. Partners never see these"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    case_summary = long_text(
        _("Anonymised case summary"),
        help_text=_(
            "What partners read about the case: no names, no CRN, no dates of "
            "birth, no addresses"
        ),
        rows=8,
    )
    summary_confirmed = forms.BooleanField(
        label=_("I have checked the summary identifies no one"),
        required=False,
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["chair"]
        else:
            self.fields["chair"].queryset = User.objects.filter(
                is_active=True, groups__name=Role.LEAD_INSPECTOR
            ).order_by("full_name")
            self.fields["chair"].label_from_instance = lambda u: u.full_name

    def clean_references(self):
        references = [
            line.strip()
            for line in self.cleaned_data["references"].splitlines()
            if line.strip()
        ]
        reviews = list(Review.objects.filter(hmpps_reference__in=references))
        missing = set(references) - {r.hmpps_reference for r in reviews}
        if missing:
            raise forms.ValidationError(
                _("No review has the reference %(ref)s") % {"ref": sorted(missing)[0]}
            )
        return reviews

    def clean(self):
        data = super().clean()
        found = identifying_shapes(data.get("case_summary", ""))
        if found and not data.get("summary_confirmed"):
            self.add_error("case_summary", summary_warning(found))
        return data


class StatusForm(GovUKFormMixin, forms.Form):
    submit_label = _("Change the status")
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Panel.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a status")},
    )


class InviteForm(GovUKFormMixin, forms.Form):
    submit_label = _("Invite to the panel")
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages={"required": _("Enter their full name")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("Someone who already has a partner account is added straight away"),
        error_messages={
            "required": _("Enter their email address"),
            "invalid": _(
                "Enter an email address in the correct format, like name@example.com"
            ),
        },
    )
    organisation = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.PARTNER)
        .select_related("agency_type")
        .order_by("name"),
        error_messages={"required": _("Choose their agency")},
    )


TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class MeetingForm(GovUKFormMixin, forms.Form):
    submit_label = _("Schedule the meeting and send invitations")
    day = GovUKDateField(label=_("Date"))
    at = forms.CharField(
        label=_("Start time (UK time)"),
        help_text=_("For example, 14:30"),
        max_length=5,
        error_messages={"required": _("Enter the start time")},
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    link = forms.URLField(
        label=_("Online meeting link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a link starting https://")},
    )
    agenda = long_text(_("Agenda"), help_text=_("One item a line"), rows=6)

    def clean_at(self):
        match = TIME.match(self.cleaned_data["at"])
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise forms.ValidationError(_("Enter a time like 14:30"))
        return time(int(match[1]), int(match[2]))

    def clean_link(self):
        link = self.cleaned_data["link"]
        if link and not link.lower().startswith("https://"):
            raise forms.ValidationError(_("Enter a link starting https://"))
        return link

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("at"):
            data["starts_at"] = timezone.make_aware(
                datetime.combine(data["day"], data["at"])
            )
        if not (data.get("place") or data.get("link")) and not self.errors:
            self.add_error("place", _("Enter a place or an online meeting link"))
        return data


class AttendanceForm(GovUKFormMixin, forms.Form):
    submit_label = _("Save attendance")

    def __init__(self, *args, members, recorded: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=f"{member.user.full_name} ({member.agency.name})",
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                initial=recorded.get(member.pk),
                error_messages={
                    "required": _("Say whether %(name)s attended")
                    % {"name": member.user.full_name}
                },
            )
        self.helper.layout = None

    def statuses(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"member_{m.pk}"] for m in self.members}


class MinutesForm(GovUKFormMixin, forms.Form):
    submit_label = _("Save the minutes")
    minutes = long_text(_("Minutes"), rows=14, required=True)


class PaperForm(GovUKFormMixin, forms.Form):
    submit_label = _("Upload the paper")
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for the paper")},
    )
    paper_kind = forms.ChoiceField(
        label=_("Kind of paper"),
        choices=Paper.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of paper")},
    )
    meeting = forms.ModelChoiceField(
        label=_("Meeting (optional)"), queryset=Meeting.objects.none(), required=False
    )
    document = DocumentField(label=_("Document (PDF or Word)"))

    def __init__(self, *args, panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = panel.meetings.all()
        self.fields["meeting"].label_from_instance = lambda m: format_date_time(
            m.starts_at
        )


class ChronologyForm(GovUKFormMixin, forms.Form):
    submit_label = _("Add to the chronology")
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Organisation.objects.none(),
        error_messages={"required": _("Choose the agency")},
    )
    happened_on = GovUKDateField(label=_("Date"), past=True)
    what = long_text(_("What happened"), rows=4, required=True)

    def __init__(self, *args, panel, seat=None, **kwargs):
        super().__init__(*args, **kwargs)
        if seat is not None:
            # A member writes for their own agency only.
            del self.fields["agency"]
            self.agency = seat.agency
        else:
            self.fields["agency"].queryset = Organisation.objects.filter(
                pk__in=panel.members.values("agency_id")
            ).order_by("name")
            self.agency = None
        self.fields["what"].error_messages["required"] = _("Say what happened")

    def clean(self):
        data = super().clean()
        if self.agency is not None:
            data["agency"] = self.agency
        return data


class AgencyFilterForm(GovUKFilterMixin, forms.Form):
    submit_label = _("Show entries")
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All agencies"),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class LearningForm(GovUKFormMixin, forms.Form):
    submit_label = _("Save the draft")
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title")},
    )
    what_happened = long_text(_("What happened"), rows=5, required=True)
    why = long_text(_("Why it happened (contributing factors)"), rows=5)
    learning = long_text(_("The learning"), rows=5, required=True)
    recommendation = long_text(_("Recommendation"), rows=4)
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the level")},
    )
    agencies = agency_types_field(_("Agencies it concerns"))
    source_meeting = forms.ModelChoiceField(
        label=_("Meeting it came from (optional)"),
        queryset=Meeting.objects.none(),
        required=False,
    )
    all_partners = forms.BooleanField(
        label=_("Share with all partners once disseminated, not only this panel"),
        required=False,
    )

    def __init__(self, *args, panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_meeting"].queryset = panel.meetings.all()
        self.fields["source_meeting"].label_from_instance = lambda m: format_date(
            m.starts_at
        )
        self.fields["what_happened"].error_messages["required"] = _("Say what happened")
        self.fields["learning"].error_messages["required"] = _("Enter the learning")

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in (
                "title",
                "what_happened",
                "why",
                "learning",
                "recommendation",
                "level",
                "all_partners",
                "source_meeting",
            )
        }


class ActionForm(GovUKFormMixin, forms.Form):
    submit_label = _("Agree the action")
    what = long_text(_("What is to be done"), rows=4, required=True)
    owner_agency = forms.ModelChoiceField(
        label=_("Owner agency"),
        queryset=Organisation.objects.none(),
        error_messages={"required": _("Choose the agency that owns it")},
    )
    owner = forms.ModelChoiceField(
        label=_("Named owner (optional)"),
        help_text=_("A member of the panel from the owner agency"),
        queryset=User.objects.none(),
        required=False,
    )
    due_on = GovUKDateField(label=_("Due date"))
    learning_item = forms.ModelChoiceField(
        label=_("Learning it follows from (optional)"),
        queryset=LearningItem.objects.none(),
        required=False,
    )

    def __init__(self, *args, panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = Organisation.objects.filter(
            pk__in=panel.members.values("agency_id")
        ).order_by("name")
        self.fields["owner"].queryset = User.objects.filter(
            panel_seats__panel=panel, panel_seats__removed_at__isnull=True
        ).order_by("full_name")
        self.fields["owner"].label_from_instance = lambda u: u.full_name
        self.fields["learning_item"].queryset = panel.learning.all()
        self.fields["what"].error_messages["required"] = _("Say what is to be done")


class ProgressForm(GovUKFormMixin, forms.Form):
    submit_label = _("Save progress")
    progress = forms.IntegerField(
        label=_("How far through is it? (per cent)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": _("Enter how far through it is, from 0 to 100"),
            "invalid": _("Enter a whole number from 0 to 100"),
            "min_value": _("Enter a whole number from 0 to 100"),
            "max_value": _("Enter a whole number from 0 to 100"),
        },
    )
    text = long_text(_("What has been done"), rows=4)


class EvidenceForm(GovUKFormMixin, forms.Form):
    submit_label = _("Submit the evidence")
    text = long_text(
        _("Evidence of completion"),
        help_text=_("What was done and what shows it"),
        rows=6,
        required=True,
    )
    document_1 = DocumentField(
        label=_("Supporting document (optional)"), required=False
    )
    document_2 = DocumentField(
        label=_("Another supporting document (optional)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = _("Describe the evidence")

    def uploads(self):
        return [
            self.cleaned_data[name]
            for name in ("document_1", "document_2")
            if self.cleaned_data.get(name)
        ]


class DecisionForm(GovUKFormMixin, forms.Form):
    submit_label = _("Save the decision")
    decision = forms.ChoiceField(
        label=_("Is the action complete?"),
        choices=[
            Choice("accept", _("Yes, accept the evidence")),
            Choice("return", _("No, return it with a reason")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to accept the evidence")},
    )
    reason = long_text(_("Reason for returning it"), rows=4)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the evidence is returned"))
        return data


class ImpactCheckForm(GovUKFormMixin, forms.Form):
    submit_label = _("Send the answer")
    practice_changed = forms.ChoiceField(
        label=_("Has practice changed?"),
        choices=ImpactCheck.Changed.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether practice has changed")},
    )
    answer = long_text(_("What shows it?"), rows=6, required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].error_messages["required"] = _(
            "Say what shows whether practice changed"
        )


class LibraryForm(GovUKFilterMixin, forms.Form):
    """The library's search and filters. The theme and agency lists are given
    (read once, see selectors.library_choices), so neither showing the form
    nor checking it reads the database; cleaned, a theme or agency is its id."""

    submit_label = _("Search")
    q = forms.CharField(
        label=_("Search the learning"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("Search must be 200 characters or fewer")},
    )
    theme = forms.MultipleChoiceField(
        label=_("Themes"),
        help_text=_("Items on any of the themes you choose"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        error_messages={"invalid_choice": _("Choose themes from the list")},
    )
    agency = forms.ChoiceField(
        label=_("Agency"),
        choices=[],
        required=False,
        error_messages={"invalid_choice": _("Choose an agency from the list")},
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("All levels")), *Level.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose a level from the list")},
    )
    year = forms.TypedChoiceField(
        label=_("Year disseminated"),
        choices=[],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choose a year from the list")},
    )

    def __init__(self, *args, years, themes, agencies, **kwargs):
        """`themes` and `agencies`: (id, slug, name) in the order shown."""
        super().__init__(*args, **kwargs)
        self._ids = {
            "theme": {slug: pk for pk, slug, _name in themes},
            "agency": {slug: pk for pk, slug, _name in agencies},
        }
        self.fields["theme"].choices = [(slug, name) for _pk, slug, name in themes]
        self.fields["agency"].choices = [("", _("All agencies"))] + [
            (slug, name) for _pk, slug, name in agencies
        ]
        self.fields["year"].choices = [("", _("All years"))] + [
            (year, str(year)) for year in years
        ]

    def clean_theme(self) -> list[int]:
        return [self._ids["theme"][slug] for slug in self.cleaned_data["theme"]]

    def clean_agency(self) -> int | None:
        slug = self.cleaned_data["agency"]
        return self._ids["agency"][slug] if slug else None


class SubscriptionForm(GovUKFormMixin, forms.Form):
    submit_label = _("Save the themes you follow")
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes you follow"),
        help_text=_("Each week you get one email listing new learning on them"),
        queryset=Theme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class BringFindingForm(GovUKFormMixin, forms.Form):
    submit_label = _("Bring it into the panel as draft learning")
    panel = forms.ModelChoiceField(
        label=_("Panel"),
        queryset=Panel.objects.none(),
        error_messages={"required": _("Choose a panel")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = Panel.objects.exclude(
            status=Panel.Status.CLOSED
        ).filter(chair=user)


__all__ = ["TEXT_LIMIT"]
