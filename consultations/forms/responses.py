"""Forms for recording, tagging and filtering responses."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from consultations.models import Response
from consultations.taxonomy import taxonomy_choices
from sfoqa.dates import format_date, uk_date_of
from sfoqa.forms import GovUKDateField, GovUKFilterMixin, GovUKFormMixin

LONDON = ZoneInfo("Europe/London")


def open_days(consultation) -> tuple:
    """The first and last UK dates a response could arrive in time: a
    consultation closing at midnight (00:00) ends the day before."""
    return (
        uk_date_of(consultation.opens_at),
        uk_date_of(consultation.closes_at - timedelta(microseconds=1)),
    )


class RecordResponseForm(GovUKFormMixin, forms.Form):
    submit_label = _("Record response")

    channel = forms.ChoiceField(
        label=_("How did the response arrive?"),
        choices=[
            (Response.Channel.EMAIL, _("By email")),
            (Response.Channel.POST, _("By post")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose email or post")},
    )
    received_on = GovUKDateField(label=_("Date received"), past=True)
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    organisation = forms.CharField(
        label=_("Organisation (optional)"), max_length=200, required=False
    )
    email = forms.EmailField(label=_("Email address (optional)"), required=False)
    text = forms.CharField(
        label=_("The response, or a summary of it (optional)"),
        max_length=50_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    late_reason = forms.CharField(
        label=_("If it arrived outside the open period, why it should count"),
        help_text=_("For example, the letter is postmarked before the closing date"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, audiences, themes, consultation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.audience_objects = {str(a.pk): a for a in audiences}
        self.theme_objects = {str(t.pk): t for t in themes}
        if audiences:
            self.fields["audience"] = forms.ChoiceField(
                label=_("Which part of the consultation does it respond to?"),
                choices=[(str(a.pk), a.name.capitalize()) for a in audiences],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose which part it responds to")},
            )
            self.order_fields(["channel", "received_on", "audience"])
        if themes:
            self.fields["themes"] = forms.MultipleChoiceField(
                label=_("Themes (optional)"),
                choices=[(str(t.pk), t.name) for t in themes],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        self.helper.layout = self.helper.build_default_layout(self)

    def clean_received_on(self):
        from django.utils import timezone

        day = self.cleaned_data["received_on"]
        if day and day > timezone.localdate():
            raise ValidationError(_("The date received must be today or in the past"))
        return day

    def clean(self):
        data = super().clean()
        day = data.get("received_on")
        if day and self.consultation and not data.get("late_reason"):
            first, last = open_days(self.consultation)
            if not first <= day <= last:
                self.add_error(
                    "received_on",
                    _(
                        "Date received must be between %(first)s and %(last)s, "
                        "when the consultation was open, or give the reason it "
                        "should count"
                    )
                    % {"first": format_date(first), "last": format_date(last)},
                )
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        # Midday keeps the order of a day's responses; no time is shown.
        received_at = datetime.combine(data["received_on"], time(12), tzinfo=LONDON)
        return {
            "date_only": True,
            "late_reason": data.get("late_reason", ""),
            "channel": data["channel"],
            "received_at": received_at,
            "audience": self.audience_objects.get(data.get("audience", "")),
            "name": data["name"],
            "organisation": data["organisation"],
            "email": data["email"],
            "text": data["text"],
            "themes": [self.theme_objects[pk] for pk in data.get("themes", [])],
        }


class ResponseThemesForm(GovUKFormMixin, forms.Form):
    submit_label = _("Save themes")

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme_objects = {str(t.pk): t for t in themes}
        self.fields["themes"] = forms.MultipleChoiceField(
            label=_("Themes this response raises"),
            choices=[(str(t.pk), t.name) for t in themes],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.helper.layout = self.helper.build_default_layout(self)

    def chosen(self):
        return [self.theme_objects[pk] for pk in self.cleaned_data["themes"]]


class ThemeForm(GovUKFormMixin, forms.Form):
    submit_label = _("Add theme")

    name = forms.CharField(
        label=_("New theme"),
        max_length=100,
        error_messages={"required": _("Enter the theme")},
    )
    taxonomy_slug = forms.ChoiceField(
        label=_("Shared theme"),
        help_text=_(
            "The theme of quality assurance findings and panel learning it "
            "matches, so the annual report counts its responses there"
        ),
        required=False,
        error_messages={"invalid_choice": _("Choose a shared theme from the list")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shared = taxonomy_choices()
        if shared:
            self.fields["taxonomy_slug"].choices = [
                ("", _("None")),
                *shared,
            ]
        else:
            del self.fields["taxonomy_slug"]

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class ThemeChangeForm(ThemeForm):
    submit_label = _("Save theme")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Theme")


class ResponseFilterForm(GovUKFilterMixin, forms.Form):
    channel = forms.ChoiceField(
        label=_("How it arrived"),
        required=False,
        choices=[("", _("Any way")), *Response.Channel.choices],
    )
    held = forms.BooleanField(label=_("Held for review only"), required=False)

    def __init__(self, *args, audiences, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.audience_objects = {str(a.pk): a for a in audiences}
        self.theme_objects = {str(t.pk): t for t in themes}
        if audiences:
            self.fields["audience"] = forms.ChoiceField(
                label=_("Audience"),
                required=False,
                choices=[("", _("Any audience"))]
                + [(str(a.pk), a.name.capitalize()) for a in audiences],
            )
        if themes:
            self.fields["theme"] = forms.ChoiceField(
                label=_("Theme"),
                required=False,
                choices=[("", _("Any theme"))] + [(str(t.pk), t.name) for t in themes],
            )
        self.helper.layout = self.helper.build_default_layout(self)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "channel": data.get("channel", ""),
            "held": data.get("held", False),
            "audience": self.audience_objects.get(data.get("audience", "")),
            "theme": self.theme_objects.get(data.get("theme", "")),
        }
