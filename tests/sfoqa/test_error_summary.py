"""Each link in an error summary lands on the input it is about."""

import re

from django import forms
from django.template import Context, Template

from sfoqa.forms import GovUKDateField, GovUKFormMixin


class AudienceForm(GovUKFormMixin, forms.Form):
    audience = forms.ChoiceField(
        label="Who are you responding for?",
        choices=[("a", "Probation"), ("b", "Youth justice")],
        widget=forms.RadioSelect,
    )
    themes = forms.MultipleChoiceField(
        label="Themes",
        choices=[("x", "Risk"), ("y", "Victims")],
        widget=forms.CheckboxSelectMultiple,
    )
    held_on = GovUKDateField(label="Date held")
    name = forms.CharField(label="Name")

    def clean(self):
        raise forms.ValidationError("Something about the whole form")


def rendered(form) -> str:
    return Template(
        "{% load crispy_forms_tags crispy_forms_gds %}"
        "{% error_summary form %}{% crispy form %}"
    ).render(Context({"form": form}))


def test_every_summary_link_targets_an_input_that_exists():
    form = AudienceForm(data={"held_on_0": "1", "held_on_1": "2"})
    assert not form.is_valid()
    page = rendered(form)
    summary = page.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets == [
        "id_audience_1",  # the whole-form error: the first field
        "id_audience_1",
        "id_themes_1",
        "id_held_on_2",  # the year is what is missing
        "id_name",
    ]
    for target in targets:
        assert re.search(rf'<input[^>]*id="{target}"', page), target


def test_each_error_appears_once_in_the_summary():
    form = AudienceForm(data={"held_on_0": "1", "held_on_1": "2"})
    form.is_valid()
    page = rendered(form)
    assert page.count(">Date held must include a year</a>") == 1


class BlankChoicesForm(GovUKFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("", "---------"), ("a", "A")],
        widget=forms.RadioSelect,
    )
    size = forms.ChoiceField(label="Size", choices=[("", "---------"), ("s", "S")])


def test_no_form_offers_django_s_dashes():
    form = BlankChoicesForm()
    assert list(form.fields["kind"].choices) == [("a", "A")]
    assert list(form.fields["size"].choices) == [("", "Choose one"), ("s", "S")]
    assert "---------" not in rendered(form)
