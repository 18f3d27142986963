"""Forms staff use to set up a consultation."""

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from consultations.models import Document, Question
from sfoqa.forms import GovUKDateField, GovUKFormMixin
from sfoqa.uploads import DocumentField

LONDON = ZoneInfo("Europe/London")
TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
ANSWER_MAX = 10_000
OPTION_MAX = 200


def _lines(text: str) -> list[str]:
    seen = []
    for line in (text or "").splitlines():
        line = " ".join(line.split())
        if line and line not in seen:
            seen.append(line)
    return seen


def _time_field(label, required_message):
    return forms.CharField(
        label=label,
        help_text=_("Use the 24-hour clock, UK time, for example 09:00 or 23:59"),
        max_length=5,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": required_message},
    )


def _parse_time(value: str) -> time:
    match = TIME.match(value or "")
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValidationError(_("Enter a time like 09:00 or 23:59"))
    return time(int(match[1]), int(match[2]))


class ConsultationForm(GovUKFormMixin, forms.Form):
    submit_label = _("Save consultation")

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        help_text=_("One or two sentences, shown in the list of consultations"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter a summary")},
    )
    body = forms.CharField(
        label=_("What the consultation is about"),
        help_text=_(
            "Markdown: a blank line between paragraphs, ## for a heading, "
            "* for a bullet point, [text](https://...) for a link"
        ),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": _("Enter what the consultation is about")},
    )
    audiences = forms.CharField(
        label=_("Audiences (optional)"),
        help_text=_(
            "One per line, for example probation and youth, when the "
            "consultation asks each separately. Response counts are given for each."
        ),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    opens_on = GovUKDateField(label=_("Opening date"))
    opens_time = _time_field(_("Opening time"), _("Enter the opening time"))
    closes_on = GovUKDateField(label=_("Closing date"))
    closes_time = _time_field(_("Closing time"), _("Enter the closing time"))
    accepts_online = forms.BooleanField(
        label=_("Let people respond online, answering the questions you add"),
        required=False,
    )
    responses_email = forms.EmailField(
        label=_("Email address for responses (optional)"), required=False
    )
    postal_address = forms.CharField(
        label=_("Postal address for responses (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact_email = forms.EmailField(
        label=_("Email address for questions about the consultation (optional)"),
        required=False,
    )
    how_to_respond = forms.CharField(
        label=_("Anything else about how to respond (optional)"),
        help_text=_("Markdown, as above"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_audiences(self):
        names = _lines(self.cleaned_data["audiences"])
        if any(len(name) > 100 for name in names):
            raise ValidationError(_("Each audience must be 100 characters or fewer"))
        return names

    def clean_opens_time(self):
        return _parse_time(self.cleaned_data["opens_time"])

    def clean_closes_time(self):
        return _parse_time(self.cleaned_data["closes_time"])

    def clean(self):
        data = super().clean()
        for prefix in ("opens", "closes"):
            day, at = data.get(f"{prefix}_on"), data.get(f"{prefix}_time")
            if day and at:
                data[f"{prefix}_at"] = datetime.combine(day, at, tzinfo=LONDON)
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "closes_on", _("The closing date must be after the opening date")
            )
        if data.get("accepts_online") is False and not (
            data.get("responses_email") or data.get("postal_address")
        ):
            self.add_error(
                "responses_email",
                _(
                    "Give an email or postal address for responses, or let people "
                    "respond online"
                ),
            )
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        names = [
            "title", "summary", "body", "how_to_respond", "responses_email",
            "contact_email", "postal_address", "accepts_online", "opens_at",
            "closes_at", "audiences",
        ]  # fmt: skip
        return {name: data[name] for name in names}

    @staticmethod
    def initial_for(consultation) -> dict:
        opens = consultation.opens_at.astimezone(LONDON)
        closes = consultation.closes_at.astimezone(LONDON)
        return {
            "title": consultation.title,
            "summary": consultation.summary,
            "body": consultation.body,
            "audiences": "\n".join(a.name for a in consultation.audiences.all()),
            "opens_on": opens.date(),
            "opens_time": opens.strftime("%H:%M"),
            "closes_on": closes.date(),
            "closes_time": closes.strftime("%H:%M"),
            "accepts_online": consultation.accepts_online,
            "responses_email": consultation.responses_email,
            "postal_address": consultation.postal_address,
            "contact_email": consultation.contact_email,
            "how_to_respond": consultation.how_to_respond,
            "version": consultation.version,
        }


class QuestionForm(GovUKFormMixin, forms.Form):
    submit_label = _("Save question")

    text = forms.CharField(
        label=_("Question"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Enter the question")},
    )
    hint = forms.CharField(
        label=_("Hint (optional)"),
        help_text=_("Shown under the question, to help people answer it"),
        max_length=500,
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("How people answer"),
        choices=Question.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how people answer")},
    )
    required = forms.TypedChoiceField(
        label=_("Must people answer it?"),
        choices=[("yes", _("Yes")), ("no", _("No, it is optional"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether people must answer it")},
    )
    options = forms.CharField(
        label=_("Options to choose from"),
        help_text=_("One per line. Needed only when people choose from a list."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean(self):
        data = super().clean()
        options = _lines(data.get("options", ""))
        if data.get("kind") in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            if len(options) < 2:
                self.add_error("options", _("Give at least 2 options, one per line"))
            elif any(len(option) > OPTION_MAX for option in options):
                self.add_error(
                    "options", _("Each option must be 200 characters or fewer")
                )
        data["options"] = options
        return data

    @staticmethod
    def initial_for(question) -> dict:
        return {
            "text": question.text,
            "hint": question.hint,
            "kind": question.kind,
            "required": "yes" if question.required else "no",
            "options": "\n".join(question.options),
        }


class DocumentForm(GovUKFormMixin, forms.Form):
    submit_label = _("Upload document")

    title = forms.CharField(
        label=_("Title"),
        help_text=_("As it should appear on the consultation page"),
        max_length=300,
        error_messages={"required": _("Enter the document's title")},
    )
    kind = forms.ChoiceField(
        label=_("What the document is"),
        choices=Document.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the document is")},
    )
    upload = DocumentField(
        label=_("Upload a file"), help_text=_("PDF or Word (DOCX) only")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_enctype = "multipart/form-data"
        self.helper.attrs = {"enctype": "multipart/form-data"}


class PublishResponseForm(GovUKFormMixin, forms.Form):
    submit_label = _("Publish response")

    summary = forms.CharField(
        label=_("Summary of our response"),
        help_text=_(
            "Markdown. Shown on the consultation page with the response documents "
            "and how many responses we received."
        ),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
