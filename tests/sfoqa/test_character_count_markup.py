"""A long text's character count, written in one pass (sfoqa.forms.CharacterCount),
gives the markup crispy-forms-gds's field tag gives it through the service's
first template for it: empty, filled, with a hint, with errors, required,
with the label sized by the form's helper."""

import copy
from pathlib import Path

import pytest
from crispy_forms.utils import render_crispy_form
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.test.html import parse_html

from sfoqa.forms import CharacterCount, GovUKFormMixin, with_character_counts

TEMPLATES = Path(__file__).parent / "templates"
HOSTILE = '</textarea><script>alert("note")</script> & more'


@pytest.fixture
def reference_template(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES]
    settings.TEMPLATES = templates


class NoteForm(GovUKFormMixin, forms.Form):
    note = forms.CharField(
        label="Note",
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, help_text="", required=False, size=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = help_text
        self.fields["note"].required = required
        if size:
            self.helper.label_size = size
        self.helper.inputs = []


def ours(data, **options) -> str:
    form = NoteForm(data, **options)
    with_character_counts(form)
    assert isinstance(form.helper.layout.fields[0], CharacterCount)
    form.is_valid()
    return render_crispy_form(form)


def theirs(data, **options) -> str:
    """The same form the way the service first laid it out: crispy-forms-gds's
    Field with the widget's attributes changed as it needed them."""
    form = NoteForm(data, **options)
    widget = form.fields["note"].widget
    widget.attrs.pop("maxlength", None)
    widget.attrs.setdefault("aria-describedby", "")
    form.helper.layout = Layout(
        Field(
            "note",
            template="crispy_reference/character_count.html",
            css_class="govuk-js-character-count",
            rows=3,
        )
    )
    form.is_valid()
    return render_crispy_form(form)


@pytest.mark.parametrize(
    ("data", "options"),
    [
        (None, {}),  # empty
        ({"note": HOSTILE}, {}),  # filled, with text to escape
        ({"note": "Seen"}, {"help_text": "Say where"}),  # a hint
        ({"note": "x" * 1501}, {}),  # too long: an error, no hint
        ({"note": "x" * 1501}, {"help_text": "Say where"}),  # an error and a hint
        ({"note": ""}, {"required": True}),  # required and missing
        (None, {"required": True, "size": Size.SMALL}),  # a sized label
    ],
)
def test_the_character_count_is_the_markup_crispy_forms_gds_gave(
    reference_template, data, options
):
    one_pass = ours(data, **options)
    assert parse_html(one_pass) == parse_html(theirs(data, **options))
    assert "<script>" not in one_pass
    assert " maxlength=" not in one_pass
    assert 'data-maxlength="1500"' in one_pass


def test_a_form_of_long_texts_lays_each_out_with_its_count():
    """Every textarea with a limit, wherever the layout puts it, and nothing
    else."""

    class Review(GovUKFormMixin, forms.Form):
        title = forms.CharField(label="Title", max_length=100)
        summary = forms.CharField(
            label="Summary", max_length=500, widget=forms.Textarea
        )
        notes = forms.CharField(label="Notes", widget=forms.Textarea)  # no limit

    form = Review()
    with_character_counts(form)
    fields = form.helper.layout.fields
    assert fields[0] == "title" and fields[2] == "notes"
    assert isinstance(fields[1], CharacterCount) and fields[1].fields == ["summary"]
    with_character_counts(form)  # again: the count is not wrapped twice
    assert form.helper.layout.fields[1].fields == ["summary"]
