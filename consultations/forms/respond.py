"""The online response form, built from a consultation's questions."""

from crispy_forms_gds.layout import Div, Field, Layout
from django import forms
from django.utils.html import conditional_escape
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from consultations.models import Question
from sfoqa.forms import GovUKFormMixin
from sfoqa.wording import number_text

ANSWER_MAX = 10_000


class ResponseForm(GovUKFormMixin, forms.Form):
    """A consultation's online form: audience, its questions, then who you are."""

    submit_label = _("Continue")

    def __init__(self, *args, questions, audiences, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.audiences = {str(a.pk): a for a in audiences}
        if len(audiences) > 1:
            self.fields["audience"] = forms.ChoiceField(
                label=_("Which part of the consultation are you responding to?"),
                choices=[(str(a.pk), a.name.capitalize()) for a in audiences],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose which part you are responding to")
                },
            )
        for question in questions:
            self.fields[question.field_name] = self._field_for(question)
        self.fields["name"] = forms.CharField(
            label=_("Your name (optional)"), max_length=200, required=False
        )
        self.fields["organisation"] = forms.CharField(
            label=_("Organisation (optional)"),
            help_text=_("If you are responding on behalf of an organisation"),
            max_length=200,
            required=False,
        )
        self.fields["email"] = forms.EmailField(
            label=_("Email address (optional)"),
            help_text=_("We will email you a receipt with your reference number"),
            max_length=254,
            required=False,
            error_messages={
                "invalid": _(
                    "Enter an email address in the correct format, "
                    "like name@example.org"
                )
            },
        )
        # A field people never see: software that fills in every field does.
        self.fields["website"] = forms.CharField(
            label=_("Leave this empty"),
            required=False,
            max_length=200,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        # The wrapper, label included, is hidden and out of the accessibility
        # tree; the input is out of the tab order and never autofilled.
        self.helper.layout = Layout(
            *[name for name in self.fields if name != "website"],
            Div(
                Field("website"),
                css_class="govuk-visually-hidden",
                aria_hidden="true",
            ),
        )

    @staticmethod
    def _field_for(question):
        # crispy-forms-gds marks labels and hints safe: escape staff text here.
        # As on the rest of the form, a question people may skip says so.
        label = (
            question.text
            if question.required
            else _("%(text)s (optional)") % {"text": question.text}
        )
        common = {
            "label": conditional_escape(label),
            "help_text": conditional_escape(question.hint),
            "required": question.required,
        }
        # Each message names its question, so the error summary makes sense.
        named = {"question": Truncator(question.text).chars(80)}
        if question.kind == Question.Kind.TEXT:
            return forms.CharField(
                max_length=ANSWER_MAX,
                widget=forms.Textarea(attrs={"rows": 6}),
                error_messages={
                    "required": _('Answer the question "%(question)s"') % named,
                    "max_length": _(
                        'Your answer to "%(question)s" must be %(limit)s characters'
                        " or fewer"
                    )
                    # Django fills in this message's own %-parameters later.
                    % {
                        "question": named["question"].replace("%", "%%"),
                        "limit": number_text(ANSWER_MAX),
                    },
                },
                **common,
            )
        choices = [(option, option) for option in question.options]
        if question.kind == Question.Kind.SINGLE:
            return forms.ChoiceField(
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _('Choose an answer to "%(question)s"') % named
                },
                **common,
            )
        return forms.MultipleChoiceField(
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _('Choose at least one answer to "%(question)s"') % named
            },
            **common,
        )

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            str(q.pk): data.get(q.field_name)
            for q in self.questions
            if data.get(q.field_name)
        }

    def to_session(self) -> dict:
        data = self.cleaned_data
        return {
            "audience": data.get("audience") or "",
            "answers": self.answers(),
            "name": data.get("name", ""),
            "organisation": data.get("organisation", ""),
            "email": data.get("email", ""),
            "held_for_review": self.is_spam,
        }

    @staticmethod
    def initial_from_session(saved: dict) -> dict:
        initial = {f"q{pk}": value for pk, value in saved.get("answers", {}).items()}
        for name in ("audience", "name", "organisation", "email"):
            initial[name] = saved.get(name, "")
        return initial
