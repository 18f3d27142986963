from crispy_forms.layout import LayoutObject
from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    ConditionalQuestion,
    ConditionalRadios,
    Layout,
    Size,
    Submit,
)
from django import forms
from django.utils.translation import gettext_lazy as _

from ratings.models import Answer, Finding, Rating, Theme
from sfoqa import fields
from sfoqa.forms import GovUKFormMixin, too_long_message, with_character_counts

TEXT_LIMIT = 20_000


def long_text(label, *, help_text="", rows=5, required=False, name=None):
    """A textarea of up to TEXT_LIMIT characters; `name` says what it holds in
    the error for longer text, when the label does not read well there."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": too_long_message(name or label, TEXT_LIMIT)},
    )


def rating_field(label, *, descriptors=None, help_text=""):
    """A radio per rating, its descriptor as the hint. Nothing is pre-selected."""
    descriptors = descriptors or {}
    choices = [
        Choice(value, name, hint=descriptors.get(value, ""))
        for value, name in Rating.choices
    ]
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class PromptFields(LayoutObject):
    """
    A layout object for a standard's prompts under one legend: each an answer
    (radios) and an optional note (a text input), in crispy-forms-gds's
    markup for those fields, written in one pass (sfoqa.fields).
    """

    def __init__(self, prompt_ids, *, legend, legend_size, label_size):
        self.prompt_ids = prompt_ids
        self.fields = [
            f"{kind}_{pid}" for pid in prompt_ids for kind in ("answer", "note")
        ]
        self.legend = legend
        self.legend_size = Size.for_legend(legend_size)
        self.label_size = label_size

    def render(self, form, context, template_pack=None, **kwargs):
        form.rendered_fields.update(self.fields)
        answer_size = Size.for_legend(self.label_size)
        note_size = Size.for_label(self.label_size)
        prompts = []
        for pid in self.prompt_ids:
            prompts.append(fields.radios(form[f"answer_{pid}"], answer_size))
            prompts.append(fields.text_input(form[f"note_{pid}"], note_size))
        return fields.fieldset(self.legend, self.legend_size, prompts)


class HintedRadios(LayoutObject):
    """
    A radio field whose choices carry hints (a rating, each with its
    standard's descriptor), in crispy-forms-gds's markup for it, rendered in
    one pass (sfoqa.fields), not an include per radio.
    """

    def __init__(self, name, *, legend_size):
        self.fields = [name]
        self.legend_size = Size.for_legend(legend_size)

    def render(self, form, context, template_pack=None, **kwargs):
        form.rendered_fields.update(self.fields)
        return fields.radios(form[self.fields[0]], self.legend_size)


class LockedForm(forms.Form):
    """A form over an assessment that carries the version it was loaded at."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    def add_buttons(self, helper):
        helper.add_input(Submit("continue", _("Save and continue")))
        helper.add_input(
            Submit("save", _("Save as draft"), css_class="govuk-button--secondary")
        )


class StandardForm(LockedForm):
    def __init__(self, *args, standard_assessment, **kwargs):
        super().__init__(*args, **kwargs)
        standard = standard_assessment.standard
        descriptors = {d.rating: d.text for d in standard.descriptors.all()}
        self.prompt_ids = []
        for answer in standard_assessment.answers.all():
            pid = answer.prompt_id
            self.prompt_ids.append(pid)
            self.fields[f"answer_{pid}"] = forms.ChoiceField(
                label=answer.prompt.text,
                choices=Answer.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{pid}"] = forms.CharField(
                label=_("Note (optional)"), required=False, max_length=2000
            )
        self.fields["rating"] = rating_field(
            _("Rating for this standard"), descriptors=descriptors
        )
        self.fields["evidence"] = long_text(
            _("Evidence for the rating"),
            help_text=_(
                "Give page or paragraph references to the review, "
                "for example p.12 para 4."
            ),
            rows=8,
        )
        self.fields["strengths"] = long_text(_("Strengths"))
        self.fields["improvements"] = long_text(_("Areas for improvement"))
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.legend_size = Size.SMALL
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            "lock_version",
            PromptFields(
                self.prompt_ids,
                legend=_("Prompts"),
                legend_size=Size.MEDIUM,
                label_size=Size.SMALL,
            ),
            HintedRadios("rating", legend_size=Size.SMALL),
            "evidence",
            "strengths",
            "improvements",
        )
        with_character_counts(self)
        self.add_buttons(self.helper)

    def answers(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            pid: (data[f"answer_{pid}"], data[f"note_{pid}"]) for pid in self.prompt_ids
        }

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("rating", "evidence", "strengths", "improvements")
        }


