"""The one date input: GOV.UK's messages, naming the date, on the right part."""

from datetime import UTC, date, datetime

import pytest
from django import forms
from django.template import Context, Template

from sfoqa.forms import GovUKDateField, GovUKFormMixin


class ChargeForm(GovUKFormMixin, forms.Form):
    charge_date = GovUKDateField(label="Date charged", past=True)
    due_date = GovUKDateField(label="Due date", required=False, future=True)


@pytest.fixture(autouse=True)
def today_is_5_march_2021(monkeypatch):
    monkeypatch.setattr(
        "sfoqa.dates.timezone.now", lambda: datetime(2021, 3, 5, 12, tzinfo=UTC)
    )


def errors_for(day="", month="", year="", **extra):
    form = ChargeForm(
        data={"charge_date_0": day, "charge_date_1": month, "charge_date_2": year}
        | extra
    )
    form.is_valid()
    return form


def marked_parts(form) -> list[int]:
    field = form.fields["charge_date"]
    return [i for i, part in enumerate(field.fields) if part.widget.errors]


def summary_links(form) -> list[str]:
    html = Template("{% load crispy_forms_gds %}{% error_summary form %}").render(
        Context({"form": form})
    )
    return html


@pytest.mark.parametrize(
    ("parts", "message", "marked"),
    [
        (("", "", ""), "Enter date charged", []),
        (("27", "3", ""), "Date charged must include a year", [2]),
        (("", "3", "2007"), "Date charged must include a day", [0]),
        (("27", "", ""), "Date charged must include a month and year", [1, 2]),
        (("27", "3", "07"), "Year must include 4 numbers", [2]),
        (("27", "3", "26"), "Year must include 4 numbers", [2]),
        (("31", "2", "2007"), "Date charged must be a real date", [0]),
        (("27", "13", "2007"), "Date charged must be a real date", [1]),
        (("27", "March", "2007"), "Date charged must be a real date", [1]),
        (("6", "3", "2021"), "Date charged must be today or in the past", []),
    ],
)
def test_each_problem_has_gov_uk_wording_and_marks_its_part(parts, message, marked):
    form = errors_for(*parts)
    assert form.errors["charge_date"] == [message]
    assert marked_parts(form) == marked


def test_a_two_digit_year_is_never_saved_as_the_first_century():
    form = errors_for("27", "3", "26")
    assert not form.is_valid()
    assert "charge_date" not in form.cleaned_data


def test_a_real_date_in_range_is_accepted_with_spaces_around_it():
    form = errors_for(" 5", "3 ", "2021")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["charge_date"] == date(2021, 3, 5)


def test_a_date_that_must_be_in_the_future_refuses_yesterday():
    form = errors_for(
        "5", "3", "2021", due_date_0="4", due_date_1="3", due_date_2="2021"
    )
    assert form.errors["due_date"] == ["Due date must be today or in the future"]


def test_an_empty_optional_date_is_none():
    form = errors_for("5", "3", "2021")
    assert form.is_valid()
    assert form.cleaned_data["due_date"] is None


def test_the_hint_gives_an_example_and_a_future_date_a_future_example():
    form = ChargeForm()
    assert str(form.fields["charge_date"].help_text) == "For example, 27 3 2007"
    assert str(form.fields["due_date"].help_text) == "For example, 27 3 2022"


def test_only_the_wrong_part_is_outlined_in_red():
    form = errors_for("27", "3", "26")
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": form})
    )
    year = html.split('id="id_charge_date_2"')[0].rsplit("<input", 1)[1]
    day = html.split('id="id_charge_date_0"')[0].rsplit("<input", 1)[1]
    assert "govuk-input--error" in year
    assert "govuk-input--error" not in day


def test_the_error_summary_links_to_the_part_that_is_wrong():
    assert 'href="#id_charge_date_2"' in summary_links(errors_for("27", "3", ""))
    assert 'href="#id_charge_date_0"' in summary_links(errors_for("", "", ""))
