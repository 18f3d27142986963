"""The rating form's radios and text inputs, rendered in one pass by one small
template (ratings.forms.HintedRadios and PromptFields), give the markup
crispy-forms-gds gives the same fields: unchosen, chosen, with a hint and
with errors."""

from html import escape

import pytest
from crispy_forms.utils import render_crispy_form
from crispy_forms_gds.layout import Fieldset, Layout, Size
from django.test.html import parse_html

from ratings.forms import HintedRadios, PromptFields, StandardForm

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("descriptor")</script>'


def rendered(form, layout_object) -> str:
    """The form with only `layout_object` in its layout, its buttons dropped."""
    form.helper.layout = Layout(layout_object)
    form.helper.inputs = []
    return render_crispy_form(form)


@pytest.mark.parametrize(
    ("data", "help_text"),
    [
        (None, ""),  # nothing chosen
        ({"rating": "2", "lock_version": "1"}, ""),  # chosen
        ({"rating": "7", "lock_version": "1"}, ""),  # not a rating: an error
        ({"rating": "7", "lock_version": "1"}, "Choose one"),  # a hint above
    ],
)
def test_the_rating_radios_are_crispy_forms_gds_markup(assessment, data, help_text):
    row = assessment.standards.select_related("standard").first()
    descriptor = row.standard.descriptors.order_by("rating").first()
    descriptor.text = HOSTILE  # escaped in both
    descriptor.save()

    def form():
        made = StandardForm(data, initial={"rating": 1}, standard_assessment=row)
        made.fields["rating"].help_text = help_text
        made.is_valid()
        return made

    ours = rendered(form(), HintedRadios("rating", legend_size=Size.SMALL))
    # crispy-forms-gds leaves a space before the first error's id where
    # there is no hint; ours does not.
    theirs = rendered(form(), "rating").replace('describedby=" ', 'describedby="')
    assert parse_html(ours) == parse_html(theirs)
    assert HOSTILE not in ours and 'name="rating"' in ours
    if data and data["rating"] == "7":
        assert "govuk-error-message" in ours


def prompt_data(row, answer: str, note: str) -> dict:
    """The same answer and note for each of the standard's prompts."""
    data = {"lock_version": "1"}
    for line in row.answers.all():
        data[f"answer_{line.prompt_id}"] = answer
        data[f"note_{line.prompt_id}"] = note
    return data


def prompts(form) -> str:
    """The form's prompts as the rating form lays them out."""
    layout = PromptFields(
        form.prompt_ids,
        legend="Prompts",
        legend_size=Size.MEDIUM,
        label_size=Size.SMALL,
    )
    return rendered(form, layout)


@pytest.mark.parametrize(
    ("answer", "note", "help_text"),
    [
        (None, None, ""),  # nothing answered
        ("partly", 'See "p.4" & <para 2>', ""),  # answered, a note to escape
        ("maybe", "x" * 2001, ""),  # not an answer, a note too long: errors
        ("maybe", "x" * 2001, "Optional"),  # the same, each with a hint
    ],
)
def test_the_prompts_are_crispy_forms_gds_markup(assessment, answer, note, help_text):
    row = assessment.standards.first()

    def form():
        data = None if answer is None else prompt_data(row, answer, note)
        made = StandardForm(data, standard_assessment=row)
        for name in made.fields:
            if name.startswith(("answer_", "note_")):
                made.fields[name].help_text = help_text
        made.is_valid()
        return made

    made = form()
    ours = prompts(made)
    made = form()
    fields = [f"{kind}_{pid}" for pid in made.prompt_ids for kind in ("answer", "note")]
    theirs = rendered(
        made, Fieldset(*fields, legend="Prompts", legend_size=Size.MEDIUM)
    ).replace('describedby=" ', 'describedby="')  # as above
    assert parse_html(ours) == parse_html(theirs)
    assert len(made.prompt_ids) > 1 and ours.count('type="radio"') == 4 * len(
        made.prompt_ids
    )
    if answer == "maybe":
        assert ours.count("govuk-error-message") == 2 * len(made.prompt_ids)


def test_a_prompt_is_written_as_text(assessment):
    """A prompt's words are the framework's, edited by administrators: they
    are escaped, where crispy-forms-gds would write them as markup."""
    row = assessment.standards.first()
    prompt = row.answers.first().prompt
    prompt.text = HOSTILE
    prompt.save()
    made = StandardForm(None, standard_assessment=row)
    ours = prompts(made)
    assert HOSTILE not in ours
    assert escape(HOSTILE) in ours