class FindingForm(GovUKFormMixin, forms.ModelForm):
    submit_label = _("Save finding")
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    text = long_text(_("Finding"), rows=4, required=True, name=_("The finding"))
    action_plan_comment = long_text(_("Comment on the action plan"), rows=3)

    class Meta:
        model = Finding
        fields = [
            "kind",
            "text",
            "level",
            "themes",
            "action_plan_addresses",
            "action_plan_comment",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "level": forms.RadioSelect,
            "themes": forms.CheckboxSelectMultiple,
            "action_plan_addresses": forms.RadioSelect,
        }
        error_messages = {
            "kind": {"required": _("Choose what kind of finding this is")},
            "level": {"required": _("Choose who the finding applies to")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(is_active=True)
        self.fields["themes"].required = False
        self.fields["action_plan_addresses"].choices = Finding.Addressed.choices
        self.fields["text"].error_messages["required"] = _("Describe the finding")
        # Radios need no empty "---------" choice: nothing is chosen at first.
        self.fields["kind"].choices = Finding.Kind.choices
        self.fields["level"].choices = Finding.Level.choices
        # The action-plan question is for failings only: shown when chosen.
        self.helper.layout = Layout(
            ConditionalRadios(
                "kind",
                *[
                    ConditionalQuestion(
                        str(label), "action_plan_addresses", "action_plan_comment"
                    )
                    if value == Finding.Kind.POOR_PRACTICE
                    else str(label)
                    for value, label in Finding.Kind.choices
                ],
            ),
            "text",
            "level",
            "themes",
            "lock_version",
        )
        with_character_counts(self)

    def clean(self):
        data = super().clean()
        if data.get("kind") != Finding.Kind.POOR_PRACTICE:
            data["action_plan_addresses"] = ""
            data["action_plan_comment"] = ""
        elif not data.get("action_plan_addresses"):
            self.add_error(
                "action_plan_addresses",
                _("Say whether the review's action plan addresses this failing"),
            )
        return data


class OverallForm(LockedForm):
    def __init__(self, *args, suggestion=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestion = suggestion
        self.fields["overall_rating"] = rating_field(_("Overall rating"))
        self.fields["overall_reason"] = long_text(
            _("Reasons for the overall rating"), rows=6
        )
        self.fields["departure_reason"] = long_text(
            _("If your rating differs from the suggestion, explain why"),
            rows=4,
            name=_("The explanation of the difference"),
        )
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.legend_size = Size.MEDIUM
        self.helper.label_size = Size.SMALL
        with_character_counts(self)
        self.add_buttons(self.helper)

    def clean(self):
        data = super().clean()
        rating = data.get("overall_rating")
        departs = None not in (rating, self.suggestion) and rating != self.suggestion
        if departs and not (data.get("departure_reason") or "").strip():
            self.add_error(
                "departure_reason",
                _("Explain why the overall rating differs from the suggestion"),
            )
        return data


class SubmitForm(LockedForm):
    confirm = forms.BooleanField(
        label=_(
            "I have checked these points and want to submit the assessment as it is"
        ),
        required=False,
    )


class ModerationForm(forms.Form):
    """A comment box for each section; returning needs at least one."""

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in sections:
            self.fields[key] = long_text(label, rows=3)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.label_size = Size.SMALL
        with_character_counts(self)
        self.helper.add_input(Submit("sign_off", _("Sign off")))
        self.helper.add_input(
            Submit(
                "return",
                _("Return to the inspector"),
                css_class="govuk-button--secondary",
            )
        )

    def comments(self) -> dict[str, str]:
        return {key: value for key, value in self.cleaned_data.items() if value}


class ReasonForm(GovUKFormMixin, forms.Form):
    reason = long_text(_("Reason"), rows=4)

    def __init__(
        self, *args, required=True, ask=True, label=None, submit_label=None, **kwargs
    ):
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        if not ask:  # nothing to explain: the form is just the button
            del self.fields["reason"]
            self.helper.layout = Layout()
            return
        self.fields["reason"].required = required
        if label:
            self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = _("Give a reason")
        with_character_counts(self)
