"""The rating radios, rendered by one small template (ratings.forms.HintedRadios),
give the markup crispy-forms-gds gives the same field: unchosen, chosen, with
a hint above them and with errors."""

import pytest
from crispy_forms.utils import render_crispy_form
from crispy_forms_gds.layout import Layout, Size
from django.test.html import parse_html

from ratings.forms import HintedRadios, StandardForm

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
